# shellcheck shell=bash
# A throw-away PostgreSQL cluster for the tests. Source it after folio.sh; do not run it.
#
#   pg_start   installs Debian's postgresql-15 when no server binaries are found, makes a
#              fresh cluster under $FOLIO_RUN_DIR owned by and run as an ordinary user,
#              listening only on 127.0.0.1 on a free port, and exports
#                FOLIO_TEST_POSTGRES_URL  postgres://folio:PASSWORD@127.0.0.1:PORT/folio
#                FOLIO_TEST_POSTGRES_LOG  the server's log file
#              Its stop is registered with track_pid, so kill_tracked stops it (fast
#              shutdown) also when the stage fails.
#   pg_stop    stops the cluster now and removes its folder (kill_tracked does the same),
#              first copying the server's log to $PG_SAVE_LOG when that is set.
#
# PG_OS_USER   the system user that owns and runs the cluster (default postgres, made when
#              missing); when the script does not run as root it is the current user.

PG_OS_USER=${PG_OS_USER:-postgres}

# pg_bindir: print the newest /usr/lib/postgresql/N/bin that holds initdb, or nothing.
pg_bindir() {
    local d
    d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] && dirname "$d"
    return 0
}

# pg_as_owner CMD...: run CMD as the cluster's owner (never as root: PostgreSQL refuses it),
# from / so the owner is not left in a folder it cannot read.
pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        (cd / && "$@")
    fi
}

# pg_ensure_owner: the system user exists (Debian's package makes `postgres`; make one if not).
pg_ensure_owner() {
    [ "$(id -u)" -eq 0 ] || { PG_OS_USER=$(id -un); return 0; }
    getent passwd "$PG_OS_USER" >/dev/null && return 0
    log "postgres: creating system user $PG_OS_USER"
    useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER" \
        || die "cannot create the system user $PG_OS_USER"
}

pg_start() {
    local bindir pgdir port superpw password version owner
    bindir=$(pg_bindir)
    if [ -z "$bindir" ]; then
        ensure_apt postgresql-15
        bindir=$(pg_bindir)
        [ -n "$bindir" ] || die "postgresql-15 is installed but no initdb is under /usr/lib/postgresql/*/bin"
    fi
    command -v runuser >/dev/null || [ "$(id -u)" -ne 0 ] || die "runuser is missing (package util-linux)"
    pg_ensure_owner
    if [ -z "${FOLIO_RUN_DIR:-}" ] || [ ! -d "$FOLIO_RUN_DIR" ]; then die "pg_start: call run_dir_init first"; fi

    # The run folder is root's and private: let the owner pass through it (not list it).
    chmod o+x "$FOLIO_RUN_DIR"
    pgdir=$(mktemp -d "$FOLIO_RUN_DIR/postgres.XXXXXX")
    mkdir -p "$pgdir/data" "$pgdir/socket"
    superpw=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    (umask 077 && printf '%s\n' "$superpw" >"$pgdir/superuser.pw")
    [ "$(id -u)" -ne 0 ] || chown -R "$PG_OS_USER:" "$pgdir"
    chmod 700 "$pgdir" "$pgdir/data" "$pgdir/socket"

    # Peer authentication on the private socket for the owner, passwords (SCRAM) over TCP.
    pg_as_owner "$bindir/initdb" -D "$pgdir/data" -U postgres --pwfile="$pgdir/superuser.pw" \
        --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
        >"$pgdir/initdb.log" 2>&1 \
        || { cat "$pgdir/initdb.log" >&2; die "initdb failed (log above)"; }
    port=$(free_port)
    pg_as_owner tee -a "$pgdir/data/postgresql.conf" >/dev/null <<CONF

# scripts/lib/postgres.sh: a throw-away test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pgdir/socket'
max_connections = 300
password_encryption = 'scram-sha-256'
CONF
    pg_as_owner "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/postgres.log" -w -t 60 start >/dev/null \
        || { cat "$pgdir/postgres.log" >&2; die "pg_ctl start failed (server log above)"; }
    PG_DIR=$pgdir PG_BINDIR=$bindir
    export PG_DIR PG_BINDIR PG_OS_USER FOLIO_TEST_POSTGRES_LOG=$pgdir/postgres.log
    pg_register_stop

    pg_as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$pgdir/socket" -p "$port" -U postgres -d postgres \
        -c "CREATE ROLE folio LOGIN PASSWORD '$password'" -c "CREATE DATABASE folio OWNER folio" \
        || die "cannot create the role and database folio"
    export FOLIO_TEST_POSTGRES_URL="postgres://folio:$password@127.0.0.1:$port/folio"
    # The version as the server says it, through the URL the tests use (checks it works).
    version=$("$bindir/psql" -X -At "$FOLIO_TEST_POSTGRES_URL" -c 'SHOW server_version') \
        || die "cannot connect to $FOLIO_TEST_POSTGRES_URL"
    log "postgres: PostgreSQL $version on 127.0.0.1:$port, cluster $pgdir/data, log $pgdir/postgres.log"
}

# pg_register_stop: a tracked watcher whose TERM (kill_tracked) stops the cluster fast and
# removes its folder; it does the same when the script that started it is gone. The
# postmaster is tracked before it, so a watcher that fails still leaves it TERM then KILL.
pg_register_stop() {
    local pid owner=$$
    pid=$(head -n 1 "$PG_DIR/data/postmaster.pid")
    track_pid "$pid"
    (
        trap 'pg_stop; exit 0' TERM
        while kill -0 "$owner" 2>/dev/null; do
            sleep 1 &
            wait $! || true
        done
        pg_stop
    ) </dev/null >/dev/null 2>&1 &
    track_pid $!
}

pg_stop() {
    [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ] || return 0
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null \
            || log "postgres: pg_ctl stop failed for $PG_DIR/data"
    fi
    [ -z "${PG_SAVE_LOG:-}" ] || cp "$PG_DIR/postgres.log" "$PG_SAVE_LOG" 2>/dev/null || true
    rm -rf "$PG_DIR"
}
