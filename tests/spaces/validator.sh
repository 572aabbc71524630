#!/usr/bin/env bash
# tests/spaces/validator.sh — Microsoft's WOPI Validator (WopiCore) on a document in a space of
# each kind, each on its real server: a folder, Apache mod_dav (scripts/lib/apache.sh), a
# Ceph RGW bucket (scripts/lib/ceph.sh) and examples/connector-app (scripts/lib/connector.sh). After the run, the document must still be in the
# storage and every file the validator made (PutRelativeFile) must be gone again (it deletes
# them), so the storage holds exactly what it held before.
#
#   tests/spaces/validator.sh [KIND...]     kinds: folder webdav s3 http (default: all)
#
# Outputs: test-output/spaces-validator-KIND.txt. Exit status 0 only when every kind gives the
# pinned summary.
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
VALIDATOR_DIR=${FOLIO_VALIDATOR_DIR:-$FOLIO_ROOT/../shared/wopi-validator}
# What WopiCore gives on a space document: containers are not offered there (the document's
# folder in Folio is not the storage's), so their groups are skipped like the other groups
# Folio does not offer.
EXPECTED="55 passed, 0 failed, 66 skipped"

cleanup() {
    local rc=$?
    ceph_stop
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
mkdir -p "$OUT"
[ -f "$VALIDATOR_DIR/wopivalidate.py" ] || die "no WOPI validator at $VALIDATOR_DIR"
BIN=$(folio_bin debug)
run_dir_init folio-space-validator
W=$FOLIO_RUN_DIR
CONTENT='Folio WOPI validator test file'

# validate KIND SPACE: Folio with that space, the validator on /Validator/validator.wopitest.
validate() {
    local kind=$1 space=$2 data port tok wopisrc token ttl summary rc=0
    data=$W/$kind-data
    port=$(free_port)
    FOLIO_SPACES="docs=$space" folio_start "$BIN" "$data" "$port" "$W/folio-$kind.log"
    folio_user_add "$BIN" "$data" validator "WOPI Validator"
    # folio doctor lists the space and writes, reads and deletes a probe document there.
    local doctor
    doctor=$(FOLIO_SPACES="docs=$space" "$BIN" doctor --data "$data" --port "$port" --public-url "$FOLIO_URL" \
        </dev/null 2>&1 || true)
    grep -q "^ok    space docs: .*listed; a probe document written, read and deleted" <<<"$doctor" ||
        { log "spaces doctor $kind: $doctor"; return 1; }
    echo "spaces doctor $kind: $(grep '^ok    space docs' <<<"$doctor" | sed 's/secret=[^& ]*/secret=***/')"
    tok=$(FOLIO_SPACES="docs=$space" "$BIN" token --space docs --path /Validator/validator.wopitest \
        --user validator --ttl 86400 --json --data "$data" --public-url "$FOLIO_URL" </dev/null)
    wopisrc=$(json_get wopiSrc <<<"$tok")
    token=$(json_get accessToken <<<"$tok")
    ttl=$(json_get accessTokenTTL <<<"$tok")
    python3 "$VALIDATOR_DIR/wopivalidate.py" -w "$wopisrc" -t "$token" -l "$ttl" -v -e WopiCore \
        >"$OUT/spaces-validator-$kind.txt" 2>&1 || rc=$?
    grep -E '^FAIL ' "$OUT/spaces-validator-$kind.txt" || true
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT/spaces-validator-$kind.txt" | tail -n 1 || true)
    stop_pid "$FOLIO_PID"
    echo "spaces validator $kind: ${summary:-no summary} (test-output/spaces-validator-$kind.txt)"
    [ "$rc" -eq 0 ] && [ "$summary" = "$EXPECTED" ] || { log "spaces validator $kind: expected \"$EXPECTED\""; return 1; }
}

failed=0
for kind in "${@:-folder webdav s3 http}"; do
    for k in $kind; do
        case $k in
        folder)
            mkdir -p "$W/folder/Validator"
            printf '%s\n' "$CONTENT" >"$W/folder/Validator/validator.wopitest"
            validate folder "folder:$W/folder" || failed=1
            left=$(cd "$W/folder" && find . -type f | sort | tr '\n' ' ')
            [ "$left" = "./Validator/validator.wopitest " ] || { log "folder space afterwards: $left"; failed=1; }
            ;;
        webdav)
            apache_start
            curl -fsS -X MKCOL "${WEBDAV_URL}Validator/" -o /dev/null
            printf '%s\n' "$CONTENT" | curl -fsS -T - "${WEBDAV_URL}Validator/validator.wopitest" -o /dev/null
            validate webdav "webdav:$WEBDAV_URL" || failed=1
            left=$(cd "$WEBDAV_DIR" && find . -type f ! -path './.DAV/*' ! -name '.DAV' | sort | tr '\n' ' ')
            [ "$left" = "./Validator/validator.wopitest " ] || { log "webdav space afterwards: $left"; failed=1; }
            apache_stop
            ;;
        s3)
            python3 -c 'import boto3' 2>/dev/null || python3 -m pip install --quiet boto3 </dev/null
            ceph_start
            export AWS_ACCESS_KEY_ID=$RGW_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$RGW_SECRET_KEY
            python3 - "$RGW_ENDPOINT" "$CONTENT" <<'PY'
import os, sys, boto3
endpoint, content = sys.argv[1:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
s3.create_bucket(Bucket="folio-space")
s3.put_object(Bucket="folio-space", Key="docs/Validator/validator.wopitest", Body=(content + "\n").encode())
PY
            validate s3 "s3:s3://folio-space/docs?endpoint=$RGW_ENDPOINT" || failed=1
            left=$(python3 - "$RGW_ENDPOINT" <<'PY'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
print(" ".join(sorted(o["Key"] for o in s3.list_objects_v2(Bucket="folio-space").get("Contents", []))))
PY
)
            [ "$left" = "docs/Validator/validator.wopitest" ] || { log "s3 space afterwards: $left"; failed=1; }
            ceph_stop
            ;;
        http)
            connector_start
            mkdir -p "$CONNECTOR_ROOT/Validator"
            printf '%s\n' "$CONTENT" >"$CONNECTOR_ROOT/Validator/validator.wopitest"
            validate http "http:$CONNECTOR_URL?secret=$CONNECTOR_SECRET" || failed=1
            left=$(cd "$CONNECTOR_ROOT" && find . -type f | sort | tr '\n' ' ')
            [ "$left" = "./Validator/validator.wopitest " ] || { log "http space afterwards: $left"; failed=1; }
            connector_stop
            ;;
        *) die "unknown space kind $k (folder, webdav, s3, http)" ;;
        esac
    done
done
exit "$failed"
