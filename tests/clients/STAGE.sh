# stage_clients — paste into scripts/test (section "Stages") and add `clients` to EXTRA_STAGES.
#
# The scripted editor clients (PROTOCOL.md §E.1–§E.3 and the proof-key unhappy paths) against
# live Folio servers on loopback: tests/clients starts its own discovery server and its own
# `folio serve` processes (pytest stops them), so nothing here goes through folio_start.
# Output: test-output/clients.txt, plus each Folio's log as test-output/folio-clients-*.log.
# By hand: FOLIO_BIN=.build/debug/folio python3 -m pytest -q tests/clients
stage_clients() {
    local bin rc=0
    bin=$(folio_bin debug)
    [ -x "$bin" ] || die "folio executable not found: $bin"
    if ! python3 -c 'import pytest, cryptography.hazmat.primitives.asymmetric.rsa' 2>/dev/null; then
        log "python: installing tests/clients/requirements.txt for $(command -v python3)"
        if ! python3 -m pip install --quiet -r tests/clients/requirements.txt </dev/null; then
            log "python: pip install failed; trying Debian's packages"
            ensure_apt python3-pytest python3-cryptography
        fi
        python3 -c 'import pytest, cryptography.hazmat.primitives.asymmetric.rsa' \
            || die "python3 cannot import pytest and cryptography after installing them"
    fi
    FOLIO_BIN=$bin FOLIO_VALIDATOR_DIR=$VALIDATOR_DIR FOLIO_TEST_OUTPUT=$OUT \
        python3 -m pytest -q -p no:cacheprovider -o console_output_style=classic tests/clients \
        </dev/null >"$OUT/clients.txt" 2>&1 || rc=$?
    grep -E '^(FAILED|ERROR) ' "$OUT/clients.txt" || true
    echo "clients: $(tail -n 1 "$OUT/clients.txt") (full output: test-output/clients.txt)"
    [ "$rc" -eq 0 ] || tail -n 40 "$OUT/clients.txt" >&2
    return "$rc"
}
