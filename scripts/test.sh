#!/usr/bin/env bash
# The whole test suite, with its own set-up (Debian packages, npm ci, Redis, swarm labs):
#   npm test                               everything (what CI runs: .ci/run)
#   TEST_FILTER=reads npm test             only test files whose path matches the regex
#   bash scripts/test.sh [FILE...]         only these files (paths or parts of their names)
#   bash scripts/test.sh --repeat N [FILE...]   N runs, then a table of failures per test
#   npm run flakes                         the whole suite --repeat ${FLAKES_REPEAT:-5}
#
# The tests run on labs of their own, never the one `npm run serve` uses: lane K of
# TEST_LANES (default 2) has the lab ${TEST_LAB_NAME:-test}[-K] on the /24 after
# ${TEST_LAB_SUBNET:-10.78.0}, and Redis on ${TEST_REDIS_PORT:-6391} + 100 * (K-1). Unit specs
# run first; then each lane takes the next e2e file (longest first) until none is left.
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=1
picked=()
while (( $# )); do
  case $1 in
    --repeat) repeat=${2:?--repeat N}; shift 2 ;;
    --repeat=*) repeat=${1#*=}; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) picked+=("$1"); shift ;;
  esac
done
[[ $repeat =~ ^[1-9][0-9]*$ ]] || { echo "test.sh: --repeat takes a whole number >= 1" >&2; exit 2; }

TEST_LAB_NAME=${TEST_LAB_NAME:-test}
TEST_LAB_SUBNET=${TEST_LAB_SUBNET:-10.78.0}
TEST_REDIS_PORT=${TEST_REDIS_PORT:-6391}
TEST_LANES=${TEST_LANES:-2}
[[ $TEST_LANES =~ ^[1-8]$ ]] || { echo "test.sh: TEST_LANES must be 1..8" >&2; exit 2; }
# The serve lab (LAB_NAME, default "lab") is never used by the tests, and neither is a
# DOCKER_HOST the caller points at: each lane brings up its own.
if [[ $TEST_LAB_NAME == "${SERVE_LAB_NAME:-lab}" ]]; then
  echo "test.sh: TEST_LAB_NAME must differ from the lab npm run serve uses (${SERVE_LAB_NAME:-lab})" >&2; exit 2
fi
unset DOCKER_HOST NODE_ENGINES

source scripts/setup.sh
setup_base

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
step "alert rules (promtool) and the example Prometheus and Alertmanager configs"
promtool check rules deploy/prometheus/alerts.yml >/dev/null
promtool test rules deploy/prometheus/alerts.test.yml
promtool check config --syntax-only deploy/prometheus.yml >/dev/null
amtool check-config deploy/alertmanager/alertmanager.yml >/dev/null

# ---- which files ---------------------------------------------------------------------
mapfile -t all < <( { find .build/src .build/clients -name '*.spec.js'; find .build/test -name '*.e2e.js'; } | sort)
files=()
for f in "${all[@]}"; do
  [[ $f =~ ${TEST_FILTER:-.} ]] || continue
  if (( ${#picked[@]} )); then
    hit=0
    for p in "${picked[@]}"; do
      p=${p#./}; p=${p%.ts}; p=${p%.js}
      [[ $f == *"$p"* ]] && hit=1
    done
    (( hit )) || continue
  fi
  files+=("$f")
done
if [ "${#files[@]}" -eq 0 ]; then echo "no test files match ${picked[*]:-} TEST_FILTER=${TEST_FILTER:-}" >&2; exit 1; fi
specs=(); e2e=()
for f in "${files[@]}"; do if [[ $f == *.spec.js ]]; then specs+=("$f"); else e2e+=("$f"); fi; done

# Longest first, from the durations of earlier runs on this machine (file size otherwise).
durations=$SETUP_STATE_DIR/test-durations
touch "$durations"
if (( ${#e2e[@]} )); then
  mapfile -t e2e < <(for f in "${e2e[@]}"; do
    d=$(awk -v f="$f" '$1 == f { d = $2 } END { print d + 0 }' "$durations")
    (( d > 0 )) || d=$(( $(stat -c %s "$f") / 100 ))
    echo "$d $f"
  done | sort -rn | cut -d' ' -f2-)
fi
lanes=$TEST_LANES
(( lanes <= ${#e2e[@]} )) || lanes=${#e2e[@]}

# ---- one lab and one Redis per lane ---------------------------------------------------
lane_env=$(mktemp -d)
trap 'rm -rf "$lane_env"' EXIT
if (( lanes > 0 )); then
  step "labs: $lanes lane(s)"
  pids=()
  for ((k = 1; k <= lanes; k++)); do
    (
      IFS=. read -r o1 o2 o3 <<<"$TEST_LAB_SUBNET"
      export LAB_NAME=$TEST_LAB_NAME$( (( k > 1 )) && echo "-$k")
      export LAB_SUBNET=$o1.$o2.$((o3 + k - 1))
      export REDIS_PORT=$((TEST_REDIS_PORT + 100 * (k - 1)))
      setup_env
      { export -p | grep -E ' (LAB_[A-Z_]+|DOCKER_HOST|NODE_ENGINES|REDIS_URL|REDIS_PORT)=' | sed 's/^declare -x /export /'; echo "export TEST_LANE=$k"; } >"$lane_env/$k"
    ) &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "test.sh: a lane's set-up failed" >&2; exit 1; }; done
fi

# ---- runs -----------------------------------------------------------------------------
results=$(mktemp -d)
NODE_TEST=(node --enable-source-maps --test --test-concurrency=1 --test-timeout=900000 --test-force-exit)
reporters() { # $1: log file, $2: results file
  echo --test-reporter=spec "--test-reporter-destination=$1" --test-reporter=./.build/test/support/results-reporter.js "--test-reporter-destination=$2"
}

# Runs one file in lane $1, prints its log in one piece, records its duration.
run_file() {
  local k=$1 f=$2 run=$3 name t rc=0
  name=$(basename "$f" .js)
  t=$(date +%s%3N)
  # shellcheck disable=SC2046
  "${NODE_TEST[@]}" $(reporters "$results/$run/$name.log" "$results/$run/$name.jsonl") "$f" >"$results/$run/$name.out" 2>&1 || rc=$?
  t=$(( $(date +%s%3N) - t ))
  {
    flock 8
    printf -- '--- %s (lane %d, %d.%01d s%s)\n' "$f" "$k" $((t / 1000)) $((t % 1000 / 100)) "$( (( rc )) && echo ", FAILED rc=$rc")"
    cat "$results/$run/$name.log" "$results/$run/$name.out"
    echo "$f $((t / 1000))" >>"$durations.new"
    (( rc == 0 )) || echo "$f" >>"$results/$run/failed"
  } 8>>"$results/print.lock"
}

lane_loop() { # lane, run: take the next file from the queue until it is empty
  local k=$1 run=$2 f
  # shellcheck disable=SC1090
  source "$lane_env/$k"
  while :; do
    f=$( { flock 9; f=$(head -n1 "$results/$run/queue"); sed -i '1d' "$results/$run/queue"; echo "$f"; } 9>>"$results/queue.lock")
    [[ -n $f ]] || return 0
    run_file "$k" "$f" "$run"
  done
}

failed_runs=0
for ((run = 1; run <= repeat; run++)); do
  mkdir -p "$results/$run"
  (( repeat > 1 )) && step "run $run of $repeat"
  if (( ${#specs[@]} )); then
    step "unit specs (${#specs[@]} files)"
    # shellcheck disable=SC2046
    "${NODE_TEST[@]}" $(reporters "$results/$run/unit.log" "$results/$run/unit.jsonl") "${specs[@]}" >/dev/null 2>&1 || echo unit >>"$results/$run/failed"
    grep -E '^(✖|ℹ (tests|pass|fail))' "$results/$run/unit.log" || true
    if [[ -s $results/$run/failed ]]; then cat "$results/$run/unit.log"; fi
  fi
  if (( ${#e2e[@]} )); then
    step "e2e: ${#e2e[@]} files in $lanes lane(s)"
    printf '%s\n' "${e2e[@]}" >"$results/$run/queue"
    pids=()
    for ((k = 1; k <= lanes; k++)); do lane_loop "$k" "$run" & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p" || true; done
  fi
  if [[ -s $results/$run/failed ]]; then
    failed_runs=$((failed_runs + 1))
    step "run $run: FAILED: $(tr '\n' ' ' <"$results/$run/failed")"
  fi
done

# Remember how long each file took (the next run starts the longest first).
if [[ -s $durations.new ]]; then
  cat "$durations" "$durations.new" | awk '{ d[$1] = $2 } END { for (f in d) print f, d[f] }' >"$durations.tmp"
  mv "$durations.tmp" "$durations"; rm -f "$durations.new"
fi
# The flake table: every test with --repeat, only the failed ones otherwise.
node .build/test/support/results-table.js "$results" $( (( repeat > 1 )) || echo --failed-only) || true
rm -rf "$results"
if (( failed_runs )); then step "FAILED: $failed_runs of $repeat run(s) had failures ($(( $(date +%s) - t0 )) s)"; exit 1; fi
step "tests passed in $(( $(date +%s) - t0 )) s"
