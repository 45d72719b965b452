#!/usr/bin/env bash
# scripts/setup.sh — bring a machine (Debian 12, root, Node 20) to "ready to test":
# system packages, node_modules, Redis, and the multi-node swarm lab.
#
# Source it and call setup_all (that is what scripts/serve.sh and bench.sh do; test.sh calls
# setup_base once, then setup_env per lane of its own labs):
#     source scripts/setup.sh; setup_all
# or run it directly:  bash scripts/setup.sh   (then print the exports it made).
#
# After setup_all these are exported: REDIS_URL, REDIS_PORT, DOCKER_HOST, NODE_ENGINES,
# LAB_NAME, LAB_SUBNET, LAB_DIR, LAB_NODE_NETNS, LAB_NODE_ADDRS.
# Knobs: REDIS_PORT (6390), SETUP_STATE_DIR (/var/lib/swarm-lab/setup), LAB_NAME,
# LAB_SUBNET, LAB_NODES (3), SETUP_SKIP_LAB=1 (no lab, e.g. for pure unit tests).
#
# Sourcing must not change the caller's shell options nor kill it on an error: every
# step runs inside a subshell with `set -euo pipefail` (or returns a status), and
# setup_all returns non-zero instead of exiting.

SETUP_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SETUP_STATE_DIR=${SETUP_STATE_DIR:-/var/lib/swarm-lab/setup}

_setup_ms() { date +%s%3N; }
_setup_log() { printf '[setup] %s\n' "$*" >&2; }
# _setup_step NAME FUNC: run FUNC in a strict subshell, print one timed line.
_setup_step() {
  local name=$1 fn=$2 t0 rc=0 ms
  t0=$(_setup_ms)
  ( set -euo pipefail; "$fn" ) || rc=$?
  ms=$(( $(_setup_ms) - t0 ))
  if (( rc == 0 )); then
    _setup_log "$(printf '%-9s ok   %d.%03ds' "$name" $((ms / 1000)) $((ms % 1000)))"
  else
    _setup_log "$(printf '%-9s FAILED (rc=%d) after %d.%03ds' "$name" "$rc" $((ms / 1000)) $((ms % 1000)))"
  fi
  return $rc
}

# ---- 1. system packages ----------------------------------------------------------
_setup_packages() {
  local missing=() need
  # command that proves the package is there -> package name
  for need in /usr/bin/docker:docker.io /usr/sbin/dockerd:docker.io /usr/sbin/ip:iproute2 \
              /usr/bin/busybox:busybox-static /usr/bin/redis-server:redis-server \
              /usr/bin/redis-cli:redis-tools /usr/bin/redis-sentinel:redis-sentinel \
              /usr/sbin/iptables:iptables \
              /usr/bin/nsenter:util-linux /usr/bin/flock:util-linux \
              /usr/bin/docker-compose:docker-compose \
              /usr/bin/prometheus:prometheus /usr/bin/promtool:prometheus \
              /usr/bin/prometheus-alertmanager:prometheus-alertmanager /usr/bin/amtool:prometheus-alertmanager \
              /usr/bin/prometheus-pushgateway:prometheus-pushgateway \
              /usr/bin/chromium:chromium; do
    [[ -x ${need%%:*} ]] || missing+=("${need#*:}")
  done
  (( ${#missing[@]} )) || return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [[ $(id -u) != 0 ]]; then
    echo "setup: missing packages: ${missing[*]} -- run as root or: sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  _setup_log "installing: ${missing[*]}"
  # update the package lists only when they are missing/stale enough that install fails
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# ---- 2. node_modules -----------------------------------------------------------
_setup_npm() {
  cd "$SETUP_REPO_ROOT"
  local want have=""
  want=$(sha256sum package-lock.json | cut -c1-64)
  [[ -s node_modules/.lock-hash ]] && have=$(<node_modules/.lock-hash)
  if [[ -d node_modules && $want == "$have" ]]; then return 0; fi
  if [[ -d node_modules && -z $have ]]; then
    # installed by someone else (no hash yet): trust it if npm agrees it matches the lock
    if npm ls --all >/dev/null 2>&1; then echo "$want" >node_modules/.lock-hash; return 0; fi
  fi
  _setup_log "npm ci (lock changed or node_modules missing)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" >node_modules/.lock-hash
}

# ---- 3. Redis ------------------------------------------------------------------
_setup_redis() {
  local port=${REDIS_PORT:-6390} dir=$SETUP_STATE_DIR/redis-${REDIS_PORT:-6390} i
  if [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]; then return 0; fi
  mkdir -p "$dir"
  # tests need no persistence; daemonized, own pidfile/log under the state dir
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes \
    --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log" \
    --save '' --appendonly no >/dev/null
  for ((i = 0; i < 100; i++)); do
    [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.05
  done
  echo "setup: redis did not answer on 127.0.0.1:$port (log: $dir/redis.log)" >&2
  return 1
}

# ---- 4. the swarm lab ----------------------------------------------------------
# Is DOCKER_HOST an engine that is a swarm manager? Then keep it (a real cluster or a
# lab someone already pointed us at); otherwise bring up our lab.
_setup_docker_is_manager() {
  [[ -n ${DOCKER_HOST:-} ]] || return 1
  [[ $(timeout 10 /usr/bin/docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null) == true ]]
}
_setup_lab() {
  # lab.sh prints only `export` lines on stdout; keep them for the parent shell
  bash "$SETUP_REPO_ROOT/scripts/lab.sh" up "${LAB_NODES:-3}" >"$SETUP_STATE_DIR/lab-env.${LAB_NAME:-lab}.$$"
}

# Packages and node_modules: once per machine / lock file.
setup_base() {
  mkdir -p "$SETUP_STATE_DIR" 2>/dev/null || SETUP_STATE_DIR=${TMPDIR:-/tmp}/swarm-setup
  mkdir -p "$SETUP_STATE_DIR" || return 1
  _setup_step packages _setup_packages || return 1
  _setup_step npm _setup_npm || return 1
}

# Redis on REDIS_PORT and the lab named LAB_NAME (unless DOCKER_HOST already is a manager):
# exports REDIS_URL, DOCKER_HOST and the lab's variables.
setup_env() {
  local rc=0
  _setup_step redis _setup_redis || return 1
  export REDIS_PORT=${REDIS_PORT:-6390}
  export REDIS_URL=redis://127.0.0.1:$REDIS_PORT
  if [[ ${SETUP_SKIP_LAB:-0} == 1 ]]; then
    _setup_log "lab       skipped (SETUP_SKIP_LAB=1)"
  elif _setup_docker_is_manager; then
    _setup_log "lab       ok   DOCKER_HOST=$DOCKER_HOST is a swarm manager, kept"
  else
    unset DOCKER_HOST
    _setup_step lab _setup_lab || rc=1
    if (( rc == 0 )); then
      # shellcheck disable=SC1090
      source "$SETUP_STATE_DIR/lab-env.${LAB_NAME:-lab}.$$"
    fi
    rm -f "$SETUP_STATE_DIR/lab-env.${LAB_NAME:-lab}.$$"
    (( rc == 0 )) || return 1
  fi
  return 0
}

setup_all() {
  setup_base && setup_env
}

# Executed directly (not sourced): run it and show the result.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  setup_all
  echo "REDIS_URL=$REDIS_URL"
  echo "DOCKER_HOST=${DOCKER_HOST:-}"
  echo "NODE_ENGINES=${NODE_ENGINES:-}"
fi
