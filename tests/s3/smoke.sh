#!/usr/bin/env bash
# tests/s3/smoke.sh — the throw-away Ceph RGW of scripts/lib/ceph.sh, checked with a real S3
# client (boto3): start it, run tests/s3/smoke.py, stop and restart only the gateway (from bash
# and from Python under a live client), stop it.
# Needs root or sudo (apt-get) on Debian 12; installs ceph and boto3 when missing.
#
#   tests/s3/smoke.sh          CEPH_SAVE_LOGS=DIR keeps the Ceph logs
#
# Last line: "s3: N passed, M failed" (checks); exit status 0 only when all passed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lib/folio.sh
source "$here/../../scripts/lib/folio.sh"
# shellcheck source=scripts/lib/ceph.sh
source "$here/../../scripts/lib/ceph.sh"

passed=0 failed=0 summary_printed=""
cleanup() {
    local rc=$?
    kill_tracked
    [ -n "${FOLIO_RUN_DIR:-}" ] && rm -rf "$FOLIO_RUN_DIR"
    [ -n "$summary_printed" ] || printf 's3: %d passed, %d failed\n' "$passed" "$((failed + 1))"
    return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# now: seconds since the epoch with milliseconds; took T0: seconds since T0.
now() { date +%s.%3N; }
took() { python3 -c 'import sys, time; print("%.2f" % (time.time() - float(sys.argv[1])))' "$1"; }

# phase NAME: run smoke.py NAME, count its ok/FAIL lines.
phase() {
    local rc=0 out
    out=$FOLIO_RUN_DIR/smoke-$1.txt
    python3 "$here/smoke.py" "$1" </dev/null 2>&1 | tee "$out" || rc=$?
    passed=$((passed + $(grep -c '^ok - ' "$out" || true)))
    failed=$((failed + $(grep -c '^FAIL - ' "$out" || true)))
    [ "$rc" -eq 0 ] || [ "$(grep -c '^FAIL - ' "$out" || true)" -gt 0 ] || failed=$((failed + 1))
}

if ! python3 -c 'import boto3' 2>/dev/null; then
    log "python: installing boto3 for $(command -v python3)"
    python3 -m pip install --quiet boto3 </dev/null || { log "python: pip failed; trying Debian's"; ensure_apt python3-boto3; }
    python3 -c 'import boto3' || die "python3 cannot import boto3 after installing it"
fi

run_dir_init folio-s3
t=$(now)
ceph_install
echo "s3: ceph_install took $(took "$t") s"
t=$(now)
ceph_start
echo "s3: ceph_start took $(took "$t") s: $RGW_ENDPOINT"

phase checks

t=$(now)
rgw_stop
echo "s3: rgw_stop took $(took "$t") s"
phase down
t=$(now)
rgw_start
echo "s3: rgw_start took $(took "$t") s (answers again)"
phase after-restart
phase restart-live
phase cleanup

t=$(now)
dir=$CEPH_DIR
ceph_stop
echo "s3: ceph_stop took $(took "$t") s"
if [ -e "$dir" ]; then log "s3: $dir is still there after ceph_stop"; failed=$((failed + 1)); fi
if pgrep -f "$dir/ceph.conf" >/dev/null; then
    log "s3: daemons of $dir still run after ceph_stop: $(pgrep -af "$dir/ceph.conf")"
    failed=$((failed + 1))
fi

summary_printed=1
printf 's3: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
