#!/usr/bin/env bash
# scripts/lab-image.sh — the control plane's own images for the swarm lab, without a registry
# (called as `lab.sh image`; the lab must be up and the app built: `npm run build`).
#
#   swarm-cp:<hash>        this machine's node binary + the libraries `ldd` lists, dist/,
#                          the production node_modules, package.json, openapi.yaml, ui/
#   swarm-cp-redis:<hash>  redis-server and redis-cli + their libraries
#
# Each is a `tar | docker import` into the first node that lacks it, then `docker save` and
# `docker load` into the others (same image id everywhere). <hash> is a hash of everything
# that goes in, so an unchanged build is not imported again. Also links
# $LAB_DIR/sockets/<node hostname>.sock to each node's engine socket: lab nodes share this
# machine's filesystem, so a stack's bind mount `.../sockets/{{.Node.Hostname}}.sock` gives
# each task its own node's engine (on a real swarm that is simply /var/run/docker.sock).
#
# stdout carries only `export` lines (CP_IMAGE, CP_REDIS_IMAGE, CP_NODE_SOCKETS,
# CP_MANAGER_SOCKET); progress goes to stderr.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
LAB_NAME=${LAB_NAME:-lab}
LAB_DIR=${LAB_DIR:-/var/lib/swarm-lab/$LAB_NAME}
DOCKER=${LAB_DOCKER:-/usr/bin/docker}
NODE_BIN=${CP_NODE_BIN:-$(command -v node)}
# Files and folders of the app besides dist/ that it reads at run time (ui/: the dashboard).
APP_EXTRA=(package.json openapi.yaml ui)
RECIPE=1

log() { printf '[lab-image:%s] %s\n' "$LAB_NAME" "$*" >&2; }
die() { printf '[lab-image:%s] ERROR: %s\n' "$LAB_NAME" "$*" >&2; exit 1; }
T0=$(date +%s%3N)
elapsed() { local t=$(( $(date +%s%3N) - T0 )); printf '%d.%03ds' $((t / 1000)) $((t % 1000)); }

[[ -s $LAB_DIR/nodes ]] || die "no lab in $LAB_DIR (run: lab.sh up)"
read -r NODES <"$LAB_DIR/nodes"
dk() { local k=$1; shift; DOCKER_HOST="unix://$LAB_DIR/node-$k/docker.sock" "$DOCKER" "$@"; }
[[ -s $REPO/dist/main.js && -s $REPO/dist/agent/main.js ]] || die "no build in $REPO/dist (run: npm run build)"

# Libraries a binary needs, as absolute paths (ldd's "=> /path" and the loader itself).
libs_of() { ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u; }

# A staging folder with the binaries, their libraries and the few /etc files a process needs.
stage_system() {
  local dir=$1 f
  shift
  mkdir -p "$dir"/{etc,tmp,run,data}
  chmod 1777 "$dir/tmp"
  echo 'root:x:0:0:root:/root:/bin/false' >"$dir/etc/passwd"
  echo 'root:x:0:' >"$dir/etc/group"
  printf 'hosts: files dns\n' >"$dir/etc/nsswitch.conf"
  for f in "$@" $(for b in "$@"; do libs_of "$b"; done | sort -u); do
    mkdir -p "$dir$(dirname "$f")"
    cp -L "$f" "$dir$f"
  done
}

# The production dependencies: top-level folders of `npm ls --omit=dev` (nested ones ride along).
prod_modules() {
  (cd "$REPO" && npm ls --omit=dev --all --parseable 2>/dev/null) |
    sed -n "s,^$REPO/\(node_modules/.*\),\1,p" | sort -u |
    awk '{ for (i = 1; i <= n; i++) if (index($0, kept[i] "/") == 1) next; kept[++n] = $0; print }'
}

tree_hash() { (cd "$REPO" && find "$@" -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12; }

node_has() { [[ $(dk "$1" image inspect --format '{{index .Config.Labels "lab.build"}}' "$2" 2>/dev/null) == "$3" ]]; }

# import (tar on stdin) into the first node lacking IMAGE, then save/load into the others
distribute() {
  local image=$1 hash=$2 build=$3 todo=() k pids=() first tarball
  shift 3
  for ((k = 1; k <= NODES; k++)); do node_has "$k" "$image" "$hash" || todo+=("$k"); done
  (( ${#todo[@]} )) || { log "$image present on all $NODES nodes"; return 0; }
  first=${todo[0]}
  if ! node_has "$first" "$image" "$hash"; then
    "$build" | dk "$first" import -c "LABEL lab.build=$hash" "$@" - "$image" >/dev/null
    log "imported $image into node $first ($(elapsed))"
  fi
  todo=("${todo[@]:1}")
  (( ${#todo[@]} )) || return 0
  tarball=$LAB_DIR/cp-images/${image//[:\/]/_}.tar
  mkdir -p "$LAB_DIR/cp-images"
  rm -f "$LAB_DIR"/cp-images/*.tar.tmp
  dk "$first" save -o "$tarball.tmp" "$image"
  mv "$tarball.tmp" "$tarball"
  for k in "${todo[@]}"; do dk "$k" load -q -i "$tarball" >/dev/null & pids+=($!); done
  for k in "${pids[@]}"; do wait "$k" || die "loading $image failed"; done
  rm -f "$tarball"
  log "loaded $image into node(s) ${todo[*]} ($(elapsed))"
}

build_app_tar() {
  local stage
  stage=$(mktemp -d)
  stage_system "$stage" "$NODE_BIN"
  [[ $NODE_BIN == /usr/bin/node ]] || { mkdir -p "$stage/usr/bin"; mv "$stage$NODE_BIN" "$stage/usr/bin/node"; }
  local extra=() f names
  for f in "${APP_EXTRA[@]}"; do [[ -e $REPO/$f ]] && extra+=("$f"); done
  names=$(printf '%s\\|' dist node_modules "${APP_EXTRA[@]//./\\.}")
  # One stream: the staged system, then the app's own files under /app.
  tar --numeric-owner --owner=0 --group=0 -c -C "$stage" . \
    --transform "s,^\\(${names%\\|}\\)\\(/\\|\$\\),app/\\1\\2," \
    -C "$REPO" dist "${extra[@]}" $(prod_modules)
  rm -rf "$stage"
}

build_redis_tar() {
  local stage
  stage=$(mktemp -d)
  stage_system "$stage" /usr/bin/redis-server /usr/bin/redis-cli
  tar --numeric-owner --owner=0 --group=0 -c -C "$stage" .
  rm -rf "$stage"
}

[[ -x $NODE_BIN && -x /usr/bin/redis-server && -x /usr/bin/redis-cli ]] || die "needs node and redis-server/redis-cli on this machine"
app_hash=$({ echo "$RECIPE"; sha256sum "$NODE_BIN" | cut -c1-64; tree_hash dist "${APP_EXTRA[@]}"; prod_modules | tr '\n' ' '; sha256sum "$REPO/package-lock.json" | cut -c1-64; } | sha256sum | cut -c1-12)
redis_hash=$({ echo "$RECIPE"; sha256sum /usr/bin/redis-server /usr/bin/redis-cli; } | sha256sum | cut -c1-12)
APP_IMAGE=swarm-cp:$app_hash
REDIS_IMAGE=swarm-cp-redis:$redis_hash

distribute "$APP_IMAGE" "$app_hash" build_app_tar \
  -c 'ENV PATH=/usr/bin NODE_ENV=production' -c 'WORKDIR /app' -c 'EXPOSE 3000' -c 'CMD ["node","dist/main.js"]'
distribute "$REDIS_IMAGE" "$redis_hash" build_redis_tar \
  -c 'ENV PATH=/usr/bin' -c 'WORKDIR /data' -c 'EXPOSE 6379' -c 'CMD ["redis-server","--protected-mode","no"]'

# Earlier builds (other image ids under the same names) are untagged; one still in use stays.
prune_old() {
  local k=$1 repo ref id keep
  for repo in swarm-cp swarm-cp-redis; do
    keep=$(dk "$k" image inspect --format '{{.Id}}' "$([[ $repo == swarm-cp ]] && echo "$APP_IMAGE" || echo "$REDIS_IMAGE")")
    dk "$k" image ls --format '{{.Repository}}:{{.Tag}} {{.ID}}' "$repo" | while read -r ref id; do
      [[ $keep == *"$id"* ]] || dk "$k" rmi "$ref" >/dev/null 2>&1 || true
    done
  done
}
for ((k = 1; k <= NODES; k++)); do prune_old "$k" & done
wait

mkdir -p "$LAB_DIR/sockets"
for ((k = 1; k <= NODES; k++)); do ln -sfn "$LAB_DIR/node-$k/docker.sock" "$LAB_DIR/sockets/$LAB_NAME-node-$k.sock"; done
log "images ready ($(elapsed))"
cat <<EOF
export CP_IMAGE=$APP_IMAGE
export CP_REDIS_IMAGE=$REDIS_IMAGE
export CP_NODE_SOCKETS=$LAB_DIR/sockets
export CP_MANAGER_SOCKET=$LAB_DIR/node-1/docker.sock
EOF
