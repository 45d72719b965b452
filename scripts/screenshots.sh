#!/usr/bin/env bash
# The dashboard's screenshots (docs/dashboard-*.png, 1280x800), with the same set-up as the
# tests and on the tests' lab (lane 1: TEST_LAB_NAME, TEST_LAB_SUBNET, TEST_REDIS_PORT), which
# it wipes like every e2e suite; never on the lab `npm run serve` uses. Not part of CI.
#   npm run screenshots
set -euo pipefail
cd "$(dirname "$0")/.."
export LAB_NAME=${TEST_LAB_NAME:-test} LAB_SUBNET=${TEST_LAB_SUBNET:-10.78.0} REDIS_PORT=${TEST_REDIS_PORT:-6391}
if [[ $LAB_NAME == "${SERVE_LAB_NAME:-lab}" ]]; then
  echo "screenshots.sh: TEST_LAB_NAME must differ from the lab npm run serve uses (${SERVE_LAB_NAME:-lab})" >&2; exit 2
fi
unset DOCKER_HOST NODE_ENGINES
source scripts/setup.sh
setup_all
rm -rf .build
npx tsc -p tsconfig.json
node --enable-source-maps .build/test/screenshots.js
