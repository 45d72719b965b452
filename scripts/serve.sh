#!/usr/bin/env bash
# Sets up whatever is missing (Debian packages when root, npm ci, Redis, the swarm lab when
# DOCKER_HOST reaches no swarm), builds, and serves the API in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_all

npx tsc -p tsconfig.build.json

if [ -z "${AUTH_TOKENS_FILE:-}" ] && [ "${AUTH_DISABLED:-}" != "true" ]; then
  # A development token, made once and kept beside the lab's state.
  state="${SWARM_CP_STATE:-$HOME/.swarm-cp}"
  mkdir -p "$state" && chmod 700 "$state"
  export AUTH_TOKENS_FILE="$state/tokens.json"
  if [ ! -s "$AUTH_TOKENS_FILE" ]; then
    token="dev-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
    printf '[{"name":"dev","token":"%s","role":"admin"}]\n' "$token" > "$AUTH_TOKENS_FILE"
    chmod 600 "$AUTH_TOKENS_FILE"
  fi
fi
port="${PORT:-3000}"
cat <<MSG
==> Swarm control plane on http://localhost:${port}
    REST      http://localhost:${port}/v1/services
    GraphQL   http://localhost:${port}/graphql  (subscriptions: ws://localhost:${port}/graphql)
    Dashboard http://localhost:${port}/ui/  (sign in with the token below)
    API docs  http://localhost:${port}/docs
    Metrics   http://localhost:${port}/metrics
    Engine    ${DOCKER_HOST}
    Redis     ${REDIS_URL}
MSG
if [ -n "${AUTH_TOKENS_FILE:-}" ] && grep -q '"token"' "$AUTH_TOKENS_FILE" 2>/dev/null; then
  echo "    Token     $(grep -o '"token":"[^"]*"' "$AUTH_TOKENS_FILE" | head -1 | cut -d'"' -f4)  (from $AUTH_TOKENS_FILE)"
fi
exec node dist/main.js
