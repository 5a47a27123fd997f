#!/usr/bin/env bash
# The whole multi-replica set on this machine: PostgreSQL, N app replicas, HAProxy in front. Every app
# replica and the proxy is started by deploy/entrypoint.sh, exactly as in the container (compose.yaml).
#
#   deploy/run-local.sh start [--replicas N] [--port P] [--dir DIR]   returns once all is ready; prints the address
#   deploy/run-local.sh stop [--dir DIR]                               stops all it started (and its PostgreSQL)
#   deploy/run-local.sh status [--dir DIR]
#
# The database: AUDIT_DATABASE_URL if set (a PostgreSQL all replicas share), otherwise a throwaway
# PostgreSQL cluster made here with initdb (as root: run as the postgres user), removed by `stop`.
# The proxy listens on 127.0.0.1:P (default 8080), the replicas on P+1 ... P+N. DIR (default
# ./run/local) keeps the pids, the logs, the proxy's configuration and the database URL (db.url).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

action="${1:-}"
shift || true
replicas=2 port=8080 dir="run/local"
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

say() { echo "== $*"; }

pg_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$found" ] || { echo "PostgreSQL's server is not installed (Debian: apt-get install postgresql); or set AUDIT_DATABASE_URL" >&2; exit 1; }
  echo "$found"
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_postgres() {
  local bin pgdir pgport password
  bin="$(pg_bin)"
  pgdir="$(mktemp -d "${TMPDIR:-/tmp}/audit-pg.XXXXXX")"
  pgport="$(free_port)"
  password="$(python -c 'import secrets; print(secrets.token_hex(16))')"
  echo "$pgdir" > "$dir/pg.dir"
  printf '%s\n' "$password" > "$pgdir/pw"
  [ "$(id -u)" = "0" ] && chown -R postgres "$pgdir"
  as_postgres "$bin/initdb" -D "$pgdir/data" -U audit --pwfile="$pgdir/pw" --auth=scram-sha-256 --no-locale -E UTF8 >"$dir/postgres.log" 2>&1
  rm -f "$pgdir/pw"
  as_postgres "$bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
    -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1" start >>"$dir/postgres.log" 2>&1
  PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$pgport" -U audit audit
  echo "postgresql+psycopg://audit:$password@127.0.0.1:$pgport/audit" > "$dir/db.url"
  say "PostgreSQL (throwaway cluster) on 127.0.0.1:$pgport"
}

wait_for() {  # URL SECONDS: until the URL answers 200
  python - "$1" "$2" <<'EOF'
import sys, time, urllib.request
url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while True:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            if answer.status == 200:
                sys.exit(0)
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit(f"{url} did not answer in time")
    time.sleep(0.3)
EOF
}

start() {
  if [ -f "$dir/proxy.pid" ] && kill -0 "$(cat "$dir/proxy.pid")" 2>/dev/null; then
    echo "already running (deploy/run-local.sh stop --dir $dir)" >&2; exit 1
  fi
  command -v haproxy >/dev/null || { echo "HAProxy is not installed (Debian: apt-get install haproxy)" >&2; exit 1; }
  if [ -n "${AUDIT_DATABASE_URL:-}" ]; then
    echo "$AUDIT_DATABASE_URL" > "$dir/db.url"
  else
    start_postgres
  fi
  export AUDIT_DATABASE_URL="$(cat "$dir/db.url")"
  # What every replica must share: the cookie secret (Streamlit's XSRF cookie) and the key that seals CRM secrets.
  export STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$(python -c 'import secrets; print(secrets.token_hex(32))')}"
  export AUDIT_SECRET_KEY="${AUDIT_SECRET_KEY:-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')}"
  export AUDIT_PUBLIC_URL="${AUDIT_PUBLIC_URL:-http://127.0.0.1:$port}"
  local i addresses=""
  for i in $(seq 1 "$replicas"); do
    AUDIT_PORT=$((port + i)) AUDIT_ADDRESS=127.0.0.1 setsid "$root/deploy/entrypoint.sh" app >"$dir/app$i.log" 2>&1 &
    echo $! > "$dir/app$i.pid"
    addresses="$addresses 127.0.0.1:$((port + i))"
  done
  for i in $(seq 1 "$replicas"); do
    wait_for "http://127.0.0.1:$((port + i))/_audit/ready" 180 || { tail -20 "$dir/app$i.log" >&2; exit 1; }
  done
  say "$replicas app replicas ready on ports $((port + 1))-$((port + replicas))"
  AUDIT_REPLICAS="${addresses# }" AUDIT_PROXY_PORT="$port" AUDIT_PROXY_ADDRESS=127.0.0.1 AUDIT_PROXY_CONFIG="$dir/haproxy.cfg" \
    setsid "$root/deploy/entrypoint.sh" proxy >"$dir/proxy.log" 2>&1 &
  echo $! > "$dir/proxy.pid"
  wait_for "http://127.0.0.1:$port/_stcore/health" 60 || { tail -20 "$dir/proxy.log" >&2; exit 1; }
  say "ready: http://127.0.0.1:$port (HAProxy, sticky cookie AUDIT_REPLICA); logs and pids in $dir"
}

stop_pid() {  # FILE: TERM the process group, wait, then KILL
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop() {
  local file pgdir
  stop_pid "$dir/proxy.pid"
  for file in "$dir"/app*.pid; do [ -e "$file" ] && stop_pid "$file"; done
  if [ -f "$dir/pg.dir" ]; then
    pgdir="$(cat "$dir/pg.dir")"
    [ -d "$pgdir/data" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$pgdir/data" -m fast -w stop >>"$dir/postgres.log" 2>&1 || true
    rm -rf "$pgdir" "$dir/pg.dir" "$dir/db.url"
  fi
  say "stopped"
}

status() {
  local file
  for file in "$dir"/*.pid; do
    [ -e "$file" ] || continue
    if kill -0 "$(cat "$file")" 2>/dev/null; then echo "$(basename "$file" .pid): running"; else echo "$(basename "$file" .pid): gone"; fi
  done
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [--replicas N] [--port P] [--dir DIR]" >&2; exit 2 ;;
esac
