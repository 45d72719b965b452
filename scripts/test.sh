#!/usr/bin/env bash
# The whole test suite, with its own set-up (Debian packages, npm ci, Redis, the swarm lab):
#   npm test                       everything (what CI runs)
#   TEST_FILTER=reads npm test     only test files whose path matches the regex
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_all

step() { printf '==> %s\n' "$*"; }
t0=$(date +%s)
step "compile"
rm -rf .build dist
npx tsc -p tsconfig.json
npx tsc -p tsconfig.build.json
step "openapi drift check"
node dist/cli/openapi.js --check
step "contract check: Redocly lint, schema.graphql drift and breaking changes, client types"
node dist/cli/contract.js --check

mapfile -t files < <( { find .build/src -name '*.spec.js'; find .build/test -name '*.e2e.js'; } | sort | grep -E "${TEST_FILTER:-.}" || true)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files match TEST_FILTER=${TEST_FILTER:-}" >&2; exit 1; fi
step "node --test (${#files[@]} files)"
# One file at a time: the e2e suites share one swarm (node drains, labels, engine restarts).
# --test-force-exit: a file ends when its tests have, even if a handle (a Redis reconnect
# timer of an app closed against a dead Redis) would keep its event loop alive.
node --enable-source-maps --test --test-concurrency=1 --test-timeout=300000 --test-force-exit --test-reporter=spec "${files[@]}"
step "tests passed in $(( $(date +%s) - t0 )) s"
