#!/usr/bin/env bash
# The dashboard's screenshots (docs/dashboard-*.png, 1280x800) against the lab, with the same
# set-up as the tests. Not part of CI. It wipes the lab it uses (like every e2e suite).
#   npm run screenshots
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_all
rm -rf .build
npx tsc -p tsconfig.json
node --enable-source-maps .build/test/screenshots.js
