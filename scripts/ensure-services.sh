#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on localhost for the test suite: start them, or install
# them from Debian's packages when we are allowed to; otherwise say exactly what to run.
# Prints `export ...` lines for the URLs it found, for `eval`.
set -uo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }
log() { echo "$*" >&2; }
PY=${PY:-.venv/bin/python}

pg_ok() {  # $1: URL
  "$PY" - "$1" <<'PY' 2>/dev/null
import sys, psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
with psycopg.connect(url, connect_timeout=3) as conn:
    conn.execute("SELECT 1")
PY
}

redis_ok() {
  "$PY" -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()" "$1" 2>/dev/null
}

start_postgres() {
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    log "PostgreSQL is not installed; installing it from Debian's packages"
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start 2>/dev/null || true
  for _ in $(seq 1 20); do
    as_root su postgres -c "psql -qtAc 'SELECT 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  # A role for the tests with a password, in case TCP connections need one.
  as_root su postgres -c "psql -qc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='tandem') THEN CREATE ROLE tandem LOGIN SUPERUSER PASSWORD 'tandem'; END IF; END \\\$\\\$\"" >/dev/null 2>&1 || true
}

find_postgres() {
  local candidates=("${TEST_DATABASE_URL:-}" "postgresql://postgres@127.0.0.1:5432/postgres"
                    "postgresql://$(id -un)@127.0.0.1:5432/postgres" "postgresql://tandem:tandem@127.0.0.1:5432/postgres")
  for url in "${candidates[@]}"; do
    [ -n "$url" ] && pg_ok "$url" && { echo "$url"; return 0; }
  done
  return 1
}

url=$(find_postgres) || { start_postgres; url=$(find_postgres); } || {
  log "PostgreSQL is not reachable on 127.0.0.1:5432 and could not be started."
  log "Start it (pg_ctlcluster --skip-systemctl-redirect 15 main start) or set TEST_DATABASE_URL to a server"
  log "where the user may create databases, then run 'make test' again."
  exit 2
}
echo "export TEST_DATABASE_URL='$url'"

redis_url=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
if ! redis_ok "$redis_url"; then
  if ! command -v redis-server >/dev/null; then
    log "Redis is not installed; installing it from Debian's packages"
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  command -v redis-server >/dev/null && \
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null 2>&1
  for _ in $(seq 1 10); do redis_ok "$redis_url" && break; sleep 1; done
  redis_ok "$redis_url" || {
    log "Redis is not reachable on 127.0.0.1:6379 and could not be started."
    log "Start it (redis-server --daemonize yes --port 6379 --save '') or set TEST_REDIS_URL, then run 'make test' again."
    exit 2
  }
fi
echo "export TEST_REDIS_URL='$redis_url'"
