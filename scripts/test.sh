#!/usr/bin/env bash
# The whole test suite, on a fresh machine or a developer's: installs what the
# tests need, starts a throwaway PostgreSQL, runs pytest. `.ci/run` calls this.
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -m unit    # extra arguments go to pytest (kinds: unit, storage, app, browser)
#
# It stops the PostgreSQL cluster it started, writes nothing into the checkout
# (the tests use temporary folders), and its last line says what could not be
# tested: in CI (CI set, as `.ci/run` does) anything missing fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_PORT="${AUDIT_TEST_PG_PORT:-55432}"
PG_CLUSTER="${AUDIT_TEST_PG_CLUSTER:-audit_test}"
export DEBIAN_FRONTEND=noninteractive
STRICT="${CI:-}"  # non-empty in CI: a missing PostgreSQL, Chromium or LibreOffice fails the run

# 0. Python 3.11+, in a virtualenv when the system's Python is externally managed (Debian, Ubuntu).
PY="$(command -v python || command -v python3 || true)"
if [ -z "$PY" ]; then
  echo "!! no python3 found: install Python 3.11+ (apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "!! $("$PY" --version 2>&1) is too old: Touchpoint Audit needs Python 3.11+" >&2
  exit 1
fi
in_venv="$("$PY" -c 'import sys; print(int(sys.prefix != sys.base_prefix))')"
managed="$("$PY" -c 'import os, sysconfig; print(int(os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))))')"
if [ "$in_venv" = "0" ] && [ "$managed" = "1" ]; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  PY=.venv/bin/python
  echo "== using the virtualenv .venv (this system's Python is externally managed)"
fi

# 1. System packages: PostgreSQL server, Chromium (browser tests), LibreOffice and poppler (workbook and PDF checks),
#    HAProxy (the multi-replica test runs deploy/run-local.sh: replicas behind the proxy).
missing_packages() {
  local out=()
  [ -x /usr/lib/postgresql/15/bin/postgres ] || out+=(postgresql)
  [ -x /usr/bin/chromium ] || out+=(chromium)
  command -v soffice >/dev/null 2>&1 || out+=(libreoffice-calc-nogui)
  command -v pdftotext >/dev/null 2>&1 || out+=(poppler-utils)
  command -v haproxy >/dev/null 2>&1 || out+=(haproxy)
  echo "${out[*]:-}"
}
missing="$(missing_packages)"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "== installing Debian packages: $missing"
    # shellcheck disable=SC2086  # one word a package
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null; } \
      || echo "!! apt-get could not install: $missing" >&2
    missing="$(missing_packages)"
  else
    echo "!! not root: cannot install $missing" >&2
  fi
fi

# 2. Python packages.
echo "== installing Python packages"
"$PY" -m pip install -q --disable-pip-version-check -r requirements-dev.txt

# 3. A throwaway PostgreSQL cluster on 127.0.0.1:$PG_PORT (password auth over TCP), stopped again on exit.
started_pg=""
stop_pg() {
  if [ -n "$started_pg" ]; then
    pg_ctlcluster 15 "$PG_CLUSTER" stop >/dev/null 2>&1 || true
    echo "== stopped the PostgreSQL cluster $PG_CLUSTER"
    started_pg=""
  fi
}
trap stop_pg EXIT
if [ -x /usr/bin/pg_createcluster ] && [ "$(id -u)" = "0" ] && [ -z "${AUDIT_TEST_POSTGRES_URL:-}" ]; then
  if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$PG_CLUSTER"; then
    pg_createcluster 15 "$PG_CLUSTER" -p "$PG_PORT" >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v c="$PG_CLUSTER" '$2 == c {print $4}' | grep -qx online; then
    pg_ctlcluster 15 "$PG_CLUSTER" start
    started_pg=1
  fi
  for _ in $(seq 1 30); do
    su postgres -c "psql -p $PG_PORT -tAc 'SELECT 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  su postgres -c "psql -p $PG_PORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname='audit'\"" | grep -q 1 \
    || su postgres -c "psql -p $PG_PORT -qc \"CREATE ROLE audit LOGIN SUPERUSER PASSWORD 'audit'\""
  su postgres -c "psql -p $PG_PORT -tAc \"SELECT 1 FROM pg_database WHERE datname='audit_test'\"" | grep -q 1 \
    || su postgres -c "createdb -p $PG_PORT -O audit audit_test"
  export AUDIT_TEST_POSTGRES_URL="postgresql+psycopg://audit:audit@127.0.0.1:$PG_PORT/audit_test"
  export AUDIT_REQUIRE_POSTGRES="${AUDIT_REQUIRE_POSTGRES:-1}"
  echo "== PostgreSQL cluster $PG_CLUSTER on 127.0.0.1:$PG_PORT"
fi
if [ -n "$STRICT" ]; then
  export AUDIT_REQUIRE_POSTGRES=1  # CI: the PostgreSQL variants fail rather than skip
fi

# 4. The gates: lint (ruff) and types (mypy), settings in pyproject.toml; any finding fails the run.
#    (The layer contract ui -> services -> store -> core is tests/test_architecture.py, run with the tests.)
status=0
echo "== ruff"
"$PY" -m ruff check --quiet audit tests audit_app.py audit_server.py || { echo "!! ruff found problems (above)" >&2; status=1; }
echo "== mypy"
"$PY" -m mypy || { echo "!! mypy found problems (above)" >&2; status=1; }

# 5. The tests.
echo "== pytest"
"$PY" -m pytest -q -rs "$@" || status=$?
stop_pg  # before the last line (the trap covers an interrupted run)

# 6. The last line: what was not tested, and why.
untested=()
[ -n "${AUDIT_TEST_POSTGRES_URL:-}" ] || untested+=("PostgreSQL (no server; run as root or set AUDIT_TEST_POSTGRES_URL)")
for package in $missing; do
  case "$package" in
    postgresql) ;;  # said above when no server was reachable
    chromium) untested+=("browser tests (chromium is not installed)") ;;
    libreoffice-calc-nogui) untested+=("LibreOffice checks (soffice is not installed)") ;;
    poppler-utils) untested+=("PDF checks (pdftotext is not installed)") ;;
    haproxy) untested+=("the multi-replica test (haproxy is not installed)") ;;
  esac
done
if [ ${#untested[@]} -gt 0 ]; then
  if [ -n "$STRICT" ]; then
    echo "!! FAILED: not tested: ${untested[*]}" >&2
    exit 1
  fi
  echo "!! not tested here: ${untested[*]} (CI fails on this)" >&2
fi
exit "$status"
