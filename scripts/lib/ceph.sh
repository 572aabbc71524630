# shellcheck shell=bash
# A throw-away single-node Ceph cluster with a RADOS Gateway (the S3 API) on loopback, for the
# tests. Source it after folio.sh; do not run it. See STACK.md "Object storage in tests".
#
#   ceph_install      installs Debian's ceph-mon, ceph-osd, radosgw and ceph-common (Ceph 16,
#                     ~69 MB) when they are missing; ceph_start calls it.
#   ceph_start [DIR]  makes a fresh cluster under DIR (default: a new folder in $FOLIO_RUN_DIR;
#                     a DIR given must be missing or empty), all of it inside DIR and nothing in
#                     /etc or /var: one ceph-mon on a free 127.0.0.1 port, one ceph-osd on
#                     memstore (data in RAM, gone when it stops), one radosgw (beast) on a free
#                     127.0.0.1 port, and an S3 user. Runs as root (Ceph does not mind), no
#                     systemd, no ceph-mgr. Exports
#                       RGW_ENDPOINT      http://127.0.0.1:PORT (path-style addressing)
#                       RGW_ACCESS_KEY    the S3 user's access key
#                       RGW_SECRET_KEY    its secret key
#                       RGW_REGION        us-east-1 (RGW takes any region in a signature)
#                       RGW_PORT RGW_PID RGW_LOG   the gateway's port, process and log file
#                       CEPH_DIR          the cluster's folder (logs in CEPH_DIR/log)
#                       CEPH_CONF         CEPH_DIR/ceph.conf, so `ceph -s`, `rados lspools`,
#                                         `radosgw-admin bucket list` work as they are
#                     Every wait is bounded by CEPH_START_TIMEOUT seconds (default 60); a
#                     failure prints the log of the daemon at fault and dies. Its stop is
#                     registered with track_pid, so kill_tracked stops it also when a stage
#                     fails.
#   ceph_stop         stops the gateway, the OSD and the monitor and removes CEPH_DIR (first
#                     copying its logs to $CEPH_SAVE_LOGS when that is set); safe to call twice.
#   rgw_stop [kill]   stops only the gateway (TERM, then KILL after 10 s; `rgw_stop kill`: KILL
#                     at once, a crash); S3 requests then get "connection refused" at once.
#   rgw_start         starts the gateway again on the same port with the same user and data;
#                     returns when it answers S3 requests (0.3–0.5 s), and sets RGW_PID.
#                     Both find the cluster through CEPH_DIR and FOLIO_RUN_DIR alone, so a test
#                     can call them in a bash of its own (then its caller's RGW_PID is stale:
#                     CEPH_DIR/pids/rgw is the truth).
#
# CEPH_MEMSTORE_BYTES  the OSD's memstore size (default 2 GiB; it is a limit, not allocated).

CEPH_PACKAGES=(ceph-mon ceph-osd radosgw ceph-common)

ceph_install() {
    ensure_apt "${CEPH_PACKAGES[@]}"
    local b
    for b in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool; do
        command -v "$b" >/dev/null || die "ceph: $b is not on PATH after installing ${CEPH_PACKAGES[*]}"
    done
}

# ceph_cli CMD...: a Ceph tool on this cluster that gives up instead of hanging when the
# monitor does not answer.
ceph_cli() {
    timeout --kill-after=5 "${CEPH_CLI_TIMEOUT:-30}" "$@" -c "$CEPH_DIR/ceph.conf"
}

# ceph_fail WHAT LOGFILE...: print the end of each log file there is and die.
ceph_fail() {
    local what=$1 f
    shift
    for f in "$@"; do
        [ -s "$f" ] || continue
        log "---- end of $f ----"
        tail -n 40 "$f" >&2 || true
    done
    log "---- (all logs in $CEPH_DIR/log; CEPH_SAVE_LOGS=DIR keeps them after ceph_stop) ----"
    die "ceph: $what"
}

# ceph_daemon NAME LOGFILE CMD...: start CMD in the foreground mode in the background, record
# its pid in CEPH_DIR/pids/NAME and with track_pid; sets CEPH_LAST_PID.
ceph_daemon() {
    local name=$1 out=$2
    shift 2
    "$@" </dev/null >>"$out" 2>&1 &
    CEPH_LAST_PID=$!
    # No "Killed" notice from this shell when a test kills it (it still reaps it).
    disown "$CEPH_LAST_PID" 2>/dev/null || true
    printf '%s\n' "$CEPH_LAST_PID" >"$CEPH_DIR/pids/$name"
    track_pid "$CEPH_LAST_PID"
}

# ceph_wait WHAT NAME LOGFILE CMD...: run CMD every 0.2 s until it succeeds; die (with the
# daemon's log and its output CEPH_DIR/log/NAME.out) when the daemon NAME (just started by
# ceph_daemon) exits or CEPH_START_TIMEOUT passes.
ceph_wait() {
    local what=$1 pid=$CEPH_LAST_PID out=$CEPH_DIR/log/$2.out logf=$3
    local deadline=$((SECONDS + ${CEPH_START_TIMEOUT:-60}))
    shift 3
    while ((SECONDS < deadline)); do
        ceph_alive "$pid" || ceph_fail "$what: the process $pid exited" "$logf" "$out"
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    ceph_fail "$what: not within ${CEPH_START_TIMEOUT:-60}s" "$logf" "$out"
}

ceph_osd_up() {
    ceph_cli ceph osd dump -f json 2>/dev/null |
        python3 -c 'import json, sys; sys.exit(0 if any(o["up"] for o in json.load(sys.stdin)["osds"]) else 1)'
}

# rgw_answers: the gateway answers an anonymous S3 request (ListBuckets: 200).
rgw_answers() {
    curl -fsS -o /dev/null --max-time 2 "$RGW_ENDPOINT/"
}

ceph_start() {
    local dir=${1:-} fsid monport osd_uuid t0=$SECONDS
    ceph_install
    if [ -z "${FOLIO_RUN_DIR:-}" ] || [ ! -d "$FOLIO_RUN_DIR" ]; then die "ceph_start: call run_dir_init first"; fi
    [ -z "${CEPH_DIR:-}" ] || [ ! -d "$CEPH_DIR" ] || die "ceph_start: a cluster is running in $CEPH_DIR (ceph_stop first)"
    if [ -z "$dir" ]; then
        dir=$(mktemp -d "$FOLIO_RUN_DIR/ceph.XXXXXX")
    else
        [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "ceph_start: $dir is not empty"
        mkdir -p "$dir"
    fi
    CEPH_DIR=$(cd "$dir" && pwd)
    export CEPH_DIR CEPH_CONF=$CEPH_DIR/ceph.conf
    mkdir -p "$CEPH_DIR"/{mon/ceph-a,osd/ceph-0,rgw/ceph-rgw,run,log,pids}
    fsid=$(uuidgen)
    osd_uuid=$(uuidgen)
    monport=$(free_port)
    RGW_PORT=$(free_port)
    while [ "$RGW_PORT" = "$monport" ]; do RGW_PORT=$(free_port); done

    # No authentication at all (loopback only, thrown away); the client side must still be told
    # that a crc connection to the monitor is fine, or radosgw retries forever (-13).
    cat >"$CEPH_CONF" <<CONF
# scripts/lib/ceph.sh: a throw-away test cluster; every path is inside $CEPH_DIR
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$monport]
public addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = true
keyring = $CEPH_DIR/keyring
run dir = $CEPH_DIR/run
admin socket = $CEPH_DIR/run/\$name.asok
pid file = $CEPH_DIR/run/\$name.pid
log file = $CEPH_DIR/log/\$name.log
log to stderr = false
err to stderr = true
crash dir = $CEPH_DIR/crash
exe path = /usr/bin
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0

[mon]
mon data = $CEPH_DIR/mon/\$cluster-\$id
mon cluster log file = $CEPH_DIR/log/cluster.log
paxos propose interval = 0.1

[osd]
osd data = $CEPH_DIR/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = ${CEPH_MEMSTORE_BYTES:-2147483648}
osd crush update on start = true

[client]
ms mon client mode = crc

[client.rgw]
rgw data = $CEPH_DIR/rgw/\$cluster-rgw
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw enable apis = s3, admin
rgw init timeout = ${CEPH_START_TIMEOUT:-60}
CONF
    : >"$CEPH_DIR/keyring"
    RGW_ENDPOINT="http://127.0.0.1:$RGW_PORT"
    RGW_LOG=$CEPH_DIR/log/client.rgw.log
    export RGW_ENDPOINT RGW_PORT RGW_LOG RGW_REGION=us-east-1
    ceph_register_stop

    # The monitor: a one-monitor map, its store, then the daemon.
    monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$monport]" "$CEPH_DIR/monmap" \
        >"$CEPH_DIR/log/mkfs.log" 2>&1 || ceph_fail "monmaptool failed" "$CEPH_DIR/log/mkfs.log"
    ceph-mon -c "$CEPH_CONF" --mkfs -i a --monmap "$CEPH_DIR/monmap" \
        >>"$CEPH_DIR/log/mkfs.log" 2>&1 || ceph_fail "ceph-mon --mkfs failed" "$CEPH_DIR/log/mkfs.log"
    ceph_daemon mon "$CEPH_DIR/log/mon.out" ceph-mon -c "$CEPH_CONF" -f -i a
    ceph_wait "the monitor on 127.0.0.1:$monport" mon "$CEPH_DIR/log/mon.a.log" \
        ceph_cli ceph --connect-timeout 2 mon stat

    # The OSD: its id from the monitor, a memstore, then the daemon (it adds itself to CRUSH).
    ceph_cli ceph osd new "$osd_uuid" 0 >>"$CEPH_DIR/log/mkfs.log" 2>&1 \
        || ceph_fail "ceph osd new failed" "$CEPH_DIR/log/mkfs.log"
    ceph-osd -c "$CEPH_CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$CEPH_DIR/log/mkfs.log" 2>&1 \
        || ceph_fail "ceph-osd --mkfs failed" "$CEPH_DIR/log/mkfs.log"
    ceph_daemon osd "$CEPH_DIR/log/osd.out" ceph-osd -c "$CEPH_CONF" -f -i 0
    ceph_wait "the OSD to be up" osd "$CEPH_DIR/log/osd.0.log" ceph_osd_up

    # The gateway (it makes its pools at first start), then the S3 user.
    rgw_start
    RGW_ACCESS_KEY=$(od -An -tx1 -N10 /dev/urandom | tr -d ' \n' | tr a-f A-F)
    RGW_SECRET_KEY=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
    ceph_cli radosgw-admin user create --uid tester --display-name "Folio tests" \
        --access-key "$RGW_ACCESS_KEY" --secret-key "$RGW_SECRET_KEY" \
        >"$CEPH_DIR/log/user.json" 2>>"$CEPH_DIR/log/mkfs.log" \
        || ceph_fail "radosgw-admin user create failed" "$CEPH_DIR/log/mkfs.log"
    export RGW_ACCESS_KEY RGW_SECRET_KEY
    log "ceph: $(ceph-mon --version | awk '{print $1, $2, $3}') up in $((SECONDS - t0))s: S3 at $RGW_ENDPOINT" \
        "(mon 127.0.0.1:$monport, osd.0 memstore), folder $CEPH_DIR, logs in $CEPH_DIR/log"
}

# rgw_start: start radosgw (again) on RGW_PORT and wait until it answers S3 requests.
rgw_start() {
    if [ -z "${CEPH_DIR:-}" ] || [ ! -f "$CEPH_DIR/ceph.conf" ]; then die "rgw_start: no cluster (ceph_start first)"; fi
    if [ -f "$CEPH_DIR/pids/rgw" ] && ceph_alive "$(cat "$CEPH_DIR/pids/rgw")"; then
        die "rgw_start: radosgw is already running (pid $(cat "$CEPH_DIR/pids/rgw"))"
    fi
    ceph_daemon rgw "$CEPH_DIR/log/rgw.out" radosgw -c "$CEPH_CONF" -f -n client.rgw
    RGW_PID=$CEPH_LAST_PID
    export RGW_PID
    ceph_wait "radosgw to answer on $RGW_ENDPOINT" rgw "$RGW_LOG" rgw_answers
}

# rgw_stop [kill]: stop only the gateway (TERM, KILL after 10 s; with "kill": KILL at once, a
# crash); the cluster and its data stay.
rgw_stop() {
    [ -n "${CEPH_DIR:-}" ] && [ -d "$CEPH_DIR" ] || return 0
    if [ "${1:-}" = kill ]; then ceph_term KILL rgw; else ceph_term TERM rgw; fi
}

# ceph_register_stop: a tracked watcher whose TERM (kill_tracked) runs ceph_stop; it does the
# same when the script that started it is gone. The daemons are tracked too (after it, so
# kill_tracked, newest first, stops a restarted gateway, then the watcher and so the rest).
ceph_register_stop() {
    local owner=$$
    (
        trap 'ceph_stop; exit 0' TERM
        while kill -0 "$owner" 2>/dev/null; do
            sleep 1 &
            wait $! || true
        done
        ceph_stop
    ) </dev/null >/dev/null 2>&1 &
    track_pid $!
}

# ceph_alive PID: the process runs. A daemon whose starter is gone (a watcher's ceph_stop, a
# gateway that a test restarted from a bash of its own) is init's child; it stays a zombie
# until init reaps it, up to 2 s here, and a zombie has exited.
ceph_alive() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# ceph_term SIGNAL NAME: send SIGNAL (TERM or KILL) to the daemon NAME (CEPH_DIR/pids/NAME),
# wait up to 10 s for it to exit, KILL it if it is left; forget its pid.
ceph_term() {
    local sig=$1 name=$2 pid i
    [ -f "$CEPH_DIR/pids/$name" ] || return 0
    pid=$(cat "$CEPH_DIR/pids/$name")
    rm -f "$CEPH_DIR/pids/$name"
    # Not a process that took the number of one that is long gone.
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "-c $CEPH_DIR/ceph.conf" || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        ceph_alive "$pid" || break
        sleep 0.1
    done
    if ceph_alive "$pid"; then
        log "ceph: $name (pid $pid) did not stop after $sig within 10s; sending KILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

# ceph_stop: stop the gateway, the OSD, the monitor, one after the other (each needs the next to
# stop quickly: radosgw hangs in its shutdown while the OSD is gone, an OSD waits 5 s for a
# monitor that is gone), and remove CEPH_DIR.
ceph_stop() {
    [ -n "${CEPH_DIR:-}" ] && [ -d "$CEPH_DIR" ] || return 0
    ceph_term TERM rgw
    ceph_term TERM osd
    ceph_term TERM mon
    if [ -n "${CEPH_SAVE_LOGS:-}" ]; then
        { mkdir -p "$CEPH_SAVE_LOGS" && cp -r "$CEPH_DIR/log/." "$CEPH_SAVE_LOGS/"; } 2>/dev/null || true
    fi
    # Only a folder that ceph_start laid out.
    [ -f "$CEPH_DIR/ceph.conf" ] && rm -rf "$CEPH_DIR"
    return 0
}
