#!/usr/bin/env bash
# The whole test suite, on a fresh machine or a developer's: installs what the
# tests need, starts a throwaway PostgreSQL, runs pytest. `.ci/run` calls this.
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -k catalog # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

PG_PORT="${AUDIT_TEST_PG_PORT:-55432}"
PG_CLUSTER="audit_test"
export DEBIAN_FRONTEND=noninteractive

# 1. System packages: PostgreSQL server, Chromium (browser tests), LibreOffice (workbook check),
#    HAProxy (the multi-replica test runs deploy/run-local.sh: replicas behind the proxy).
missing=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)  # the workbook print test and the PDF report tests read PDFs
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "== installing Debian packages: ${missing[*]}"
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "!! not root: cannot install ${missing[*]}; the tests that need them will say so" >&2
  fi
fi

# 2. Python packages.
echo "== installing Python packages"
python -m pip install -q --disable-pip-version-check -r requirements-dev.txt

# 3. A throwaway PostgreSQL cluster on 127.0.0.1:$PG_PORT (password auth over TCP).
if [ -x /usr/bin/pg_createcluster ] && [ "$(id -u)" = "0" ] && [ -z "${AUDIT_TEST_POSTGRES_URL:-}" ]; then
  if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$PG_CLUSTER"; then
    pg_createcluster 15 "$PG_CLUSTER" -p "$PG_PORT" >/dev/null
  fi
  pg_ctlcluster 15 "$PG_CLUSTER" start 2>/dev/null || true
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

# 4. The tests.
echo "== pytest"
python -m pytest -q -rs "$@"
