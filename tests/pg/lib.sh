# lib.sh - a private PostgreSQL server for the tests in tests/pg (sourced after tests/stress/lib.sh)
# shellcheck shell=bash disable=SC2034 # pg_out, pg_err: for the tests
#
# pg_gate                 skip unless PostgreSQL is here or may be installed (see below)
# pg_setup                initdb in a new directory, start the server, create the database and
#                         the roles; the server is stopped and the directory removed at exit
#                         (an EXIT trap; a test that sets its own calls pg_cleanup in it)
# pg_start, pg_stop [fast|immediate], pg_restart [fast|immediate]
#                         stop and start the server mid-test (immediate: a crash, no checkpoint)
# pg_running              whether the server answers
# pg_psql ROLE ARG...     psql as ROLE (-X -At -q, ON_ERROR_STOP), e.g. pg_psql tlsrpt_read -c 'SELECT 1'
# pg_try ROLE SQL         run SQL as ROLE; its status; psql's stderr in $pg_err
# pg_as ROLE CMD...       run CMD as the server's OS user with libpq's PGHOST, PGPORT,
#                         PGDATABASE and PGUSER set for ROLE (for tlsrptdb --db "dbname=...")
# pg_conninfo ROLE        a key=value connection string for ROLE; pg_uri ROLE the same as a URI
# pg_set_password ROLE    give ROLE a password, kept in $PG_DIR/pgpass (PGPASSFILE), and make the
#                         server ask ROLE for it (scram-sha-256); the password is never on a
#                         command line
# pg_read_only on|off     make the database refuse writes (default_transaction_read_only)
# pg_load_schema FILE     run the SQL of FILE as the schema owner, in one transaction
#
# The server: initdb as an unprivileged OS user ($PG_USER: ourselves, or when we are root the
# system user tlsrptdb-pg, created if missing), listening on no TCP port, only on a unix socket
# in $PG_DIR/sock, mode 0700.  Durability as in production (fsync, synchronous_commit and
# full_page_writes on: a COMMIT returns once its WAL is on disk), so that exit 0 after COMMIT
# means what it will mean on a real server.  Only what a test server may skip is skipped: the
# sync of initdb's files (nothing of a test is in them), the TCP listener, statistics of
# functions and the logging collector.  tests/pg/README.md says why each role has what.
#
# The roles: the bootstrap superuser tlsrptdb_admin (only this file uses it, to make roles and
# the database, and for faults); the schema owner tlsrpt_owner (runs the migrations); and the
# login roles the commands run as: tlsrpt_ingest (a member of tlsrptdb_writer), tlsrpt_read
# (tlsrptdb_reader) and tlsrpt_maint (tlsrptdb_pruner, itself a member of tlsrptdb_writer).
# The schema grants to the NOLOGIN group roles tlsrptdb_writer, tlsrptdb_reader and
# tlsrptdb_pruner, never to a login role.  Authentication is peer (the kernel's word for the
# OS user) with a map that lets $PG_USER, and nobody else, log in as each of these roles: no
# password exists, so none can leak; pg_set_password tries the .pgpass way for one role.
#
# Gate: runs where initdb, postgres and psql are installed.  If they are not, they are
# installed with apt-get (the packages postgresql and libpq-dev), and as root the system user
# tlsrptdb-pg is created if missing; both only with TLSRPTDB_TEST_PG=1 or TLSRPTDB_TEST_MTA=1
# (a throwaway machine: .ci/run sets the latter), else the test is skipped.

PG_ROLES="tlsrpt_owner tlsrpt_ingest tlsrpt_read tlsrpt_maint"
PG_ADMIN=tlsrptdb_admin
PG_DATABASE=tlsrpt
PG_PORT=5432 # names the socket file only: no TCP
PG_DIR=
PG_USER=
PG_BINDIR=
# libpq reads these from the environment: none of the caller's may redirect a test
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE \
  PGOPTIONS PGSSLMODE PGREQUIRESSL PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS PGAPPNAME PGTZ

# pg_may_change_machine : whether the test may install packages and add a system user
pg_may_change_machine () {
  { [ "${TLSRPTDB_TEST_PG:-}" = 1 ] || [ "${TLSRPTDB_TEST_MTA:-}" = 1 ]; } \
    && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null
}
# pg_find_bindir : $PG_BINDIR = the directory of the newest installed initdb and postgres
pg_find_bindir () {
  local d
  PG_BINDIR=
  for d in ${PG_BINDIR_OVERRIDE:-} $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ]; then
      PG_BINDIR=$d
      return 0
    fi
  done
  return 1
}
# pg_gate : skip_all unless a server can be run here (installing PostgreSQL if allowed)
pg_gate () {
  if ! pg_find_bindir; then
    pg_may_change_machine || skip_all "PostgreSQL is not installed; TLSRPTDB_TEST_PG=1 (or TLSRPTDB_TEST_MTA=1) as root installs it"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends postgresql libpq-dev >"$TESTTMP/apt.log" 2>&1; then
      apt-get update -qq >/dev/null 2>&1
      apt-get install -y -qq --no-install-recommends postgresql libpq-dev >>"$TESTTMP/apt.log" 2>&1 \
        || { sed 's/^/# apt: /' "$TESTTMP/apt.log" | tail -20; echo "not ok 1 - apt-get install postgresql"; exit 1; }
    fi
    pg_find_bindir || { echo "not ok 1 - postgresql installed, but no initdb under /usr/lib/postgresql"; exit 1; }
  fi
  if [ "$(id -u)" = 0 ]; then
    PG_USER=tlsrptdb-pg
    if ! id "$PG_USER" >/dev/null 2>&1; then
      pg_may_change_machine || skip_all "root needs the system user $PG_USER to run a server; TLSRPTDB_TEST_PG=1 creates it"
      useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_USER" \
        || { echo "not ok 1 - useradd $PG_USER"; exit 1; }
    fi
  else
    PG_USER=$(id -un)
  fi
}

# pg_server_user CMD... : run CMD as $PG_USER (from /, which that user can read)
pg_server_user () {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u "$PG_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

# pg_conninfo ROLE / pg_uri ROLE : how a client reaches the test database as ROLE
pg_conninfo () { echo "host=$PG_DIR/sock port=$PG_PORT dbname=$PG_DATABASE user=$1"; }
pg_uri () {
  local host
  host=$(printf '%s' "$PG_DIR/sock" | sed 's|/|%2F|g')
  echo "postgresql://$1@$host:$PG_PORT/$PG_DATABASE"
}

# pg_psql ROLE ARG... : psql as ROLE on the test database
pg_psql () {
  local role=$1
  shift
  pg_server_user env PGPASSFILE="${PG_PASSFILE:-/nonexistent}" "$PG_BINDIR/psql" -X -q -At \
    -v ON_ERROR_STOP=1 -h "$PG_DIR/sock" -p "$PG_PORT" -d "${PG_DB_OVERRIDE:-$PG_DATABASE}" \
    -U "$role" "$@"
}
# pg_try ROLE SQL : run SQL as ROLE, return psql's status; stdout in $pg_out, stderr in $pg_err
pg_try () {
  local status
  pg_psql "$1" -c "$2" >"$TESTTMP/pg.out" 2>"$TESTTMP/pg.err"
  status=$?
  pg_out=$(cat "$TESTTMP/pg.out") pg_err=$(cat "$TESTTMP/pg.err")
  return $status
}
# pg_as ROLE CMD... : CMD as $PG_USER, with libpq's environment pointing at the test database
pg_as () {
  local role=$1
  shift
  pg_server_user env PGHOST="$PG_DIR/sock" PGPORT="$PG_PORT" PGDATABASE="$PG_DATABASE" \
    PGUSER="$role" PGPASSFILE="${PG_PASSFILE:-/nonexistent}" "$@"
}

# pg_ctl_run ARG... : pg_ctl on the test server's data directory
pg_ctl_run () { pg_server_user "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" "$@"; }
pg_running () { pg_server_user "$PG_BINDIR/pg_isready" -q -h "$PG_DIR/sock" -p "$PG_PORT" -t 5; }
# pg_start : start the server and wait until it takes connections
pg_start () {
  pg_ctl_run -l "$PG_DIR/server.log" -w -t 60 start >/dev/null \
    || { echo "# pg_start failed:"; sed 's/^/#   /' "$PG_DIR/server.log" | tail -20; return 1; }
}
# pg_stop [fast|immediate] : stop the server (immediate: as a crash, recovery at the next start)
pg_stop () { pg_ctl_run -m "${1:-fast}" -w -t 60 stop >/dev/null; }
pg_restart () { pg_stop "${1:-fast}" && pg_start; }

# pg_cleanup : stop the server if it runs, remove its directory (KEEP=1 keeps it)
pg_cleanup () {
  [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pg_ctl_run -m immediate -w -t 30 stop >/dev/null 2>&1
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "# kept $PG_DIR" >&2; return 0; fi
  rm -rf "$PG_DIR"
}

# pg_dir : $PG_DIR = a new directory for the server, owned by $PG_USER, with a short path (the
# socket's path must fit in 107 bytes)
pg_dir () {
  local base=${TMPDIR:-/tmp}
  [ ${#base} -le 60 ] || base=/tmp
  PG_DIR=$(mktemp -d "$base/tlsrptdb-pg.XXXXXX") || return 1
  chmod 0700 "$PG_DIR"
  [ "$(id -u)" != 0 ] || chown "$PG_USER:" "$PG_DIR"
  case $(stat -f -c %T "$PG_DIR") in
    tmpfs | ramfs) echo "# note: $PG_DIR is on $(stat -f -c %T "$PG_DIR"): fsync costs nothing there, timings are not a disk's" ;;
  esac
}

# pg_write_config : postgresql.conf additions, pg_hba.conf and pg_ident.conf
pg_write_config () {
  local role
  pg_server_user tee -a "$PG_DIR/data/postgresql.conf" >/dev/null <<EOF

# --- tests/pg/lib.sh ---
listen_addresses = ''                 # no TCP at all
unix_socket_directories = '$PG_DIR/sock'
unix_socket_permissions = 0700        # only $PG_USER (the kernel checks before peer auth does)
port = $PG_PORT
max_connections = 50                  # concurrency tests run a few dozen ingests at once
shared_buffers = 64MB
# durability exactly as a production server: a COMMIT has its WAL on disk when it returns
fsync = on
synchronous_commit = on
full_page_writes = on
wal_sync_method = fdatasync
# quieter and a little lighter; none of it touches what a client can observe
logging_collector = off
log_min_messages = warning
log_connections = off
track_functions = none
dynamic_shared_memory_type = posix
jit = off                             # a JIT compile costs more than our queries (bench/pg-notes.md)
EOF
  {
    echo "# tests/pg/lib.sh: only $PG_USER, vouched for by the kernel, as the test roles"
    echo "local all all peer map=tests"
  } | pg_server_user tee "$PG_DIR/data/pg_hba.conf" >/dev/null
  {
    for role in $PG_ADMIN $PG_ROLES; do echo "tests $PG_USER $role"; done
  } | pg_server_user tee "$PG_DIR/data/pg_ident.conf" >/dev/null
}

# pg_make_roles : the database, the group roles the schema grants to, the login roles
pg_make_roles () {
  PG_DB_OVERRIDE=postgres pg_psql "$PG_ADMIN" <<EOF
CREATE ROLE tlsrptdb_writer NOLOGIN;
CREATE ROLE tlsrptdb_reader NOLOGIN;
CREATE ROLE tlsrptdb_pruner NOLOGIN IN ROLE tlsrptdb_writer;
CREATE ROLE tlsrpt_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE tlsrpt_ingest LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE tlsrptdb_writer;
CREATE ROLE tlsrpt_read LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE tlsrptdb_reader;
ALTER ROLE tlsrpt_read SET default_transaction_read_only = on;
CREATE ROLE tlsrpt_maint LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE tlsrptdb_pruner;
-- a locale whose lower() folds non-ASCII: the schema must not depend on the database's
CREATE DATABASE $PG_DATABASE OWNER tlsrpt_owner TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8';
REVOKE ALL ON DATABASE $PG_DATABASE FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $PG_DATABASE TO tlsrpt_owner, tlsrptdb_writer, tlsrptdb_reader;
EOF
  # PostgreSQL 15: the schema public belongs to the database owner; nobody else may create in it
  PG_DB_OVERRIDE=$PG_DATABASE pg_psql "$PG_ADMIN" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO tlsrptdb_writer, tlsrptdb_reader;"
}

# pg_setup : a new server with the test database and roles, stopped and removed at exit
pg_setup () {
  [ -n "$PG_BINDIR" ] || pg_gate
  pg_dir || { echo "not ok - cannot make a directory for the server"; exit 1; }
  # stress/lib.sh's clean-up and ours; a test that sets its own EXIT trap calls pg_cleanup in it
  trap 'pg_cleanup; [ "${KEEP:-0}" = 1 ] || rm -rf "$TESTTMP"' EXIT
  trap 'exit 130' INT TERM
  pg_server_user mkdir -m 0700 "$PG_DIR/sock"
  # --no-sync: initdb's files hold nothing of a test; the server itself syncs as in production
  if ! pg_server_user "$PG_BINDIR/initdb" -D "$PG_DIR/data" -U "$PG_ADMIN" --auth=peer \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync --no-instructions >"$PG_DIR/initdb.log" 2>&1; then
    echo "# initdb failed:"
    sed 's/^/#   /' "$PG_DIR/initdb.log" | tail -20
    return 1
  fi
  pg_write_config && pg_start && pg_make_roles >/dev/null
}

# pg_set_password ROLE : ROLE logs in with a password from $PG_DIR/pgpass ($PG_PASSFILE, given to
# libpq as PGPASSFILE by pg_psql and pg_as), asked for by scram-sha-256.  The password goes to
# the server on psql's stdin and to the file, never on a command line.
pg_set_password () {
  local role=$1 pw
  pw=$(od -An -tx1 -N18 /dev/urandom | tr -d ' \n')
  printf "ALTER ROLE %s PASSWORD '%s';\n" "$role" "$pw" | pg_psql "$PG_ADMIN" >/dev/null || return 1
  PG_PASSFILE=$PG_DIR/pgpass
  printf '%s:%s:%s:%s:%s\n' "$(printf '%s' "$PG_DIR/sock" | sed 's/[:\\]/\\&/g')" "$PG_PORT" \
    "$PG_DATABASE" "$role" "$pw" | pg_server_user tee -a "$PG_PASSFILE" >/dev/null
  pg_server_user chmod 0600 "$PG_PASSFILE"
  # first match wins: ROLE's line goes before the peer line
  pg_server_user sed -i "/^local all all peer/i local all $role scram-sha-256" "$PG_DIR/data/pg_hba.conf"
  pg_psql "$PG_ADMIN" -c "SELECT pg_reload_conf()" >/dev/null
}

# pg_read_only on|off : the database refuses writes in new sessions (a read-only server, as
# for a standby or after an administrator's ALTER DATABASE)
pg_read_only () {
  PG_DB_OVERRIDE=postgres pg_psql "$PG_ADMIN" \
    -c "ALTER DATABASE $PG_DATABASE SET default_transaction_read_only = $1" >/dev/null
}

# pg_load_schema FILE : FILE's SQL as the owner, in one transaction
pg_load_schema () { pg_psql tlsrpt_owner -1 <"$1" >/dev/null; }
