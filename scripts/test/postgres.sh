#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server: `scripts/test/postgres.sh [--connector-store] <command> [args...]`.
#
# Installs Debian's postgresql when it is missing (as root), initialises a cluster in a temporary directory owned
# by a non-root user (the server refuses to run as root: as root the `postgres` system user runs it), starts it
# on a free loopback port with password authentication, creates a database, exports
#   COSELL_TEST_POSTGRES_URL=postgres://cosell:<random password>@127.0.0.1:<port>/cosell_test
# and runs the command. The server is stopped and its directory removed on exit, whatever happens.
# --connector-store also exports COSELL_STORE_URL (the connector's own setting) with the same URL, so every
# connector that loads its configuration from the environment keeps its queue on this server.
# With COSELL_TEST_POSTGRES_URL already set, the command simply runs against that server.
set -euo pipefail

CONNECTOR_STORE=
if [ "${1:-}" = "--connector-store" ]; then
  CONNECTOR_STORE=1
  shift
fi
if [ "$#" -eq 0 ]; then
  echo "usage: $0 [--connector-store] <command> [args...]" >&2
  exit 2
fi

if [ -n "${COSELL_TEST_POSTGRES_URL:-}" ]; then
  if [ -n "$CONNECTOR_STORE" ]; then export COSELL_STORE_URL="$COSELL_TEST_POSTGRES_URL"; fi
  exec "$@"
fi

find_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! BINDIR=$(find_bindir); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is not installed. Install it with: sudo apt-get install -y postgresql  (then run this again)" >&2
    exit 1
  fi
  echo "Installing PostgreSQL (apt-get install -y postgresql)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
  BINDIR=$(find_bindir) || { echo "apt-get installed postgresql but no initdb was found under /usr/lib/postgresql/*/bin" >&2; exit 1; }
fi

# The server must not run as root: use the postgres system user (created by the package) when we are root.
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "Running as root, but there is no 'postgres' system user to run the server as; reinstall postgresql." >&2
    exit 1
  fi
  as_owner() { runuser -u postgres -- "$@"; }
  OWNER=postgres
else
  as_owner() { "$@"; }
  OWNER=$(id -un)
fi

# As root the postgres user must reach the directory: /tmp, not a TMPDIR that may sit under /root.
if [ "$OWNER" = postgres ]; then BASE=/tmp; else BASE=${TMPDIR:-/tmp}; fi
WORK=$(mktemp -d "$BASE/cosell-pg.XXXXXX")
chmod 700 "$WORK"
chown "$OWNER" "$WORK"
DATA="$WORK/data"
LOG="$WORK/server.log"

cleanup() {
  local status=$?
  if [ -f "$DATA/postmaster.pid" ]; then
    as_owner "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free port: bind port 0 on loopback and take what the kernel picked.
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
PWFILE="$WORK/pwfile"
printf '%s\n' "$PASSWORD" >"$PWFILE"
chown "$OWNER" "$PWFILE"

as_owner "$BINDIR/initdb" -D "$DATA" -U cosell --pwfile="$PWFILE" --auth=scram-sha-256 --no-sync -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 || {
  cat "$WORK/initdb.log" >&2
  exit 1
}
rm -f "$PWFILE"
as_owner "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK -c max_connections=200" start >/dev/null || {
  echo "PostgreSQL did not start; its log:" >&2
  cat "$LOG" >&2
  exit 1
}
PGPASSWORD="$PASSWORD" "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U cosell cosell_test

export COSELL_TEST_POSTGRES_URL="postgres://cosell:${PASSWORD}@127.0.0.1:${PORT}/cosell_test"
if [ -n "$CONNECTOR_STORE" ]; then export COSELL_STORE_URL="$COSELL_TEST_POSTGRES_URL"; fi
echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:${PORT} (data in $DATA)" >&2
"$@"
