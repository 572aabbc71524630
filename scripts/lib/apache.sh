# shellcheck shell=bash
# A throw-away Apache 2.4 with mod_dav on loopback: a real WebDAV server (ETags, LOCK, MOVE) for
# the tests. Source it after folio.sh; do not run it. See STACK.md "Apache mod_dav as a test
# server".
#
#   apache_install      installs Debian's apache2 and apache2-utils (htpasswd) when missing;
#                       apache_start calls it.
#   apache_start [DIR]  starts a private Apache under DIR (default: a new folder in
#                       $FOLIO_RUN_DIR; a DIR given must be missing or empty), everything inside
#                       DIR and nothing in /etc or /var: ServerRoot, PidFile, logs, the lock
#                       database, the password file and the served folder. It listens on a free
#                       127.0.0.1 port, serves DIR/dav at /dav/ with `Dav On` behind Basic auth
#                       (one user with a random password), runs in the foreground under
#                       track_pid and returns when /dav/ answers. As root, its workers run as
#                       www-data (the folders they write are given to it). Exports
#                         WEBDAV_URL       http://USER:PASSWORD@127.0.0.1:PORT/dav/
#                         WEBDAV_USER WEBDAV_PASSWORD   the Basic auth user and password
#                         WEBDAV_DIR       the folder on disk behind /dav/
#                         APACHE_DIR APACHE_PORT APACHE_PID APACHE_LOG (the error log)
#                       Every wait is bounded by APACHE_START_TIMEOUT seconds (default 30); a
#                       failure prints the error log and dies.
#   apache_stop [kill]  stops it (TERM, KILL after 10 s; `apache_stop kill`: KILL at once, a
#                       crash) and removes APACHE_DIR (first copying its logs to
#                       $APACHE_SAVE_LOGS when that is set); safe to call twice.

APACHE_MODULES=(mpm_event authz_core authz_user authn_core authn_file auth_basic alias dav dav_fs)
APACHE_MODULE_DIR=/usr/lib/apache2/modules

apache_install() {
    ensure_apt apache2 apache2-utils
    command -v apache2 >/dev/null || [ -x /usr/sbin/apache2 ] || die "apache: apache2 is not installed"
    command -v htpasswd >/dev/null || die "apache: htpasswd is not on PATH after installing apache2-utils"
    local m
    for m in "${APACHE_MODULES[@]}"; do
        [ -f "$APACHE_MODULE_DIR/mod_$m.so" ] || die "apache: $APACHE_MODULE_DIR/mod_$m.so is missing"
    done
}

apache_bin() { command -v apache2 || printf '/usr/sbin/apache2\n'; }

# apache_fail WHAT: print the end of the error log and of Apache's own output, then die.
apache_fail() {
    local f
    for f in "$APACHE_LOG" "$APACHE_DIR/logs/apache.out"; do
        [ -s "$f" ] || continue
        log "---- end of $f ----"
        tail -n 40 "$f" >&2 || true
    done
    die "apache: $1"
}

# apache_answers: /dav/ answers an authenticated PROPFIND (207).
apache_answers() {
    local code
    code=$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' -X PROPFIND -H 'Depth: 0' \
        -u "$WEBDAV_USER:$WEBDAV_PASSWORD" "http://127.0.0.1:$APACHE_PORT/dav/") || return 1
    [ "$code" = 207 ]
}

apache_start() {
    local dir=${1:-} t0=$SECONDS deadline m modules="" owner=""
    apache_install
    if [ -z "${FOLIO_RUN_DIR:-}" ] || [ ! -d "$FOLIO_RUN_DIR" ]; then die "apache_start: call run_dir_init first"; fi
    [ -z "${APACHE_DIR:-}" ] || [ ! -d "$APACHE_DIR" ] || die "apache_start: Apache runs in $APACHE_DIR (apache_stop first)"
    if [ -z "$dir" ]; then
        dir=$(mktemp -d "$FOLIO_RUN_DIR/apache.XXXXXX")
    else
        [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "apache_start: $dir is not empty"
        mkdir -p "$dir"
    fi
    APACHE_DIR=$(cd "$dir" && pwd)
    APACHE_PORT=$(free_port)
    APACHE_LOG=$APACHE_DIR/logs/error.log
    WEBDAV_DIR=$APACHE_DIR/dav
    WEBDAV_USER=folio
    WEBDAV_PASSWORD=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
    mkdir -p "$APACHE_DIR"/{logs,run,lock,htdocs} "$WEBDAV_DIR"
    chmod 755 "$APACHE_DIR"
    # Root's workers become www-data, and must be able to write the served folder and the locks.
    if [ "$(id -u)" -eq 0 ]; then
        owner="User www-data
Group www-data"
        chown www-data:www-data "$WEBDAV_DIR" "$APACHE_DIR/lock"
        # They must also pass through the (private, 0700) folders above: search, not read.
        chmod o+x "$FOLIO_RUN_DIR" "$(dirname "$APACHE_DIR")"
    fi
    printf '%s\n' "$WEBDAV_PASSWORD" | htpasswd -i -c "$APACHE_DIR/htpasswd" "$WEBDAV_USER" 2>/dev/null \
        || die "apache: htpasswd could not make $APACHE_DIR/htpasswd"
    chmod 644 "$APACHE_DIR/htpasswd"
    for m in "${APACHE_MODULES[@]}"; do
        modules+="LoadModule ${m}_module $APACHE_MODULE_DIR/mod_$m.so"$'\n'
    done
    cat >"$APACHE_DIR/httpd.conf" <<CONF
# scripts/lib/apache.sh: a throw-away WebDAV server; every path is inside $APACHE_DIR
ServerRoot "$APACHE_DIR"
ServerName 127.0.0.1
Listen 127.0.0.1:$APACHE_PORT
PidFile "$APACHE_DIR/run/apache2.pid"
DefaultRuntimeDir "$APACHE_DIR/run"
Mutex file:$APACHE_DIR/run default
ErrorLog "$APACHE_LOG"
LogLevel warn
$owner
$modules
StartServers 1
ServerLimit 2
ThreadsPerChild 25
MaxRequestWorkers 50
Timeout 60
DocumentRoot "$APACHE_DIR/htdocs"
DavLockDB "$APACHE_DIR/lock/DavLock"

<Directory />
    AllowOverride None
    Require all denied
</Directory>

Alias /dav/ "$WEBDAV_DIR/"
<Directory "$WEBDAV_DIR">
    Dav On
    AuthType Basic
    AuthName "Folio tests"
    AuthBasicProvider file
    AuthUserFile "$APACHE_DIR/htpasswd"
    Require valid-user
</Directory>
CONF
    export APACHE_DIR APACHE_PORT APACHE_LOG WEBDAV_DIR WEBDAV_USER WEBDAV_PASSWORD
    export WEBDAV_URL="http://$WEBDAV_USER:$WEBDAV_PASSWORD@127.0.0.1:$APACHE_PORT/dav/"
    "$(apache_bin)" -t -f "$APACHE_DIR/httpd.conf" >"$APACHE_DIR/logs/apache.out" 2>&1 \
        || apache_fail "the configuration $APACHE_DIR/httpd.conf does not load"
    # In the foreground, so the process tracked is the server itself.
    "$(apache_bin)" -f "$APACHE_DIR/httpd.conf" -DFOREGROUND </dev/null >>"$APACHE_DIR/logs/apache.out" 2>&1 &
    APACHE_PID=$!
    disown "$APACHE_PID" 2>/dev/null || true
    export APACHE_PID
    track_pid "$APACHE_PID"
    deadline=$((SECONDS + ${APACHE_START_TIMEOUT:-30}))
    until apache_answers; do
        kill -0 "$APACHE_PID" 2>/dev/null || apache_fail "apache2 (pid $APACHE_PID) exited at start"
        ((SECONDS < deadline)) || apache_fail "no WebDAV answer on 127.0.0.1:$APACHE_PORT within ${APACHE_START_TIMEOUT:-30}s"
        sleep 0.2
    done
    log "apache: $("$(apache_bin)" -v | sed -n 's/^Server version: //p') up in $((SECONDS - t0))s:" \
        "WebDAV at http://127.0.0.1:$APACHE_PORT/dav/ (user $WEBDAV_USER), folder $WEBDAV_DIR, log $APACHE_LOG"
}

# apache_stop [kill]: stop the server (TERM, KILL after 10 s; "kill": KILL at once) and remove
# its folder.
apache_stop() {
    [ -n "${APACHE_DIR:-}" ] && [ -d "$APACHE_DIR" ] || return 0
    local i pid=${APACHE_PID:-}
    if [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "-f $APACHE_DIR/httpd.conf"; then
        if [ "${1:-}" = kill ]; then
            # Its workers would keep serving the socket after the parent is gone: them first.
            for i in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill -KILL "$i" 2>/dev/null || true; done
            kill -KILL "$pid" 2>/dev/null || true
        else
            kill -TERM "$pid" 2>/dev/null || true
        fi
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "apache: pid $pid did not stop within 10s; sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    if [ -n "${APACHE_SAVE_LOGS:-}" ]; then
        { mkdir -p "$APACHE_SAVE_LOGS" && cp -r "$APACHE_DIR/logs/." "$APACHE_SAVE_LOGS/"; } 2>/dev/null || true
    fi
    # Only a folder that apache_start laid out.
    [ -f "$APACHE_DIR/httpd.conf" ] && rm -rf "$APACHE_DIR"
    APACHE_DIR=""
    return 0
}
