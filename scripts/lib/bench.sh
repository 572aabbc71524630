# shellcheck shell=bash
# Helpers the benchmark programs share (scripts/bench, scripts/bench-s3). Source it after
# folio.sh. The wrk figures come from R[NAME.*], filled from a run's WRKSTATS line
# (scripts/bench-wrk/stats.lua) by each program's run_wrk.

# wopi_post URL OVERRIDE LOCK: a bodyless WOPI POST that must answer 200.
wopi_post() {
    local code
    code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "X-WOPI-Override: $2" -H "X-WOPI-Lock: $3" \
        -H 'Content-Length: 0' "$1") || true
    [ "$code" = 200 ] || die "$2 on ${1%%\?*} answered $code"
}

# vmhwm_mib PID: the process's peak RSS so far, in MiB.
vmhwm_mib() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# ok_per_s NAME / mib_per_s NAME: 2xx answers, response MiB, per second of a wrk run.
ok_per_s()  { awk -v n="${R[$1.ok]}" -v d="${R[$1.duration_us]}" 'BEGIN { printf "%.0f", n / (d / 1e6) }'; }
mib_per_s() { awk -v n="${R[$1.bytes]}" -v d="${R[$1.duration_us]}" 'BEGIN { printf "%.1f", n / 1048576 / (d / 1e6) }'; }
