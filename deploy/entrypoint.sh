#!/usr/bin/env bash
# The one entrypoint of every process of a deployment: the container image (Dockerfile, compose.yaml)
# and deploy/run-local.sh (which the multi-replica test runs) start exactly these lines.
#
#   deploy/entrypoint.sh app     one app replica: waits for the database and migrates it (once, under
#                                PostgreSQL's advisory lock), then serves on $AUDIT_PORT (default 8501),
#                                with /_audit/ready for the proxy's health check
#   deploy/entrypoint.sh proxy   HAProxy on $AUDIT_PROXY_ADDRESS:$AUDIT_PROXY_PORT (default *:8080) in
#                                front of $AUDIT_REPLICAS ("host:port host:port ..."), sticky by cookie
#   deploy/entrypoint.sh proxy-config   print the proxy's configuration (what `proxy` runs with)
#
# app:   AUDIT_DATABASE_URL (all replicas the same), AUDIT_PORT, AUDIT_ADDRESS (default 0.0.0.0),
#        AUDIT_READY_WAIT (seconds to wait for the database, default 60),
#        STREAMLIT_SERVER_COOKIE_SECRET (the same on every replica)
# proxy: AUDIT_REPLICAS, AUDIT_PROXY_PORT, AUDIT_PROXY_ADDRESS, AUDIT_PROXY_CONFIG (where the
#        rendered configuration goes, default $TMPDIR/audit-haproxy.cfg)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."

render_proxy_config() {
  local i=0 replica
  cat "$here/haproxy.cfg"
  for replica in ${AUDIT_REPLICAS:?set AUDIT_REPLICAS to \"host:port host:port\"}; do
    i=$((i + 1))
    printf '    server app%d %s check cookie app%d\n' "$i" "$replica" "$i"
  done
}

case "${1:-app}" in
  app)
    python -m audit ready --migrate --wait "${AUDIT_READY_WAIT:-60}"
    exec python -m streamlit run audit_server.py \
      --server.port "${AUDIT_PORT:-8501}" --server.address "${AUDIT_ADDRESS:-0.0.0.0}" \
      --server.headless true --server.fileWatcherType none --browser.gatherUsageStats false
    ;;
  proxy-config)
    render_proxy_config
    ;;
  proxy)
    export AUDIT_PROXY_PORT="${AUDIT_PROXY_PORT:-8080}" AUDIT_PROXY_ADDRESS="${AUDIT_PROXY_ADDRESS:-*}"
    config="${AUDIT_PROXY_CONFIG:-${TMPDIR:-/tmp}/audit-haproxy.cfg}"
    render_proxy_config > "$config"
    haproxy -c -q -f "$config"
    exec haproxy -W -db -f "$config"
    ;;
  *)
    echo "usage: $0 app|proxy|proxy-config" >&2
    exit 2
    ;;
esac
