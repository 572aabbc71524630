#!/usr/bin/env bash
# tests/spaces/webdav.sh — the WebDAV space connector against a real Apache mod_dav (started by
# scripts/lib/apache.sh): the space connector conformance suite with the webdav kind, and
# WebDAVConnectorTests (native locks seen by another client, a wrong password, a server that
# stops under a connector, awkward names checked on disk).
# Needs root or sudo (apt-get) on Debian 12; installs apache2 when missing. Builds nothing:
# run `swift build --build-tests` first.
#
#   tests/spaces/webdav.sh       APACHE_SAVE_LOGS=DIR keeps Apache's logs
#
# The test output goes to $FOLIO_TEST_OUTPUT (default: a file in the run folder, printed on
# failure). Exit status 0 only when every test passed and the webdav kind really ran.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lib/folio.sh
source "$here/../../scripts/lib/folio.sh"
# shellcheck source=scripts/lib/apache.sh
source "$here/../../scripts/lib/apache.sh"

cleanup() {
    local rc=$?
    apache_stop
    kill_tracked
    [ -n "${FOLIO_RUN_DIR:-}" ] && rm -rf "$FOLIO_RUN_DIR"
    return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run_dir_init folio-webdav
cd "$FOLIO_ROOT"

# A spare server first, for the test that stops one under a live connector: its URL and pid only
# (the test sends it TERM; kill_tracked stops it if the test did not).
spare=$(
    apache_start "$FOLIO_RUN_DIR/spare" >&2
    printf '%s %s\n' "$WEBDAV_URL" "$APACHE_PID"
)
export FOLIO_TEST_WEBDAV_SPARE_URL=${spare% *} FOLIO_TEST_WEBDAV_SPARE_PID=${spare##* }

apache_start "$FOLIO_RUN_DIR/apache"
export FOLIO_TEST_WEBDAV_URL=$WEBDAV_URL FOLIO_TEST_WEBDAV_DIR=$WEBDAV_DIR

out=${FOLIO_TEST_OUTPUT:-$FOLIO_RUN_DIR/webdav-tests.txt}
rc=0
swift test --skip-build --no-parallel --filter 'SpaceConnectorConformanceTests|SpaceWOPITests|SpacePagesTests|WebDAVConnectorTests|WebDAVSpaceLockTests' </dev/null >"$out" 2>&1 || rc=$?
summary=$(grep -E 'Test run with' "$out" | tail -n 1 || true)
if ! grep -q 'argument kind → webdav' "$out"; then
    log "webdav: the conformance suite did not run on the WebDAV server"
    rc=1
fi
if ! grep -q 'argument kind → webdav to aSaveOverAnOutsideChangeBecomesAConflictCopy' "$out"; then
    log "webdav: the WOPI tests (SpaceWOPITests) did not run on the WebDAV server"
    rc=1
fi
if grep -qE 'Suite "?(WebDAVConnectorTests|WebDAVSpaceLockTests)"? .*skipped|(WebDAVConnectorTests|WebDAVSpaceLockTests).* skipped' "$out"; then
    log "webdav: WebDAVConnectorTests were skipped"
    rc=1
fi
if [ "$rc" -ne 0 ]; then
    grep -E '✘|error:|Issue|failed' "$out" | head -n 80 >&2 || true
    [ -n "${FOLIO_TEST_OUTPUT:-}" ] || { log "---- full output ----"; tail -n 200 "$out" >&2; }
    log "---- end of the Apache error log ----"
    tail -n 20 "$APACHE_LOG" >&2 || true
fi
echo "webdav: ${summary:-no summary line} (exit $rc)"
exit "$rc"
