#!/usr/bin/env bash
# tests/spaces/s3.sh — the s3 space connector against a real Ceph RADOS Gateway (the throw-away
# single-node cluster of scripts/lib/ceph.sh, on loopback, inside one temporary folder):
# the space conformance suite with the s3 kind, S3SpaceConnectorTests, and the blob-store
# conformance suite (the connector shares S3Client with the blob store), all in one
# `swift test --skip-build`. Needs the test build (`swift build --build-tests`; scripts/test
# builds first), root or sudo for apt-get on Debian 12; installs ceph and boto3 when missing.
#
#   tests/spaces/s3.sh        CEPH_SAVE_LOGS=DIR keeps the Ceph logs
#
# Output: test-output/spaces-s3.txt (the swift test run). Last line: "spaces s3: …" with the
# test run's summary; exit status 0 only when every test passed and the s3 kind really ran.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lib/folio.sh
source "$here/../../scripts/lib/folio.sh"
# shellcheck source=scripts/lib/ceph.sh
source "$here/../../scripts/lib/ceph.sh"

OUT=${OUT:-$FOLIO_ROOT/test-output}
cleanup() {
    local rc=$?
    ceph_stop
    kill_tracked
    [ -n "${FOLIO_RUN_DIR:-}" ] && rm -rf "$FOLIO_RUN_DIR"
    return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$FOLIO_ROOT"
[ -d .build/debug ] || die "no test build in $FOLIO_ROOT/.build (run swift build --build-tests first)"
if ! python3 -c 'import boto3' 2>/dev/null; then
    log "python: installing boto3 (to make the test bucket)"
    python3 -m pip install --quiet boto3 </dev/null || { log "python: pip failed; trying Debian's"; ensure_apt python3-boto3; }
    python3 -c 'import boto3' || die "python3 cannot import boto3 after installing it"
fi

run_dir_init folio-space-s3
mkdir -p "$OUT"
ceph_start
bucket=folio-spaces
python3 - "$RGW_ENDPOINT" "$RGW_ACCESS_KEY" "$RGW_SECRET_KEY" "$bucket" <<'PY'
import sys, boto3
endpoint, key, secret, bucket = sys.argv[1:]
boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
             region_name="us-east-1").create_bucket(Bucket=bucket)
PY
export AWS_ACCESS_KEY_ID=$RGW_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$RGW_SECRET_KEY
export FOLIO_TEST_S3_URL="s3://$bucket?endpoint=$RGW_ENDPOINT" FOLIO_TEST_S3_GATEWAY=rgw

out=$OUT/spaces-s3.txt
rc=0
swift test --skip-build --filter 'SpaceConnectorConformanceTests|SpaceWOPITests|SpacePagesTests|S3SpaceConnectorTests|S3SpaceUnreachableTests|BlobStoreConformanceTests' \
    </dev/null >"$out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { log "spaces s3: swift test failed (exit $rc):"; grep -E '✘|error:' "$out" | head -n 40 >&2 || true; }
# That the s3 kind and the bucket-only tests ran, not skipped for want of a variable: every
# case of the space suite on the bucket, the blob-store suite on it, the bucket-only suite.
runs=$(grep -c 'argument kind → s3' "$out" || true)
# every_case_ran FILE KIND: each `@Test(arguments: KIND.allCases) func NAME` of FILE ran on s3.
every_case_ran() {
    local name found=0
    while read -r name; do
        found=$((found + 1))
        grep -q "argument kind → s3 to $name(kind:)" "$out" || { log "spaces s3: $name did not run on the bucket"; rc=1; }
    done < <(sed -nE "s/.*@Test\\(arguments: $2\\.allCases\\) func ([A-Za-z]+)\\(.*/\\1/p" "$1")
    [ "$found" -gt 0 ] || { log "spaces s3: no test of $2 found in $1"; rc=1; }
}
every_case_ran Tests/FolioTestSupport/SpaceConnectorConformanceTests.swift SpaceKind
every_case_ran Tests/FolioTestSupport/BlobStoreConformanceTests.swift BlobStoreKind
grep -q 'argument kind → s3 to aSaveOverAnOutsideChangeBecomesAConflictCopy' "$out" ||
    { log "spaces s3: the WOPI tests (SpaceWOPITests) did not run on the bucket"; rc=1; }
# Nothing in these suites may skip with the gateway up (the RGW-only tests included).
if grep -E '(Test|Suite) .* skipped' "$out" >&2; then
    log "spaces s3: tests were skipped"
    rc=1
fi
grep -q 'Suite S3SpaceConnectorTests passed' "$out" || { log "spaces s3: S3SpaceConnectorTests did not pass"; rc=1; }
echo "spaces s3: $(grep -E 'Test run with' "$out" | tail -n 1) ($runs cases on the bucket; full output: ${out#"$FOLIO_ROOT"/})"
exit "$rc"
