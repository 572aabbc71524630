# shellcheck shell=bash
# The example connector application (examples/connector-app, docs/connector-contract.md) on
# loopback, for the tests. Source it after folio.sh; do not run it. Needs only python3.
#
#   connector_start [DIR]  serves DIR (default: a new folder in $FOLIO_RUN_DIR; a DIR given
#                          must be missing or empty) on a free 127.0.0.1 port (the app binds
#                          port 0 and prints its URL) with a random 32-byte secret in a file
#                          beside it; waits until it answers a signed request (bounded by
#                          CONNECTOR_START_TIMEOUT seconds, default 20). Exports
#                            CONNECTOR_URL     http://127.0.0.1:PORT (the space's base URL)
#                            CONNECTOR_SECRET  the shared secret (hex)
#                            CONNECTOR_ROOT    the folder served
#                            CONNECTOR_PID     the app's process (tracked: kill_tracked stops it)
#                            CONNECTOR_LOG     its log (one line per request)
#   connector_stop         stops the app (TERM, KILL after 10 s); the folder stays for
#                          FOLIO_RUN_DIR's cleanup. Safe to call twice.

CONNECTOR_APP="$FOLIO_ROOT/examples/connector-app/app.py"

connector_start() {
    local dir=${1:-} deadline line
    [ -n "${FOLIO_RUN_DIR:-}" ] || die "connector_start: call run_dir_init first"
    command -v python3 >/dev/null || ensure_apt python3
    if [ -z "$dir" ]; then
        dir=$(mktemp -d "$FOLIO_RUN_DIR/connector.XXXXXX")
    else
        [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "connector_start: $dir is not empty"
        mkdir -p "$dir"
    fi
    CONNECTOR_ROOT=$(cd "$dir" && pwd -P)
    local state
    state=$(mktemp -d "$FOLIO_RUN_DIR/connector-state.XXXXXX")
    CONNECTOR_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
    (umask 077 && printf '%s\n' "$CONNECTOR_SECRET" >"$state/secret")
    CONNECTOR_LOG=$state/app.log
    python3 "$CONNECTOR_APP" --root "$CONNECTOR_ROOT" --secret-file "$state/secret" \
        --host 127.0.0.1 --port 0 </dev/null >"$CONNECTOR_LOG" 2>&1 &
    CONNECTOR_PID=$!
    track_pid "$CONNECTOR_PID"
    # The app prints "connector-app: serving ROOT at URL" once it listens.
    deadline=$((SECONDS + ${CONNECTOR_START_TIMEOUT:-20}))
    CONNECTOR_URL=""
    while ((SECONDS < deadline)); do
        if ! kill -0 "$CONNECTOR_PID" 2>/dev/null; then
            log "---- $CONNECTOR_LOG ----"
            cat "$CONNECTOR_LOG" >&2 || true
            die "connector: the app exited at start"
        fi
        line=$(grep -m1 '^connector-app: serving ' "$CONNECTOR_LOG" || true)
        if [ -n "$line" ]; then
            CONNECTOR_URL=${line##* at }
            CONNECTOR_URL=${CONNECTOR_URL%/}
            break
        fi
        sleep 0.1
    done
    [ -n "$CONNECTOR_URL" ] || die "connector: the app did not print its URL within ${CONNECTOR_START_TIMEOUT:-20}s"
    connector_probe || die "connector: $CONNECTOR_URL does not answer a signed listing"
    export CONNECTOR_URL CONNECTOR_SECRET CONNECTOR_ROOT CONNECTOR_PID CONNECTOR_LOG
    log "connector: pid $CONNECTOR_PID serving $CONNECTOR_ROOT at $CONNECTOR_URL (log $CONNECTOR_LOG)"
}

# connector_probe: a signed GET /?list answers 200 (the secret never reaches the command line).
connector_probe() {
    CONNECTOR_SECRET=$CONNECTOR_SECRET python3 - "$CONNECTOR_URL" <<'PY'
import hashlib, hmac, os, sys, time, urllib.request
url, target = sys.argv[1], "/?list"
ts, sha = str(int(time.time())), hashlib.sha256(b"").hexdigest()
msg = "\n".join(["v1", "GET", target, ts, sha]).encode()
sig = "v1=" + hmac.new(os.environ["CONNECTOR_SECRET"].encode(), msg, hashlib.sha256).hexdigest()
req = urllib.request.Request(url + target, headers={
    "X-Folio-Timestamp": ts, "X-Folio-Content-SHA256": sha, "X-Folio-Signature": sig})
with urllib.request.urlopen(req, timeout=5) as answer:
    sys.exit(0 if answer.status == 200 else 1)
PY
}

connector_stop() {
    [ -n "${CONNECTOR_PID:-}" ] || return 0
    # SIGCONT first: a test may have frozen it (SIGSTOP), and a stopped process ignores TERM.
    kill -CONT "$CONNECTOR_PID" 2>/dev/null || true
    stop_pid "$CONNECTOR_PID"
    CONNECTOR_PID=""
}
