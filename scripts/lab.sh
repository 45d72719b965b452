#!/usr/bin/env bash
# scripts/lab.sh — a real multi-node Docker Swarm on one Linux machine.
#
# One dockerd per node, each in its own network namespace (the manager too), joined
# by a host bridge. Nothing here touches the host's own Docker (/var/run/docker.sock).
# See /work/shared/SWARM_LAB.md for the facts this is built on.
#
#   lab.sh up [--managers M] [N]   start / repair an N-node lab (default 3 nodes): nodes 1..M
#                             managers (default 1), the rest workers; returns once every
#                             manager is Reachable (stopping one mid-promotion can lose quorum)
#   lab.sh down [--purge]     stop the lab's engines, remove netns/veths/bridge (+ data)
#   lab.sh status             show nodes, engines and the manager's `node ls`
#   lab.sh env                print `export ...` lines (DOCKER_HOST: node 1; LAB_MANAGER_HOSTS:
#                             every manager's socket, comma-separated; NODE_ENGINES, ...)
#   lab.sh images             (re-)import the test images into every node
#   lab.sh image              the control plane's own images on every node (scripts/lab-image.sh)
#   lab.sh node-exec K CMD..  run CMD inside node K's network namespace
#   lab.sh stop-node K [--term]   kill node K's dockerd (SIGKILL; --term: graceful)
#   lab.sh start-node K       restart node K's dockerd (same data-root, rejoins as itself)
#
# Settings (environment):
#   LAB_NAME    (lab)        prefix of everything: netns, bridge, hostnames, state dir
#   LAB_SUBNET  (10.77.0)    first three octets of the lab's private /24
#   LAB_DIR     (/var/lib/swarm-lab/$LAB_NAME)   state: node data-roots, sockets, logs
#   LAB_ADDR_POOL (derived)  swarm --default-addr-pool (overlay subnets), must not
#                            overlap LAB_SUBNET
#   LAB_DOCKER  (/usr/bin/docker)  docker CLI to use (the first on PATH may be another)
#
# Several labs can run side by side: LAB_NAME=l2 LAB_SUBNET=10.78.0 lab.sh up
#
# stdout carries only the `export` lines (so `eval "$(lab.sh up)"` works); all
# progress goes to stderr.
set -euo pipefail

LAB_NAME=${LAB_NAME:-lab}
LAB_SUBNET=${LAB_SUBNET:-10.77.0}
LAB_DIR=${LAB_DIR:-/var/lib/swarm-lab/$LAB_NAME}
DOCKER=${LAB_DOCKER:-/usr/bin/docker}
DEFAULT_NODES=3
DEFAULT_MANAGERS=1
# Bump when the image recipe below changes: nodes holding older images re-import.
IMAGE_RECIPE=4
IMAGES=(lab/web:v1 lab/web:v2 lab/broken:v1 lab/burner:v1 lab/unhealthy:v1)
APPLETS=(sh httpd sleep wget nslookup cat echo yes true false kill ps
         ls env hostname nc ping grep date mkdir rm touch head tail tee seq ip top)

[[ $LAB_NAME =~ ^[a-z0-9][a-z0-9-]*$ ]] || { echo "lab: LAB_NAME must be [a-z0-9-]" >&2; exit 2; }
[[ $LAB_SUBNET =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "lab: LAB_SUBNET must look like 10.77.0" >&2; exit 2; }

# Interface names are limited to 15 chars: "<tag>-br", "<tag>-v<K>". A long LAB_NAME is
# shortened to 6 chars + 4 hash chars so labs still get distinct interfaces.
if (( ${#LAB_NAME} <= 10 )); then
  TAG=$LAB_NAME
else
  TAG=${LAB_NAME:0:6}$(printf %s "$LAB_NAME" | sha256sum | cut -c1-4)
fi
BRIDGE=$TAG-br

# Overlay networks get subnets from this pool. They live inside the node namespaces
# only, so different labs may share a pool; it just must not overlap the lab /24.
if [[ -z ${LAB_ADDR_POOL:-} ]]; then
  IFS=. read -r o1 o2 _ <<<"$LAB_SUBNET"
  if (( o2 < 156 )); then LAB_ADDR_POOL=$o1.$((o2 + 100)).0.0/16; else LAB_ADDR_POOL=$o1.$((o2 - 100)).0.0/16; fi
fi

log() { printf '[lab:%s] %s\n' "$LAB_NAME" "$*" >&2; }
die() { printf '[lab:%s] ERROR: %s\n' "$LAB_NAME" "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
T0=$(now_ms)
elapsed() { local t=$(( $(now_ms) - T0 )); printf '%d.%03ds' $((t / 1000)) $((t % 1000)); }

# ---- per-node naming ------------------------------------------------------------
ns_of()    { echo "$LAB_NAME-n$1"; }
veth_of()  { echo "$TAG-v$1"; }
host_of()  { echo "$LAB_NAME-node-$1"; }
addr_of()  { echo "$LAB_SUBNET.$((10 + $1))"; }
ndir_of()  { echo "$LAB_DIR/node-$1"; }
sock_of()  { echo "$LAB_DIR/node-$1/docker.sock"; }
pidf_of()  { echo "$LAB_DIR/node-$1/docker.pid"; }
# Containers of node K live in their own cgroup subtree so `down` can find (and kill)
# them even after their dockerd/containerd were killed.
cgp_of()   { echo "/$LAB_NAME-n$1"; }
dk()       { local k=$1; shift; DOCKER_HOST="unix://$(sock_of "$k")" "$DOCKER" "$@"; }

# Node numbers that exist on disk (sorted), and the size recorded by the last `up`.
existing_nodes() {
  local d
  for d in "$LAB_DIR"/node-*; do [[ -d $d ]] && echo "${d##*/node-}"; done | sort -n
}
node_count() {
  local n=""
  [[ -s $LAB_DIR/nodes ]] && { read -r n <"$LAB_DIR/nodes" || true; }
  echo "${n:-$DEFAULT_NODES}"
}

manager_count() {
  local m=""
  [[ -s $LAB_DIR/managers ]] && { read -r m <"$LAB_DIR/managers" || true; }
  echo "${m:-$DEFAULT_MANAGERS}"
}

need_root() { [[ $(id -u) == 0 ]] || die "must run as root (network namespaces, dockerd)"; }
check_tools() {
  local t missing=()
  for t in ip nsenter unshare iptables dockerd setsid flock; do
    command -v "$t" >/dev/null || missing+=("$t")
  done
  [[ -x $DOCKER ]] || missing+=("$DOCKER")
  [[ -x /usr/bin/busybox || -x /bin/busybox ]] || missing+=(busybox-static)
  (( ${#missing[@]} == 0 )) || die "missing: ${missing[*]} (apt-get install -y docker.io iproute2 busybox-static iptables)"
}

# Serialise concurrent lab.sh runs on the same lab (two test runs calling `up`).
take_lock() {
  mkdir -p "$LAB_DIR"
  exec 9>"$LAB_DIR/.lock"
  flock -w 300 9 || die "timed out waiting for $LAB_DIR/.lock"
}

# ---- processes ------------------------------------------------------------------
# pid of node K's dockerd if it is running (pidfile pid alive AND really our dockerd:
# a stale pidfile's pid may have been reused by anything after a reboot/kill).
dockerd_pid() {
  local pf=$LAB_DIR/node-$1/docker.pid pid="" args
  [[ -s $pf ]] || return 1
  read -r pid <"$pf" || true          # dockerd writes no trailing newline
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  mapfile -d '' -t args 2>/dev/null </proc/"$pid"/cmdline || return 1
  [[ " ${args[*]} " == *" unix://$LAB_DIR/node-$1/docker.sock "* ]] || return 1
  echo "$pid"
}

# true while pid runs (a zombie does not count: this machine's init may never reap
# them). Builtins only: forks are slow on a loaded machine and this is a hot path.
alive() {
  local st
  read -r st 2>/dev/null </proc/"$1"/stat || return 1
  st=${st##*) }
  [[ -n $st && ${st%% *} != Z ]]
}

engine_ok() { dk "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# Everything that belongs to node K: processes in its netns (dockerd, containerd,
# shims, host-network containers) and in its container cgroup subtree.
node_pids() {
  local k=$1 f
  ip netns pids "$(ns_of "$k")" 2>/dev/null || true
  for f in /sys/fs/cgroup/*"$(cgp_of "$k")"/ /sys/fs/cgroup"$(cgp_of "$k")"/; do
    [[ -d $f ]] || continue
    find "$f" -name cgroup.procs -exec cat {} + 2>/dev/null || true
  done
}

# ---- network --------------------------------------------------------------------
net_up() {
  local n=$1 k ns veth
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
  fi
  ip link set "$BRIDGE" up
  # The host's own address on the lab network: lets this machine reach ports published in
  # host mode on lab nodes (a stack's API). Nodes keep no default route, so it is nothing more.
  ip addr replace "$LAB_SUBNET.1/24" dev "$BRIDGE"
  # If a host dockerd ever ran, FORWARD policy is DROP, and bridged frames traverse it
  # (br_netfilter): without this rule workers never reach the manager.
  iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null ||
    iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  for ((k = 1; k <= n; k++)); do
    ns=$(ns_of "$k"); veth=$(veth_of "$k")
    [[ -e /var/run/netns/$ns ]] || ip netns add "$ns"
    # Host end "<tag>-vK" on the bridge, namespace end "eth0". Recreate if half-missing.
    if ! ip link show "$veth" >/dev/null 2>&1 || ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
      ip link del "$veth" 2>/dev/null || true
      ip -n "$ns" link del eth0 2>/dev/null || true
      ip link add "$veth" type veth peer name eth0 netns "$ns"
    fi
    ip link set "$veth" master "$BRIDGE" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr replace "$(addr_of "$k")/24" dev eth0
    ip -n "$ns" link set eth0 up
    # Deliberately NO default route: the engine's registry lookup then fails at once
    # and the local image is used (with a route tasks sit ~25 s in Preparing).
  done
}

net_down_node() {
  local k=$1
  ip link del "$(veth_of "$k")" 2>/dev/null || true
  ip netns del "$(ns_of "$k")" 2>/dev/null || true
}

net_down() {
  local k
  for k in $(existing_nodes); do net_down_node "$k"; done
  # also namespaces without a node dir (e.g. after `down --purge` of a crashed run)
  for k in $(ip netns list 2>/dev/null | awk '{print $1}' | sed -n "s/^$LAB_NAME-n\([0-9]\+\)\$/\1/p"); do
    net_down_node "$k"
  done
  while iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null; do
    iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  done
  ip link del "$BRIDGE" 2>/dev/null || true
}

# ---- engines --------------------------------------------------------------------
start_engine() {
  local k=$1 d pid
  d=$(ndir_of "$k")
  if pid=$(dockerd_pid "$k"); then return 0; fi
  mkdir -p "$d/data" "$d/exec"
  # Stale pidfile (killed run). Never remove one whose pid is a live dockerd: a second
  # dockerd on the same data-root would steal the socket path and wreck the node.
  if [[ -s $(pidf_of "$k") ]]; then
    read -r pid <"$(pidf_of "$k")" || true
    if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && [[ $(cat /proc/"$pid"/comm 2>/dev/null) == dockerd ]]; then
      die "node $k: pidfile names a running dockerd ($pid) that does not serve $(sock_of "$k"); stop it first"
    fi
    rm -f "$(pidf_of "$k")"
  fi
  # A containerd pidfile left by a killed run whose pid now belongs to someone else
  # would make dockerd try to reuse it; drop it unless it is really our containerd.
  local cpf=$d/exec/containerd/containerd.pid cpid
  if [[ -s $cpf ]]; then
    cpid=$(<"$cpf")
    if ! { alive "$cpid" && tr '\0' ' ' </proc/"$cpid"/cmdline | grep -qF "$d/exec"; }; then
      rm -f "$cpf"
    fi
  fi
  # nsenter --net (not `ip netns exec`, which remounts /sys: "Devices cgroup isn't
  # mounted"); unshare --uts so each node has its own hostname in `docker node ls`.
  # setsid -f + redirects: fully detached (not our child, own session, no inherited
  # fds such as the lock on fd 9), survives the calling shell/job being killed.
  setsid -f nsenter --net="/var/run/netns/$(ns_of "$k")" \
    unshare --uts sh -c 'hostname "$1"; shift; exec "$@"' sh "$(host_of "$k")" \
    dockerd \
      --data-root "$d/data" --exec-root "$d/exec" --pidfile "$(pidf_of "$k")" \
      -H "unix://$(sock_of "$k")" \
      --containerd-namespace "$LAB_NAME-n$k" --containerd-plugins-namespace "$LAB_NAME-n$k-p" \
      --cgroup-parent "$(cgp_of "$k")" \
      --exec-opt native.cgroupdriver=cgroupfs \
      --log-level warn \
      </dev/null >>"$d/dockerd.log" 2>&1 9>&-
}

wait_engine() {
  local k=$1 i
  for ((i = 0; i < 300; i++)); do
    engine_ok "$k" && return 0
    sleep 0.1
  done
  tail -n 20 "$(ndir_of "$k")/dockerd.log" >&2 || true
  die "engine of node $k did not come up (log: $(ndir_of "$k")/dockerd.log)"
}

# Stop node K's dockerd by its pidfile pid. With prekill=1 (down), the node's container
# processes (its cgroup subtree) are SIGKILLed while dockerd shuts down, so it does not
# sit out each container's 10 s stop timeout (busybox httpd as PID 1 ignores SIGTERM).
cg_procs() {
  local f
  for f in /sys/fs/cgroup/*"$(cgp_of "$1")"/; do
    [[ -d $f ]] && find "$f" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -u | tr '\n' ' '
}
stop_engine() {
  local k=$1 sig=${2:-TERM} prekill=${3:-0} pid i cg
  pid=$(dockerd_pid "$k") || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    alive "$pid" || break
    if (( prekill )); then cg=$(cg_procs "$k"); [[ -z ${cg// /} ]] || kill -9 $cg 2>/dev/null || true; fi
    sleep 0.1
  done
  alive "$pid" && kill -9 "$pid" 2>/dev/null || true
}

# After the dockerd is gone: kill the node's leftovers and unmount what it mounted.
reap_node() {
  local k=$1 pids d m
  d=$(ndir_of "$k")
  for i in 1 2 3; do
    pids=$(node_pids "$k" | sort -u | tr '\n' ' ')
    [[ -n ${pids// /} ]] || break
    kill -9 $pids 2>/dev/null || true
    sleep 0.2
  done
  # unmount overlay/shm/netns mounts a killed dockerd left under its dirs (deepest first)
  awk -v d="$d/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  for f in /sys/fs/cgroup/*"$(cgp_of "$k")"/ /sys/fs/cgroup"$(cgp_of "$k")"/; do
    [[ -d $f ]] && find "$f" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

# ---- swarm ----------------------------------------------------------------------
swarm_state() { dk "$1" info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.NodeID}}' 2>/dev/null; }

# A manager that has a leader (node 1 first; another while node 1 is down), and the docker
# CLI on it. Falls back to node 1 so errors still say something useful.
mgr_node() {
  local k m
  m=$(manager_count)
  for ((k = 1; k <= m; k++)); do
    dk "$k" node ls -q >/dev/null 2>&1 && { echo "$k"; return 0; }
  done
  echo 1
}
dm() { local k; k=$(mgr_node); dk "$k" "$@"; }

swarm_manager() {
  local st ctl
  read -r st ctl _ <<<"$(swarm_state 1)"
  if [[ $st == active && $ctl == true ]]; then return 0; fi
  if [[ $st != inactive ]]; then
    log "manager swarm state '$st' - leaving and re-initialising"
    dk 1 swarm leave --force >/dev/null 2>&1 || true
  fi
  dk 1 swarm init --advertise-addr "$(addr_of 1)" --listen-addr "$(addr_of 1):2377" \
    --default-addr-pool "$LAB_ADDR_POOL" --default-addr-pool-mask-length 24 >/dev/null
}

# Wait while node K is "pending" (normal right after a restart, while it reconnects).
settled_state() {
  local k=$1 i st rest
  for ((i = 0; i < 100; i++)); do
    read -r st rest <<<"$(swarm_state "$k")"
    [[ $st == pending ]] || break
    sleep 0.2
  done
  echo "$st $rest"
}

# Node K (by swarm id) is a Reachable manager (or the leader) in the swarm's view.
wait_reachable() {
  local k=$1 id=$2 i r
  for ((i = 0; i < 600; i++)); do
    r=$(dm node inspect --format '{{.ManagerStatus.Reachability}}' "$id" 2>/dev/null || true)
    [[ $r == reachable ]] && return 0
    sleep 0.2
  done
  die "node $k did not become a Reachable manager within 120 s"
}

# Make node K (2..M) a manager of node 1's swarm, as the same node when possible. One at a
# time: each waits until it is Reachable before the next joins (raft adds one member at a time).
swarm_join_manager() {
  local k=$1 token=$2 st ctl id
  read -r st ctl id <<<"$(settled_state "$k")"
  if [[ $st == active ]] && dm node inspect "$id" >/dev/null 2>&1; then
    [[ $ctl == true ]] || dm node promote "$id" >/dev/null
  else
    [[ $st == inactive ]] || dk "$k" swarm leave --force >/dev/null 2>&1 || true
    dk "$k" swarm join --token "$token" --advertise-addr "$(addr_of "$k")" \
      --listen-addr "$(addr_of "$k"):2377" "$(addr_of 1):2377" >/dev/null
    read -r st ctl id <<<"$(swarm_state "$k")"
  fi
  wait_reachable "$k" "$id"
}

# Make node K a worker of the manager's swarm, as the same node when possible (a former
# manager is demoted through another manager, one at a time).
swarm_worker() {
  local k=$1 token=$2 st ctl id i
  read -r st ctl id <<<"$(settled_state "$k")"
  if [[ $st == active && $ctl == true ]] && dm node inspect "$id" >/dev/null 2>&1; then
    dm node demote "$id" >/dev/null
    for ((i = 0; i < 300; i++)); do
      read -r st ctl id <<<"$(swarm_state "$k")"
      [[ $ctl == false ]] && break
      sleep 0.2
    done
  fi
  if [[ $st == active ]] && dm node inspect "$id" >/dev/null 2>&1; then return 0; fi
  if [[ $st != inactive ]]; then
    dk "$k" swarm leave --force >/dev/null 2>&1 || true
  fi
  dk "$k" swarm join --token "$token" --advertise-addr "$(addr_of "$k")" \
    --listen-addr "$(addr_of "$k"):2377" "$(addr_of 1):2377" >/dev/null
}

# Wait until nodes 1..N are Ready/Active (managers 1..M also Leader or Reachable); drop stale
# entries (nodes that re-joined under a new id, nodes beyond N) and reactivate drained nodes.
swarm_wait_ready() {
  local n=$1 m i k id host status avail mgr ok ids="" mids=""
  m=$(manager_count)
  for ((k = 1; k <= n; k++)); do
    id=$(swarm_state "$k" | awk '{print $3}')
    ids+=" $id"
    (( k <= m )) && mids+=" $id"
  done
  for ((i = 0; i < 600; i++)); do
    ok=0
    while read -r id host status avail mgr; do
      [[ -n $id ]] || continue
      if [[ " $ids " != *" $id "* ]]; then
        [[ $status == Down ]] && dm node rm --force "$id" >/dev/null 2>&1 || true
        continue
      fi
      [[ $avail == Active ]] || dm node update --availability active "$id" >/dev/null 2>&1 || true
      if [[ " $mids " == *" $id "* ]]; then [[ $mgr == Leader || $mgr == Reachable ]] || continue; fi
      [[ $status == Ready && $avail == Active ]] && ok=$((ok + 1))
    done < <(dm node ls --format '{{.ID}} {{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}' 2>/dev/null)
    (( ok == n )) && return 0
    sleep 0.2
  done
  dm node ls >&2 || true
  die "nodes not all Ready/Active (managers Reachable) after 120s"
}

# ---- images ---------------------------------------------------------------------
busybox_bin() { if [[ -x /usr/bin/busybox ]]; then echo /usr/bin/busybox; else echo /bin/busybox; fi; }
image_build_id() {
  { sha256sum "$(busybox_bin)" | cut -c1-64; echo "$IMAGE_RECIPE ${APPLETS[*]}"; } | sha256sum | cut -c1-16
}

# Build the rootfs tarballs (web v1 / v2) once per build id, under $LAB_DIR/images.
build_rootfs() {
  local bid=$1 out=$LAB_DIR/images/$1 v r a
  [[ -s $out/web-v1.tar && -s $out/web-v2.tar ]] && return 0
  rm -rf "$LAB_DIR/images"
  mkdir -p "$out"
  for v in v1 v2; do
    r=$out/rootfs-$v
    mkdir -p "$r"/{bin,www,etc,tmp,proc,sys,dev,root}
    cp "$(busybox_bin)" "$r/bin/busybox"
    for a in "${APPLETS[@]}"; do ln -sf busybox "$r/bin/$a"; done
    printf '%s' "$v" >"$r/www/index.html"
    echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
    echo 'root:x:0:' >"$r/etc/group"
    # busybox-static is static glibc: without nsswitch.conf, `wget http://host/` (no
    # explicit port -> getservbyname via NSS) segfaults inside containers.
    printf 'hosts: files dns\nservices: files\n' >"$r/etc/nsswitch.conf"
    printf 'http\t80/tcp\nhttps\t443/tcp\n' >"$r/etc/services"
    chmod 1777 "$r/tmp"
    tar --numeric-owner --owner=0 --group=0 -C "$r" -cf "$out/web-$v.tar.tmp" .
    mv "$out/web-$v.tar.tmp" "$out/web-$v.tar"
    rm -rf "$r"
  done
}

# Does node K already hold every image of this build id? (one docker call)
node_has_images() {
  local k=$1 bid=$2 got
  got=$(dk "$k" image inspect --format '{{index .Config.Labels "lab.build"}}' "${IMAGES[@]}" 2>/dev/null) || return 1
  [[ $(sort -u <<<"$got") == "$bid" ]]
}

# Import the images into node K from the rootfs tarballs.
import_node() {
  local k=$1 bid=$2 dir=$LAB_DIR/images/$2
  local common=(-c "LABEL lab.build=$bid" -c 'ENV PATH=/bin' -c 'WORKDIR /')
  local webcmd='CMD ["/bin/httpd","-f","-p","80","-h","/www"]'
  dk "$k" import "${common[@]}" -c 'EXPOSE 80' -c "$webcmd" "$dir/web-v1.tar" lab/web:v1 >/dev/null
  dk "$k" import "${common[@]}" -c 'EXPOSE 80' -c "$webcmd" "$dir/web-v2.tar" lab/web:v2 >/dev/null
  dk "$k" import "${common[@]}" -c 'CMD ["/bin/sh","-c","echo broken >&2; exit 1"]' "$dir/web-v1.tar" lab/broken:v1 >/dev/null
  dk "$k" import "${common[@]}" -c 'CMD ["/bin/sh","-c","while :; do :; done"]' "$dir/web-v1.tar" lab/burner:v1 >/dev/null
  # same as web:v1; tests give it a health check that fails
  dk "$k" tag lab/web:v1 lab/unhealthy:v1
}

# Every node gets the images; nodes already holding this build are skipped. Images are
# imported once (into the first node needing them), saved, and `docker load`ed into
# the others, so every node has the very same image IDs (import would mint new ones).
ensure_images() {
  local n=$1 force=${2:-0} bid k todo=() pids=() tmp first dir
  bid=$(image_build_id); dir=$LAB_DIR/images/$bid
  tmp=$(mktemp -d)
  for ((k = 1; k <= n; k++)); do
    { (( force )) || ! node_has_images "$k" "$bid"; } && touch "$tmp/$k" &
    pids+=($!)
  done
  wait "${pids[@]}" || true; pids=()
  for ((k = 1; k <= n; k++)); do [[ -e $tmp/$k ]] && todo+=("$k"); done
  rm -rf "$tmp"
  (( ${#todo[@]} )) || { log "images present on all $n nodes ($(elapsed))"; return 0; }
  if (( force )) || [[ ! -s $dir/images.tar ]]; then
    build_rootfs "$bid"
    first=${todo[0]}; todo=("${todo[@]:1}")
    import_node "$first" "$bid"
    dk "$first" save -o "$dir/images.tar.tmp" "${IMAGES[@]}"
    mv "$dir/images.tar.tmp" "$dir/images.tar"
    log "built images on node $first ($(elapsed))"
  fi
  for k in "${todo[@]}"; do dk "$k" load -q -i "$dir/images.tar" >/dev/null & pids+=($!); done
  for k in "${pids[@]}"; do wait "$k" || die "image load failed"; done
  (( ${#todo[@]} )) && log "loaded images on node(s) ${todo[*]} ($(elapsed))"
  # older copies of re-imported tags are left dangling; drop them
  for ((k = 1; k <= n; k++)); do dk "$k" image prune -f >/dev/null 2>&1 & pids+=($!); done
  wait "${pids[@]}" || true
}

# ---- commands -------------------------------------------------------------------
print_env() {
  local n m k engines="" netns="" addrs="" managers=""
  n=$(node_count); m=$(manager_count)
  for ((k = 1; k <= n; k++)); do   # inline, not via helpers: no forks
    engines+="${engines:+,}$LAB_NAME-node-$k=unix://$LAB_DIR/node-$k/docker.sock"
    netns+="${netns:+,}$LAB_NAME-node-$k=/var/run/netns/$LAB_NAME-n$k"
    addrs+="${addrs:+,}$LAB_NAME-node-$k=$LAB_SUBNET.$((10 + k))"
    (( k <= m )) && managers+="${managers:+,}unix://$LAB_DIR/node-$k/docker.sock"
  done
  cat <<EOF
export LAB_NAME=$LAB_NAME
export LAB_SUBNET=$LAB_SUBNET
export LAB_DIR=$LAB_DIR
export DOCKER_HOST=unix://$(sock_of 1)
export LAB_MANAGERS=$m
export LAB_MANAGER_HOSTS=$managers
export NODE_ENGINES=$engines
export LAB_NODE_NETNS=$netns
export LAB_NODE_ADDRS=$addrs
EOF
}

remove_node() {   # node K beyond the requested size: out of the swarm, stopped, gone
  local k=$1 id
  id=$(swarm_state "$k" | awk '{print $3}') || true
  stop_engine "$k" TERM 1; reap_node "$k"; net_down_node "$k"
  [[ -n $id ]] && dm node rm --force "$id" >/dev/null 2>&1 || true
  rm -rf "$(ndir_of "$k")"
}

# Is the lab already exactly as `up N` would leave it? All checks that need the
# engines run in parallel, so an already-up lab answers in a few hundred ms.
lab_healthy() {
  local n=$1 m=$2 k tmp bid pids=() st ctl id rows
  [[ $(node_count) == "$n" && ! -d $LAB_DIR/node-$((n + 1)) ]] || return 1
  [[ -s $LAB_DIR/managers || $m == 1 ]] || return 1
  [[ ! -s $LAB_DIR/managers || $(<"$LAB_DIR/managers") == "$m" ]] || return 1
  for ((k = 1; k <= n; k++)); do dockerd_pid "$k" >/dev/null || return 1; done
  [[ -e /sys/class/net/$BRIDGE ]] || return 1
  [[ $(ip -4 -o addr show dev "$BRIDGE" 2>/dev/null) == *" $LAB_SUBNET.1/24 "* ]] || return 1
  iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || return 1
  bid=$(image_build_id); tmp=$(mktemp -d)
  for ((k = 1; k <= n; k++)); do
    { swarm_state "$k" >"$tmp/state.$k"; node_has_images "$k" "$bid" && touch "$tmp/img.$k"; } &
    pids+=($!)
  done
  dk 1 node ls --format '{{.ID}} {{.Status}} {{.Availability}} {{.ManagerStatus}}' >"$tmp/nodes" 2>/dev/null & pids+=($!)
  wait "${pids[@]}" || true
  local rc=0
  for ((k = 1; k <= n; k++)); do
    read -r st ctl id <"$tmp/state.$k" || true
    [[ $st == active && -e $tmp/img.$k ]] || rc=1
    if (( k <= m )); then
      [[ $ctl == true ]] || rc=1
      grep -qxE "$id Ready Active (Leader|Reachable)" "$tmp/nodes" || rc=1
    else
      [[ $ctl == false ]] || rc=1
      grep -qxE "$id Ready Active ?" "$tmp/nodes" || rc=1
    fi
  done
  rows=$(wc -l <"$tmp/nodes")
  [[ $rows == "$n" ]] || rc=1
  rm -rf "$tmp"
  return $rc
}

cmd_up() {
  local n="" m=$DEFAULT_MANAGERS k token mtoken pids=()
  while (( $# )); do
    case $1 in
      --managers) m=${2:-}; shift 2 || die "up: --managers M" ;;
      --managers=*) m=${1#*=}; shift ;;
      *) [[ -z $n ]] || die "up: one node count only"; n=$1; shift ;;
    esac
  done
  n=${n:-$DEFAULT_NODES}
  [[ $n =~ ^[0-9]+$ ]] && (( n >= 1 && n <= 50 )) || die "up: N must be 1..50"
  [[ $m =~ ^[0-9]+$ ]] && (( m >= 1 && m <= n && m <= 7 )) || die "up: --managers must be 1..7 and at most N ($n)"
  need_root; check_tools; take_lock
  if lab_healthy "$n" "$m"; then
    log "already up: $n node(s) Ready/Active ($m manager(s)), images present ($(elapsed))"
    print_env; return 0
  fi
  log "up: $n node(s), $m manager(s), subnet $LAB_SUBNET.0/24, dir $LAB_DIR"
  net_up "$n"
  for ((k = 1; k <= n; k++)); do start_engine "$k"; done
  for ((k = 1; k <= n; k++)); do wait_engine "$k" & pids+=($!); done
  for k in "${pids[@]}"; do wait "$k" || exit 1; done; pids=()
  log "engines up ($(elapsed))"
  # The old manager count still names who may answer for the swarm while it changes.
  swarm_manager
  token=$(dk 1 swarm join-token -q worker)
  mtoken=$(dk 1 swarm join-token -q manager)
  # Managers first, one at a time (each Reachable before the next), then the workers together.
  for ((k = 2; k <= m; k++)); do swarm_join_manager "$k" "$mtoken"; done
  echo "$m" >"$LAB_DIR/managers"
  # Former managers are demoted one at a time, through another manager; then all join together.
  for ((k = m + 1; k <= n; k++)); do
    [[ $(swarm_state "$k" | awk '{print $2}') == true ]] && swarm_worker "$k" "$token"
  done
  for ((k = m + 1; k <= n; k++)); do swarm_worker "$k" "$token" & pids+=($!); done
  for k in "${pids[@]}"; do wait "$k" || die "a worker failed to join"; done
  for k in $(existing_nodes); do (( k > n )) && remove_node "$k"; done
  echo "$n" >"$LAB_DIR/nodes"
  # images meanwhile: import does not need the swarm to be Ready
  ensure_images "$n"
  swarm_wait_ready "$n"
  log "swarm ready: $n node(s) Ready/Active, $m manager(s) Reachable ($(elapsed))"
  print_env
}

cmd_down() {
  local purge=0 k pids=()
  [[ ${1:-} == --purge ]] && purge=1
  need_root
  [[ -d $LAB_DIR ]] && take_lock
  for k in $(existing_nodes); do stop_engine "$k" TERM 1 & pids+=($!); done
  for k in "${pids[@]}"; do wait "$k" || true; done
  for k in $(existing_nodes); do reap_node "$k"; done
  net_down
  if (( purge )); then
    rm -rf "$LAB_DIR"
    log "down: stopped, network removed, $LAB_DIR purged ($(elapsed))"
  else
    log "down: stopped, network removed, data kept in $LAB_DIR ($(elapsed))"
  fi
}

cmd_status() {
  local k pid st
  printf '%-14s %-10s %-12s %-8s %-8s %s\n' NODE NETNS ADDR DOCKERD ENGINE SWARM
  for k in $(existing_nodes); do
    pid=$(dockerd_pid "$k" || echo -)
    if engine_ok "$k"; then st=$(swarm_state "$k" | awk '{print $1 ($2 == "true" ? "/manager" : "")}'); e=up; else st=-; e=down; fi
    printf '%-14s %-10s %-12s %-8s %-8s %s\n' "$(host_of "$k")" "$(ns_of "$k")" "$(addr_of "$k")" "$pid" "$e" "$st"
  done
  echo
  dm node ls 2>&1 || true
}

node_arg() {
  [[ ${1:-} =~ ^[0-9]+$ && -d $(ndir_of "${1:-0}") ]] || die "no node '${1:-}' in $LAB_DIR (nodes: $(existing_nodes | tr '\n' ' '))"
}

cmd_start_node() {
  local k=$1 id i st
  node_arg "$k"; need_root; take_lock
  net_up "$(node_count)"
  start_engine "$k"; wait_engine "$k"
  id=$(swarm_state "$k" | awk '{print $3}')
  for ((i = 0; i < 300; i++)); do
    [[ $(dm node inspect --format '{{.Status.State}}' "$id" 2>/dev/null) == ready ]] && break
    sleep 0.2
  done
  (( k <= $(manager_count) )) && wait_reachable "$k" "$id"
  st=$(dm node inspect --format '{{.Status.State}} {{if .ManagerStatus}}{{.ManagerStatus.Reachability}}{{end}}' "$id" 2>/dev/null || echo unknown)
  log "node $k ($(host_of "$k")) started, swarm state: $st ($(elapsed))"
}

main() {
  local cmd=${1:-}; shift || true
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status ;;
    env) print_env ;;
    images) need_root; take_lock; ensure_images "$(node_count)" 1 ;;
    image) need_root; take_lock; LAB_NAME=$LAB_NAME LAB_DIR=$LAB_DIR LAB_DOCKER=$DOCKER exec bash "$(dirname "$0")/lab-image.sh" ;;
    node-exec)
      node_arg "${1:-}"; local k=$1; shift
      (( $# )) || die "node-exec K CMD..."
      exec nsenter --net="/var/run/netns/$(ns_of "$k")" -- "$@" ;;
    stop-node)
      node_arg "${1:-}"; need_root
      if [[ ${2:-} == --term ]]; then stop_engine "$1" TERM; else stop_engine "$1" KILL; fi
      log "node $1 ($(host_of "$1")) dockerd stopped" ;;
    start-node) cmd_start_node "${1:-}" ;;
    *) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
