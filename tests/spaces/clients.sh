#!/usr/bin/env bash
# tests/spaces/clients.sh — the scripted editors (PROTOCOL.md §E: Collabora, Microsoft Office for
# the web, ONLYOFFICE in WOPI mode and through its own API) on documents in a space of each kind,
# each on its real server: a folder, Apache mod_dav (scripts/lib/apache.sh), a Ceph RGW bucket
# (scripts/lib/ceph.sh) and examples/connector-app (scripts/lib/connector.sh). One Folio per
# kind (tests/spaces/clients/, pytest). After every save the test reads the document from the
# storage itself, not through Folio, and compares SHA-256. Also per kind: a change made outside
# between two saves (the save gets 409, a conflict copy beside the untouched original), a change
# made outside seen by CheckFileInfo, and the storage stopped under the running Folio (503 with
# Retry-After within seconds, /healthz still 200, the same token working again once the storage
# is back, without restarting Folio). The folder kind has no stop: Folio runs as root here, so
# `chmod 000` does not keep it out, and a folder that is gone is a missing document, not a
# storage that is down; that test runs on webdav, s3 and http.
#
#   tests/spaces/clients.sh [PYTEST ARGS...]     e.g. -k collabora; FOLIO_TEST_SPACE_KINDS="s3 http"
#
# Output: $OUT/spaces-clients.txt (pytest), Folio's logs in $OUT/spaces-clients-logs/. Last line:
# "spaces clients: N passed …" (pytest's summary); exit status 0 only when every test passed.
# Installs apache2, ceph, and the Python modules (pytest, cryptography, PyJWT, boto3,
# requests) when missing; one that cannot be installed is an error.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lib/folio.sh
source "$here/../../scripts/lib/folio.sh"
# shellcheck source=scripts/lib/apache.sh
source "$here/../../scripts/lib/apache.sh"
# shellcheck source=scripts/lib/ceph.sh
source "$here/../../scripts/lib/ceph.sh"
# shellcheck source=scripts/lib/connector.sh
source "$here/../../scripts/lib/connector.sh"

OUT=${OUT:-$FOLIO_ROOT/test-output}
PYMODULES='import pytest, cryptography.hazmat.primitives.asymmetric.rsa, jwt, boto3, requests'

# shellcheck disable=SC2317  # stop_restarted and cleanup run from the EXIT trap
# Servers the tests restarted (a stopped storage started again) are theirs, not track_pid's: the
# tests write "PID MARK" lines to FOLIO_TEST_SPACE_PIDS, and each is stopped here while its
# command line still holds MARK.
stop_restarted() {
    local pid mark
    [ -n "${FOLIO_TEST_SPACE_PIDS:-}" ] && [ -f "$FOLIO_TEST_SPACE_PIDS" ] || return 0
    while read -r pid mark; do
        [ -n "$pid" ] || continue
        tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$mark" || continue
        stop_pid "$pid"
    done <"$FOLIO_TEST_SPACE_PIDS"
}

# shellcheck disable=SC2317  # run from the EXIT trap
cleanup() {
    local rc=$?
    stop_restarted
    ceph_stop
    # shellcheck disable=SC2119 # no "kill": a TERM
    apache_stop
    connector_stop
    kill_tracked
    [ -n "${FOLIO_RUN_DIR:-}" ] && rm -rf "$FOLIO_RUN_DIR"
    return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$FOLIO_ROOT"
rm -rf "$OUT/spaces-clients-logs"
mkdir -p "$OUT" "$OUT/spaces-clients-logs"
BIN=$(folio_bin debug)
[ -x "$BIN" ] || die "folio executable not found: $BIN"
if ! python3 -c "$PYMODULES" 2>/dev/null; then
    log "python: installing pytest, cryptography, PyJWT, boto3 and requests for $(command -v python3)"
    if ! python3 -m pip install --quiet -r tests/clients/requirements.txt boto3 requests </dev/null; then
        log "python: pip install failed; trying Debian's packages"
        ensure_apt python3-pytest python3-cryptography python3-jwt python3-boto3 python3-requests
    fi
    python3 -c "$PYMODULES" || die "python3 cannot import pytest, cryptography, jwt, boto3 and requests"
fi

run_dir_init folio-space-clients
W=$FOLIO_RUN_DIR
export FOLIO_TEST_SPACE_PIDS=$W/restarted.pids
: >"$FOLIO_TEST_SPACE_PIDS"
t0=$SECONDS

# folder: a folder of its own.
mkdir -p "$W/folder"
export FOLIO_TEST_SPACE_FOLDER=$W/folder

# webdav: Apache mod_dav; the tests restart it with its own httpd.conf (same port, same locks).
apache_start "$W/apache"
export FOLIO_TEST_SPACE_WEBDAV_URL=$WEBDAV_URL FOLIO_TEST_SPACE_WEBDAV_DIR=$WEBDAV_DIR \
    FOLIO_TEST_SPACE_APACHE_DIR=$APACHE_DIR

# s3: a bucket on Ceph RGW; the tests stop and start the gateway with rgw_stop / rgw_start, which
# find the cluster through CEPH_DIR and FOLIO_RUN_DIR (exported).
# shellcheck disable=SC2119 # no folder given: a new one in FOLIO_RUN_DIR
ceph_start
export AWS_ACCESS_KEY_ID=$RGW_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$RGW_SECRET_KEY
export FOLIO_TEST_SPACE_S3_ENDPOINT=$RGW_ENDPOINT FOLIO_TEST_SPACE_S3_BUCKET=folio-space-clients \
    FOLIO_TEST_SPACE_S3_PREFIX=docs
python3 - <<'PY'
import os, boto3
boto3.client("s3", endpoint_url=os.environ["RGW_ENDPOINT"], region_name="us-east-1").create_bucket(
    Bucket=os.environ["FOLIO_TEST_SPACE_S3_BUCKET"])
PY

# http: the example connector application on a folder.
connector_start "$W/connector"
# connector.sh keeps the secret in a file beside the app's log; a restart reads the same one.
FOLIO_TEST_SPACE_HTTP_SECRET_FILE=$(dirname "$CONNECTOR_LOG")/secret
export FOLIO_TEST_SPACE_HTTP_URL=$CONNECTOR_URL FOLIO_TEST_SPACE_HTTP_ROOT=$CONNECTOR_ROOT \
    FOLIO_TEST_SPACE_HTTP_PID=$CONNECTOR_PID FOLIO_TEST_SPACE_HTTP_SECRET_FILE
[ -f "$FOLIO_TEST_SPACE_HTTP_SECRET_FILE" ] || die "no connector secret file at $FOLIO_TEST_SPACE_HTTP_SECRET_FILE"
log "spaces clients: the four storages are up in $((SECONDS - t0))s"

out=$OUT/spaces-clients.txt
rc=0
FOLIO_BIN=$BIN FOLIO_TEST_OUTPUT=$OUT/spaces-clients-logs \
    python3 -m pytest -q -p no:cacheprovider -o console_output_style=classic -rfEsxX tests/spaces/clients "$@" \
    </dev/null >"$out" 2>&1 || rc=$?
grep -E '^(FAILED|ERROR) ' "$out" || true
# The known bugs (xfail, strict: a fixed one fails the run until its mark goes), once each.
grep -E '^XFAIL ' "$out" | sed -E 's/^XFAIL [^[]*\[[a-z0-9]+\] - /known: /' | sort | uniq -c |
    sed -E 's/^ *([0-9]+) known: /spaces clients: known bug (xfail on \1 kinds): /' || true
# What each request got while the storage was down, and how fast (the tests bound it at 15 s).
for f in "$OUT"/spaces-clients-logs/spaces-stopped-*.txt; do
    [ -f "$f" ] || continue
    kind=${f##*/spaces-stopped-}
    echo "spaces clients: ${kind%.txt} stopped, answers: $(paste -sd ';' "$f" | sed 's/;/; /g')"
done
summary=$(tail -n 1 "$out" | sed -E 's/^=+ //; s/ =+$//')
if [ "$rc" -ne 0 ]; then
    tail -n 60 "$out" >&2
elif grep -qE '[0-9]+ skipped' <<<"$summary"; then
    # Nothing here skips: a skip means something was missing.
    log "spaces clients: tests were skipped"
    rc=1
fi
echo "spaces clients: $summary; $((SECONDS - t0))s with the storages' start (full output: ${out#"$FOLIO_ROOT"/})"
exit "$rc"
