#!/usr/bin/env bash
# Benchmarks (not tests), with the same set-up as the tests:
#   npm run bench                        every bench/*.bench.ts
#   BENCH_FILTER=read-path npm run bench only those whose path matches the regex
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_all

rm -rf .build dist
npx tsc -p tsconfig.json
npx tsc -p tsconfig.build.json
mapfile -t files < <(find .build/bench -name '*.bench.js' | sort | grep -E "${BENCH_FILTER:-.}" || true)
if [ "${#files[@]}" -eq 0 ]; then echo "no benchmarks match BENCH_FILTER=${BENCH_FILTER:-}" >&2; exit 1; fi
for f in "${files[@]}"; do
  printf '==> %s\n' "$f"
  node --enable-source-maps "$f"
done
