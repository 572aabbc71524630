# shellcheck shell=bash
# Shared helpers for scripts/test and scripts/bench. Source it; do not run it.
#
#   FOLIO_ROOT        repo root (set here)
#   FOLIO_RUN_DIR     a private temp folder for this run; call run_dir_init first
#   FOLIO_PID/URL     set by folio_start
#
# Every background process a script starts goes through track_pid, so one
# kill_tracked (from an EXIT trap) stops them all, even ones started in a subshell.

# Command substitutions keep `set -e` (so `x=$(f)` fails when a command inside f fails).
shopt -s inherit_errexit

FOLIO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DEBIAN_FRONTEND=noninteractive

log()  { printf '%s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }
banner() { printf '\n==> %s\n' "$*"; }

# ---- temp folder and process tracking ---------------------------------------

# run_dir_init PREFIX: make FOLIO_RUN_DIR (exported so subshells share it).
run_dir_init() {
    FOLIO_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    export FOLIO_RUN_DIR
    : >"$FOLIO_RUN_DIR/pids"
}

# settle_disk: write back what is dirty and let recently freed inodes age. On ext4 without a
# journal (these machines' root) a new file's inode skips every free inode deleted less than
# 60 s ago (5 min while its inode-table block is still dirty; fs/ext4/ialloc.c RECENTCY_MIN,
# 5 s before Linux 5.7), looking each one up: right after a previous run's temp folder of
# thousands of blobs was removed, that was 11 % of Folio's CPU time in a save run (perf; gone
# after a minute's wait) and made back-to-back runs differ by a third. Hence a minute after the
# sync (BENCH_SETTLE_SECONDS; 0 when nothing was deleted lately).
settle_disk() {
    sync
    sleep "${BENCH_SETTLE_SECONDS:-61}"
}

track_pid() { printf '%s\n' "$1" >>"$FOLIO_RUN_DIR/pids"; }

# stop_pid PID: TERM, wait up to 10 s, then KILL.
stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    log "pid $pid did not stop after TERM; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
}

# kill_tracked: stop every process recorded by track_pid (newest first).
kill_tracked() {
    [ -n "${FOLIO_RUN_DIR:-}" ] && [ -f "$FOLIO_RUN_DIR/pids" ] || return 0
    local pid
    while read -r pid; do
        [ -n "$pid" ] && stop_pid "$pid"
    done < <(tac "$FOLIO_RUN_DIR/pids")
    : >"$FOLIO_RUN_DIR/pids"
}

# ---- system packages ----------------------------------------------------------

_APT_UPDATED=""
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ensure_apt PKG...: install the Debian packages that are missing (apt-get update once).
ensure_apt() {
    local missing=() p
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    if [ ${#missing[@]} -eq 0 ]; then
        log "apt: already installed: $*"
        return 0
    fi
    command -v apt-get >/dev/null || die "need Debian packages ${missing[*]} but apt-get is not available"
    if [ -z "$_APT_UPDATED" ]; then
        log "apt: apt-get update"
        as_root apt-get update -q || die "apt-get update failed"
        _APT_UPDATED=1
    fi
    log "apt: installing ${missing[*]}"
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null \
        || die "apt-get install ${missing[*]} failed"
    for p in "${missing[@]}"; do pkg_installed "$p" || die "package $p is still not installed"; done
}

# ensure_python_requests: python3 plus its `requests` module (pip first: pyenv's
# python3 comes first on PATH and does not see Debian's python3-requests).
ensure_python_requests() {
    command -v python3 >/dev/null || ensure_apt python3 python3-requests
    if python3 -c 'import requests' 2>/dev/null; then
        log "python: requests already importable ($(command -v python3))"
        return 0
    fi
    log "python: installing requests for $(command -v python3)"
    if ! python3 -m pip install --quiet requests </dev/null; then
        log "python: pip install failed; trying Debian's python3-requests"
        ensure_apt python3-requests
    fi
    python3 -c 'import requests' || die "python3 cannot import requests after installing it"
}

# ---- small utilities -----------------------------------------------------------

# free_port: print a TCP port that is free on 127.0.0.1 right now.
free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# json_get PATH: read JSON on stdin, print the value at PATH ("0.id", "wopiSrc").
# Tolerates log lines before the JSON document.
json_get() {
    python3 -c '
import json, sys
text = sys.stdin.read()
try:
    v = json.loads(text)
except ValueError:
    dec, v = json.JSONDecoder(), None
    for i, ch in enumerate(text):
        if ch in "[{":
            try:
                v = dec.raw_decode(text[i:])[0]
                break
            except ValueError:
                pass
    if v is None:
        sys.exit("json_get: no JSON document in: %r" % text[:300])
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v if not isinstance(v, (dict, list)) else json.dumps(v))
' "$1"
}

# wait_http URL TIMEOUT_S [PID]: wait until URL answers 2xx; fail early if PID dies.
wait_http() {
    local url=$1 timeout=$2 pid=${3:-} deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            log "process $pid exited while waiting for $url"
            return 1
        fi
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.2
    done
    log "no answer from $url within ${timeout}s"
    return 1
}

# ---- Folio ---------------------------------------------------------------------

# folio_bin debug|release: print the path of the built folio executable
# (FOLIO_BIN overrides, e.g. to point at an installed build).
folio_bin() {
    if [ -n "${FOLIO_BIN:-}" ]; then printf '%s\n' "$FOLIO_BIN"; return; fi
    local dir
    dir=$(cd "$FOLIO_ROOT" && swift build -c "$1" --show-bin-path) || die "swift build --show-bin-path failed"
    printf '%s/folio\n' "$dir"
}

# folio_start BIN DATA_DIR PORT LOG [extra serve args...]
# Starts `folio serve` on 127.0.0.1:PORT in the background, waits for /healthz
# (FOLIO_START_TIMEOUT, default 60 s), sets FOLIO_PID and FOLIO_URL. On failure
# prints the server log and returns 1.
folio_start() {
    local bin=$1 data=$2 port=$3 logf=$4
    shift 4
    [ -x "$bin" ] || die "folio executable not found: $bin"
    FOLIO_URL="http://127.0.0.1:$port"
    "$bin" serve --data "$data" --host 127.0.0.1 --port "$port" --public-url "$FOLIO_URL" "$@" \
        </dev/null >"$logf" 2>&1 &
    FOLIO_PID=$!
    track_pid "$FOLIO_PID"
    log "folio serve: pid $FOLIO_PID, $FOLIO_URL, data $data, log $logf"
    if ! wait_http "$FOLIO_URL/healthz" "${FOLIO_START_TIMEOUT:-60}" "$FOLIO_PID"; then
        log "---- folio server log ($logf) ----"
        cat "$logf" >&2 || true
        log "---- end of server log ----"
        return 1
    fi
    log "folio is up: $(head -c 300 "$logf" | tr '\n' ' ')"
}

# folio_user_add BIN DATA LOGIN [NAME]: create a user with a random password.
folio_user_add() {
    local bin=$1 data=$2 login=$3 name=${4:-$3} pw
    pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$pw" | "$bin" user add "$login" --name "$name" --password-stdin --data "$data" >&2
}

# folio_import BIN DATA OWNER PATH: import one file, print its id.
folio_import() {
    local bin=$1 data=$2 owner=$3 path=$4 folder=${5:-} out
    local args=(import "$path" --owner "$owner" --json --data "$data")
    [ -n "$folder" ] && args+=(--folder "$folder")
    out=$("$bin" "${args[@]}" </dev/null) \
        || { log "folio import $path failed: $out"; return 1; }
    printf '%s' "$out" | json_get 0.id
}

# folio_token BIN DATA FILE_ID LOGIN ROLE TTL_S PUBLIC_URL: print the token JSON
# {"wopiSrc","accessToken","accessTokenTTL"}; pick fields with json_get.
folio_token() {
    local bin=$1 data=$2 id=$3 login=$4 role=$5 ttl=$6 url=$7
    # `--` because a file id may begin with "-" (ids are [A-Za-z0-9_-]).
    "$bin" token --user "$login" --role "$role" --ttl "$ttl" --json \
        --public-url "$url" --data "$data" -- "$id" </dev/null
}
