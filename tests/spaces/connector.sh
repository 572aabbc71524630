#!/usr/bin/env bash
# tests/spaces/connector.sh — the http space kind against the example connector application
# (examples/connector-app, docs/connector-contract.md):
#   1. the app alone: tests/spaces/test_connector_app.py (Python unittest, starts its own app);
#   2. Folio's HTTPConnector: the space conformance suite and HTTPConnectorTests against one app
#      that scripts/lib/connector.sh starts (the suite must show its `http` cases ran);
#   3. the same app frozen (SIGSTOP), then stopped: every call is FolioError.unavailable within
#      seconds.
# Needs a built test bundle (`swift build --build-tests`); runs `swift test --skip-build`.
# Last line: "connector: N passed, M failed" (stages); exit status 0 only when all passed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lib/folio.sh
source "$here/../../scripts/lib/folio.sh"
# shellcheck source=scripts/lib/connector.sh
source "$here/../../scripts/lib/connector.sh"

passed=0 failed=0 summary_printed=""
cleanup() {
    local rc=$?
    connector_stop || true
    kill_tracked
    [ -n "${FOLIO_RUN_DIR:-}" ] && rm -rf "$FOLIO_RUN_DIR"
    [ -n "$summary_printed" ] || printf 'connector: %d passed, %d failed\n' "$passed" "$((failed + 1))"
    return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# stage NAME CMD...: run CMD, count it passed or failed.
stage() {
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "connector: ok - $name"
    else
        failed=$((failed + 1))
        echo "connector: FAIL - $name"
    fi
}

run_dir_init folio-connector
OUT=${FOLIO_TEST_OUTPUT:-$FOLIO_RUN_DIR}
mkdir -p "$OUT"
cd "$FOLIO_ROOT"

app_unittest() {
    python3 -m unittest -v tests/spaces/test_connector_app.py </dev/null 2>&1 | tee "$OUT/connector-app-unittest.txt"
}

# swift_part NAME FILTER [ENV...]: swift test on the running app; its output in $OUT/NAME.txt.
swift_part() {
    local name=$1 filter=$2 rc=0
    shift 2
    env FOLIO_TEST_CONNECTOR_URL="$CONNECTOR_URL" FOLIO_TEST_CONNECTOR_SECRET="$CONNECTOR_SECRET" \
        FOLIO_TEST_CONNECTOR_ROOT="$CONNECTOR_ROOT" "$@" \
        swift test --skip-build --filter "$filter" </dev/null >"$OUT/$name.txt" 2>&1 || rc=$?
    grep -E 'Test run with|Executed .* tests' "$OUT/$name.txt" | sed "s/^/connector $name: /" || true
    if [ "$rc" -ne 0 ]; then
        log "---- $name failed; the end of $OUT/$name.txt ----"
        grep -E '✘|error:|recorded an issue' "$OUT/$name.txt" | head -n 60 >&2 || tail -n 60 "$OUT/$name.txt" >&2
    fi
    return "$rc"
}

suites() {
    swift_part suites 'SpaceConnectorConformanceTests|SpaceWOPITests|SpacePagesTests|HTTPConnectorTests' || return 1
    # The http kind must really have run (it is silently absent without the variables).
    local ran
    ran=$(grep -c 'argument kind → http' "$OUT/suites.txt" || true)
    echo "connector: $ran lines show the conformance suite's http cases"
    [ "$ran" -gt 0 ] || { log "connector: the conformance suite did not run on the http kind"; return 1; }
    grep -q 'argument kind → http to aSaveOverAnOutsideChangeBecomesAConflictCopy' "$OUT/suites.txt" \
        || { log "connector: the WOPI tests (SpaceWOPITests) did not run on the http kind"; return 1; }
    ! grep -q 'skipped.*FOLIO_TEST_CONNECTOR_URL' "$OUT/suites.txt" \
        || { log "connector: HTTPConnectorTests skipped tests that need the app"; return 1; }
}

unanswered() {
    swift_part "unavailable-$1" 'HTTPConnectorTests/anAppThatDoesNotAnswerIsUnavailable' \
        FOLIO_TEST_CONNECTOR_STATE="$1" || return 1
    grep -q 'anAppThatDoesNotAnswerIsUnavailable.*passed' "$OUT/unavailable-$1.txt" \
        || { log "connector: the $1-app test did not run"; return 1; }
}

stage "example app unittest" app_unittest
# shellcheck disable=SC2119 # no folder given: a new one in FOLIO_RUN_DIR
connector_start
stage "conformance + HTTPConnectorTests on the app" suites
kill -STOP "$CONNECTOR_PID"
stage "frozen app is unavailable" unanswered frozen
kill -CONT "$CONNECTOR_PID"
connector_stop
stage "stopped app is unavailable" unanswered stopped

summary_printed=1
printf 'connector: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
