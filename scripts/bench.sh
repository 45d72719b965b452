#!/usr/bin/env bash
# Benchmarks (not tests): same set-up as the tests, then every .build/bench/*.bench.js whose
# path matches BENCH_FILTER (a regex), one after the other. Each prints its figures and ratio.
#   npm run bench                      all benchmarks
#   BENCH_FILTER=scale npm run bench   only bench/scale.bench.ts
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_all

rm -rf .build
npx tsc -p tsconfig.json
mapfile -t files < <(find .build/bench -name '*.bench.js' 2>/dev/null | sort | grep -E "${BENCH_FILTER:-.}" || true)
if [ "${#files[@]}" -eq 0 ]; then echo "no benchmark matches BENCH_FILTER=${BENCH_FILTER:-}" >&2; exit 1; fi
for f in "${files[@]}"; do
  printf '==> %s\n' "$f"
  node --enable-source-maps "$f"
done
