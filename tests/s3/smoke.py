"""S3 checks against a real RADOS Gateway (scripts/lib/ceph.sh), with boto3/botocore.

    python3 tests/s3/smoke.py checks          the S3 behaviour Folio's client relies on
    python3 tests/s3/smoke.py down            the gateway is stopped: refused at once
    python3 tests/s3/smoke.py after-restart   the gateway is back: data still there
    python3 tests/s3/smoke.py restart-live    rgw_stop/rgw_start under one live client
    python3 tests/s3/smoke.py cleanup         nothing left behind; the bucket is removed

Reads RGW_ENDPOINT, RGW_ACCESS_KEY, RGW_SECRET_KEY (and RGW_REGION). Prints one line per
check, "ok - NAME" or "FAIL - NAME: why", plus "note: ..." lines about RGW's behaviour; the
exit status is 1 when a check failed. tests/s3/smoke.sh starts the cluster and runs it.
"""

import hashlib
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError, EndpointConnectionError

ENDPOINT = os.environ["RGW_ENDPOINT"]
ACCESS = os.environ["RGW_ACCESS_KEY"]
SECRET = os.environ["RGW_SECRET_KEY"]
REGION = os.environ.get("RGW_REGION", "us-east-1")
BUCKET = "folio-smoke"  # kept across the phases (the restart check reads it back)
KEEP_KEY = "kept/after restart.txt"
KEEP_BODY = b"still here after the gateway restarted\n"
MiB = 1024 * 1024

results = []


def client(region=REGION, access=ACCESS, secret=SECRET, **cfg):
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        aws_access_key_id=access,
        aws_secret_access_key=secret,
        region_name=region,
        config=Config(
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1, "mode": "standard"},  # one attempt, no retry
            connect_timeout=3,
            read_timeout=30,
            **cfg,
        ),
    )


s3 = client()


def check(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 (any failure is reported with its check)
        results.append(False)
        print("FAIL - %s: %s: %s" % (fn.__name__, type(e).__name__, e))
        traceback.print_exc(limit=3, file=sys.stdout)
    else:
        results.append(True)
        print("ok - %s" % fn.__name__)
    return fn


def note(text):
    print("note: " + text)


def error_of(call, *args, **kw):
    """(HTTP status, S3 error code) of a call that must fail."""
    try:
        call(*args, **kw)
    except ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"].get("Code")
    raise AssertionError("%s did not fail" % call.__name__)


def raw(method, path, headers=None, body=b"", unsigned_payload=False):
    """A signed request made by hand (path-style), returns (status, headers, body)."""

    class Auth(S3SigV4Auth):
        def _should_sha256_sign_payload(self, request):
            return not unsigned_payload

    req = AWSRequest(method=method, url=ENDPOINT + path, data=body, headers=headers or {})
    Auth(Credentials(ACCESS, SECRET), "s3", REGION).add_auth(req)
    prepared = req.prepare()
    r = urllib.request.Request(prepared.url, data=body or None, method=method, headers=dict(prepared.headers))
    try:
        with urllib.request.urlopen(r, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def phase_checks():
    @check
    def create_bucket():
        s3.create_bucket(Bucket=BUCKET)
        names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
        assert BUCKET in names, names
        assert s3.head_bucket(Bucket=BUCKET)["ResponseMetadata"]["HTTPStatusCode"] == 200
        # Creating it again (same owner): AWS us-east-1 answers 200, elsewhere 409.
        try:
            s3.create_bucket(Bucket=BUCKET)
            note("CreateBucket on an existing bucket of the same owner: 200 (no error)")
        except ClientError as e:
            note("CreateBucket on an existing bucket of the same owner: %s %s"
                 % (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"]))

    @check
    def put_get_delete_object():
        body = os.urandom(100_000)
        put = s3.put_object(Bucket=BUCKET, Key="docs/a.docx", Body=body, ContentType="application/x-test",
                            Metadata={"folio-version": "7"})
        md5 = hashlib.md5(body).hexdigest()
        assert put["ETag"] == '"%s"' % md5, (put["ETag"], md5)
        got = s3.get_object(Bucket=BUCKET, Key="docs/a.docx")
        assert got["Body"].read() == body
        assert got["ETag"] == put["ETag"] and got["ContentLength"] == len(body)
        assert got["ContentType"] == "application/x-test", got["ContentType"]
        assert got["Metadata"] == {"folio-version": "7"}, got["Metadata"]
        head = s3.head_object(Bucket=BUCKET, Key="docs/a.docx")
        assert head["ContentLength"] == len(body) and head["ETag"] == put["ETag"]
        d = s3.delete_object(Bucket=BUCKET, Key="docs/a.docx")
        assert d["ResponseMetadata"]["HTTPStatusCode"] == 204, d
        assert error_of(s3.head_object, Bucket=BUCKET, Key="docs/a.docx")[0] == 404
        # Deleting a key that is not there (again) is not an error in S3.
        d = s3.delete_object(Bucket=BUCKET, Key="docs/a.docx")
        assert d["ResponseMetadata"]["HTTPStatusCode"] == 204, d

    @check
    def empty_object():
        s3.put_object(Bucket=BUCKET, Key="empty", Body=b"")
        got = s3.get_object(Bucket=BUCKET, Key="empty")
        assert got["Body"].read() == b"" and got["ContentLength"] == 0
        assert got["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"', got["ETag"]
        s3.delete_object(Bucket=BUCKET, Key="empty")

    @check
    def missing_things_error_codes():
        st = {
            "GetObject missing key": error_of(s3.get_object, Bucket=BUCKET, Key="nope"),
            "HeadObject missing key": error_of(s3.head_object, Bucket=BUCKET, Key="nope"),
            "GetObject missing bucket": error_of(s3.get_object, Bucket="no-such-bucket-x", Key="k"),
            "HeadBucket missing bucket": error_of(s3.head_bucket, Bucket="no-such-bucket-x"),
            "ListObjectsV2 missing bucket": error_of(s3.list_objects_v2, Bucket="no-such-bucket-x"),
            "PutObject missing bucket": error_of(s3.put_object, Bucket="no-such-bucket-x", Key="k", Body=b"x"),
            "wrong secret": error_of(client(secret="x" * 40).list_objects_v2, Bucket=BUCKET),
            "unknown access key": error_of(client(access="NOSUCHKEY0000000000").list_objects_v2, Bucket=BUCKET),
        }
        for k, v in st.items():
            note("%s -> %s %s" % (k, v[0], v[1]))
        assert st["GetObject missing key"] == (404, "NoSuchKey")
        assert st["HeadObject missing key"][0] == 404
        assert st["GetObject missing bucket"] == (404, "NoSuchBucket")
        assert st["ListObjectsV2 missing bucket"] == (404, "NoSuchBucket")
        assert st["wrong secret"] == (403, "SignatureDoesNotMatch")
        assert st["unknown access key"] == (403, "InvalidAccessKeyId")

    @check
    def awkward_key_names():
        keys = ["a+b c/ü €.txt", "x=y&z?#%25", "dir//double", "~tilde*(star)", "long/" + "n" * 900]
        for k in keys:
            s3.put_object(Bucket=BUCKET, Key=k, Body=k.encode())
        for k in keys:
            assert s3.get_object(Bucket=BUCKET, Key=k)["Body"].read() == k.encode(), k
        listed = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
        assert set(keys) <= set(listed), listed
        for k in keys:
            s3.delete_object(Bucket=BUCKET, Key=k)

    @check
    def list_objects_v2_pages_prefix_delimiter():
        keys = ["p/%02d" % i for i in range(7)] + ["p/sub/x", "q/1"]
        for k in keys:
            s3.put_object(Bucket=BUCKET, Key=k, Body=b"1")
        seen, token, pages = [], None, 0
        while True:
            kw = {"Bucket": BUCKET, "Prefix": "p/", "MaxKeys": 3}
            if token:
                kw["ContinuationToken"] = token
            r = s3.list_objects_v2(**kw)
            pages += 1
            assert r["KeyCount"] == len(r.get("Contents", [])), r
            seen += [o["Key"] for o in r.get("Contents", [])]
            if not r["IsTruncated"]:
                break
            token = r["NextContinuationToken"]
        assert seen == sorted(k for k in keys if k.startswith("p/")), seen
        assert pages == 3, pages
        r = s3.list_objects_v2(Bucket=BUCKET, Prefix="p/", Delimiter="/")
        assert [p["Prefix"] for p in r["CommonPrefixes"]] == ["p/sub/"], r
        assert len(r["Contents"]) == 7
        r = s3.list_objects_v2(Bucket=BUCKET, StartAfter="p/05", Prefix="p/")
        assert [o["Key"] for o in r["Contents"]] == ["p/06", "p/sub/x"], r["Contents"]
        o = s3.list_objects_v2(Bucket=BUCKET, Prefix="q/")["Contents"][0]
        assert o["Size"] == 1 and o["ETag"].startswith('"') and "LastModified" in o, o
        # DeleteObjects (one request for many keys, needs Content-MD5, which botocore adds).
        d = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys + ["never"]]})
        assert len(d.get("Deleted", [])) == len(keys) + 1 and not d.get("Errors"), d
        assert s3.list_objects_v2(Bucket=BUCKET, Prefix="p/")["KeyCount"] == 0

    @check
    def range_requests():
        body = bytes(range(256)) * 40  # 10240 bytes
        s3.put_object(Bucket=BUCKET, Key="range", Body=body)
        r = s3.get_object(Bucket=BUCKET, Key="range", Range="bytes=10-19")
        assert r["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert r["ContentRange"] == "bytes 10-19/10240", r["ContentRange"]
        assert r["Body"].read() == body[10:20]
        r = s3.get_object(Bucket=BUCKET, Key="range", Range="bytes=-5")
        assert r["ContentRange"] == "bytes 10235-10239/10240" and r["Body"].read() == body[-5:]
        r = s3.get_object(Bucket=BUCKET, Key="range", Range="bytes=10000-")
        assert r["Body"].read() == body[10000:]
        r = s3.get_object(Bucket=BUCKET, Key="range", Range="bytes=10000-99999")
        assert r["ContentRange"] == "bytes 10000-10239/10240", r["ContentRange"]
        assert r["Body"].read() == body[10000:]
        note("Range past the end -> %s %s" % error_of(s3.get_object, Bucket=BUCKET, Key="range", Range="bytes=20000-"))
        s3.put_object(Bucket=BUCKET, Key="range0", Body=b"")
        try:
            r = s3.get_object(Bucket=BUCKET, Key="range0", Range="bytes=0-")
            note("Range bytes=0- on an empty object -> %s" % r["ResponseMetadata"]["HTTPStatusCode"])
        except ClientError as e:
            note("Range bytes=0- on an empty object -> %s %s"
                 % (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"]))
        s3.delete_object(Bucket=BUCKET, Key="range")
        s3.delete_object(Bucket=BUCKET, Key="range0")

    @check
    def multipart_complete():
        key = "big/multi.bin"
        parts_data = [os.urandom(5 * MiB), os.urandom(5 * MiB)]
        up = s3.create_multipart_upload(Bucket=BUCKET, Key=key, ContentType="application/x-big")
        uid = up["UploadId"]
        parts = []
        for n, data in enumerate(parts_data, 1):
            p = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=uid, PartNumber=n, Body=data)
            assert p["ETag"] == '"%s"' % hashlib.md5(data).hexdigest(), p["ETag"]
            parts.append({"PartNumber": n, "ETag": p["ETag"]})
        lp = s3.list_parts(Bucket=BUCKET, Key=key, UploadId=uid)
        assert [(p["PartNumber"], p["Size"]) for p in lp["Parts"]] == [(1, 5 * MiB), (2, 5 * MiB)], lp["Parts"]
        done = s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=uid, MultipartUpload={"Parts": parts})
        head = s3.head_object(Bucket=BUCKET, Key=key)
        want = '"%s-2"' % hashlib.md5(b"".join(hashlib.md5(d).digest() for d in parts_data)).hexdigest()
        note("CompleteMultipartUpload ETag %r; HeadObject ETag %r; AWS-style md5-of-md5s-N %r"
             % (done.get("ETag"), head["ETag"], want))
        assert head["ETag"] == want, (head["ETag"], want)
        assert head["ContentLength"] == 10 * MiB and head["ContentType"] == "application/x-big", head
        got = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert hashlib.sha256(got).digest() == hashlib.sha256(b"".join(parts_data)).digest()
        r = s3.get_object(Bucket=BUCKET, Key=key, Range="bytes=%d-%d" % (5 * MiB - 3, 5 * MiB + 2))
        assert r["Body"].read() == parts_data[0][-3:] + parts_data[1][:3]  # across the part boundary
        # The upload id is gone once completed.
        note("UploadPart to a completed upload -> %s %s" % error_of(
            s3.upload_part, Bucket=BUCKET, Key=key, UploadId=uid, PartNumber=3, Body=b"x"))
        s3.delete_object(Bucket=BUCKET, Key=key)

    @check
    def multipart_list_and_abort():
        key = "big/aborted.bin"
        uid = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
        s3.upload_part(Bucket=BUCKET, Key=key, UploadId=uid, PartNumber=1, Body=os.urandom(5 * MiB))
        ups = s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
        assert [(u["Key"], u["UploadId"]) for u in ups] == [(key, uid)], ups
        ups = s3.list_multipart_uploads(Bucket=BUCKET, Prefix="big/").get("Uploads", [])
        assert len(ups) == 1 and "Initiated" in ups[0], ups
        a = s3.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=uid)
        assert a["ResponseMetadata"]["HTTPStatusCode"] == 204, a
        assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []
        st = error_of(s3.upload_part, Bucket=BUCKET, Key=key, UploadId=uid, PartNumber=2, Body=b"x")
        note("UploadPart to an aborted upload -> %s %s" % st)
        assert st == (404, "NoSuchUpload"), st
        note("AbortMultipartUpload again -> %s %s" % error_of(
            s3.abort_multipart_upload, Bucket=BUCKET, Key=key, UploadId=uid))
        assert error_of(s3.head_object, Bucket=BUCKET, Key=key)[0] == 404

    @check
    def multipart_small_part_rejected():
        key = "big/small-parts.bin"
        uid = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
        parts = []
        for n, size in ((1, MiB), (2, MiB)):
            p = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=uid, PartNumber=n, Body=os.urandom(size))
            parts.append({"PartNumber": n, "ETag": p["ETag"]})
        st = error_of(s3.complete_multipart_upload, Bucket=BUCKET, Key=key, UploadId=uid,
                      MultipartUpload={"Parts": parts})
        note("Complete with a 1 MiB non-last part -> %s %s" % st)
        assert st == (400, "EntityTooSmall"), st
        s3.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=uid)
        # A single part below 5 MiB is fine (the last part may be small).
        uid = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
        p = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=uid, PartNumber=1, Body=b"tiny")
        s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=uid,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p["ETag"]}]})
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"tiny"
        s3.delete_object(Bucket=BUCKET, Key=key)

    @check
    def conditional_put():
        key = "cond"
        first = s3.put_object(Bucket=BUCKET, Key=key, Body=b"v1", IfNoneMatch="*")["ETag"]
        assert error_of(s3.put_object, Bucket=BUCKET, Key=key, Body=b"v2", IfNoneMatch="*") == (412, "PreconditionFailed")
        quoted = raw("PUT", "/%s/%s" % (BUCKET, key), {"If-Match": first}, b"v2")[0]
        unquoted = raw("PUT", "/%s/%s" % (BUCKET, key), {"If-Match": first.strip('"')}, b"v2")[0]
        missing = raw("PUT", "/%s/%s" % (BUCKET, "cond-missing"), {"If-Match": first.strip('"')}, b"v2")[0]
        note("PUT If-Match with the quoted ETag -> %s, unquoted -> %s, on a missing key -> %s"
             % (quoted, unquoted, missing))
        assert unquoted == 200
        # Conditional GET: the quoted ETag works there.
        etag = s3.head_object(Bucket=BUCKET, Key=key)["ETag"]
        st = raw("GET", "/%s/%s" % (BUCKET, key), {"If-None-Match": etag})[0]
        st2 = raw("GET", "/%s/%s" % (BUCKET, key), {"If-Match": etag})[0]
        note("GET If-None-Match current ETag -> %s; GET If-Match current ETag -> %s" % (st, st2))
        assert st == 304 and st2 == 200, (st, st2)
        s3.delete_object(Bucket=BUCKET, Key=key)

        # If-None-Match: * races: exactly one of 8 writers wins.
        outcomes = []

        def racer(i):
            outcomes.append(raw("PUT", "/%s/race" % BUCKET, {"If-None-Match": "*"}, b"r%d" % i)[0])

        ts = [threading.Thread(target=racer, args=(i,)) for i in range(8)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        assert sorted(outcomes) == [200] + [412] * 7, outcomes
        s3.delete_object(Bucket=BUCKET, Key="race")

    @check
    def copy_object():
        s3.put_object(Bucket=BUCKET, Key="src", Body=b"copy me", Metadata={"m": "1"})
        c = s3.copy_object(Bucket=BUCKET, Key="dst", CopySource={"Bucket": BUCKET, "Key": "src"})
        etag = s3.head_object(Bucket=BUCKET, Key="src")["ETag"]
        note("CopyObjectResult ETag %r (HeadObject: %r)" % (c["CopyObjectResult"]["ETag"], etag))
        assert c["CopyObjectResult"]["ETag"].strip('"') == etag.strip('"')
        got = s3.get_object(Bucket=BUCKET, Key="dst")
        assert got["Body"].read() == b"copy me" and got["Metadata"] == {"m": "1"}
        s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "src"}, {"Key": "dst"}]})

    @check
    def signing_variants():
        # UNSIGNED-PAYLOAD (x-amz-content-sha256) over plain HTTP, as a streaming client sends.
        st = raw("PUT", "/%s/unsigned" % BUCKET, {}, b"unsigned body", unsigned_payload=True)[0]
        assert st == 200, st
        assert s3.get_object(Bucket=BUCKET, Key="unsigned")["Body"].read() == b"unsigned body"
        s3.delete_object(Bucket=BUCKET, Key="unsigned")
        # A payload that does not match its signed SHA-256.
        req = AWSRequest(method="PUT", url="%s/%s/tampered" % (ENDPOINT, BUCKET), data=b"signed")
        S3SigV4Auth(Credentials(ACCESS, SECRET), "s3", REGION).add_auth(req)
        p = req.prepare()
        r = urllib.request.Request(p.url, data=b"tamper", method="PUT", headers=dict(p.headers))
        try:
            urllib.request.urlopen(r, timeout=10)
            note("a body that does not match x-amz-content-sha256 -> accepted (200)")
        except urllib.error.HTTPError as e:
            note("a body that does not match x-amz-content-sha256 -> %s %s" % (e.code, e.read()[:120]))
        # Regions in the credential scope.
        for region in ("us-east-1", "default", "eu-central-1"):
            try:
                client(region=region).list_objects_v2(Bucket=BUCKET, MaxKeys=1)
                note("signing region %r -> accepted" % region)
            except ClientError as e:
                note("signing region %r -> %s" % (region, e.response["Error"]["Code"]))
        # Signature V2 is not what Folio will use; V4 query presigning is.
        url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": KEEP_KEY}, ExpiresIn=60)
        s3.put_object(Bucket=BUCKET, Key=KEEP_KEY, Body=KEEP_BODY)
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.read() == KEEP_BODY

    @check
    def put_without_content_length():
        # A body of unknown length (Transfer-Encoding: chunked, UNSIGNED-PAYLOAD), as a streaming
        # HTTP client sends by default: refused like AWS does; a client must send Content-Length
        # (or use multipart upload).
        class Unsigned(S3SigV4Auth):
            def _should_sha256_sign_payload(self, request):
                return False

        path = "/%s/chunked" % BUCKET
        req = AWSRequest(method="PUT", url=ENDPOINT + path, headers={"Transfer-Encoding": "chunked"})
        Unsigned(Credentials(ACCESS, SECRET), "s3", REGION).add_auth(req)
        url = urllib.parse.urlparse(ENDPOINT)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        conn.request("PUT", path, body=iter([b"x" * 1000] * 3), headers=dict(req.prepare().headers),
                     encode_chunked=True)
        r = conn.getresponse()
        body = r.read()
        conn.close()
        note("PUT with Transfer-Encoding: chunked and no Content-Length -> %s %s"
             % (r.status, body.split(b"<Code>")[1].split(b"<")[0].decode() if b"<Code>" in body else body[:80]))
        assert r.status == 411, (r.status, body)

    @check
    def throughput_small_puts():
        body = os.urandom(100_000)
        t = time.monotonic()
        for i in range(100):
            s3.put_object(Bucket=BUCKET, Key="t/%03d" % i, Body=body)
        dt = time.monotonic() - t
        note("100 sequential 100 KB PUTs: %.2f s" % dt)
        s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "t/%03d" % i} for i in range(100)]})

    @check
    def delete_non_empty_bucket():
        s3.create_bucket(Bucket="folio-smoke-tmp")
        s3.put_object(Bucket="folio-smoke-tmp", Key="x", Body=b"x")
        st = error_of(s3.delete_bucket, Bucket="folio-smoke-tmp")
        note("DeleteBucket on a non-empty bucket -> %s %s" % st)
        assert st == (409, "BucketNotEmpty"), st
        s3.delete_object(Bucket="folio-smoke-tmp", Key="x")
        assert s3.delete_bucket(Bucket="folio-smoke-tmp")["ResponseMetadata"]["HTTPStatusCode"] == 204


def phase_down():
    @check
    def gateway_down_refuses():
        t = time.monotonic()
        try:
            s3.head_bucket(Bucket=BUCKET)
        except EndpointConnectionError as e:
            note("with the gateway stopped: %s after %.2f s" % (type(e).__name__, time.monotonic() - t))
        else:
            raise AssertionError("the gateway still answers")


def phase_after_restart():
    @check
    def data_survives_gateway_restart():
        assert s3.get_object(Bucket=BUCKET, Key=KEEP_KEY)["Body"].read() == KEEP_BODY
        s3.put_object(Bucket=BUCKET, Key="after", Body=b"x")
        assert s3.get_object(Bucket=BUCKET, Key="after")["Body"].read() == b"x"


def lib(function):
    """Run a function of scripts/lib/ceph.sh (rgw_stop, rgw_start) in a bash of its own, as a
    test written in Python would; it finds the cluster through CEPH_DIR and FOLIO_RUN_DIR."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    t = time.monotonic()
    subprocess.run(["bash", "-c", 'set -euo pipefail; source "$0/scripts/lib/folio.sh"; '
                    'source "$0/scripts/lib/ceph.sh"; ' + function, root], check=True, timeout=120)
    return time.monotonic() - t


def phase_restart_live():
    @check
    def live_client_recovers_after_gateway_restart():
        # One client (one pool of keep-alive connections) across the restart, no retries.
        s3.put_object(Bucket=BUCKET, Key="live", Body=b"1")
        note("rgw_stop from Python: %.2f s" % lib("rgw_stop"))
        t = time.monotonic()
        try:
            s3.get_object(Bucket=BUCKET, Key="live")
            raise AssertionError("the gateway still answers")
        except EndpointConnectionError as e:
            note("request on the pooled connection while stopped: %s after %.3f s"
                 % (type(e).__name__, time.monotonic() - t))
        t = time.monotonic()
        try:
            socket.create_connection(("127.0.0.1", int(os.environ["RGW_PORT"])), timeout=2).close()
            raise AssertionError("the port still accepts connections")
        except ConnectionRefusedError:
            note("TCP connect while stopped: refused after %.4f s" % (time.monotonic() - t))
        note("rgw_start from Python: %.2f s" % lib("rgw_start"))
        t = time.monotonic()
        assert s3.get_object(Bucket=BUCKET, Key="live")["Body"].read() == b"1"
        note("first request after the restart, same client, no retry: ok in %.3f s" % (time.monotonic() - t))
        s3.delete_object(Bucket=BUCKET, Key="live")


def phase_cleanup():
    @check
    def empty_and_delete_bucket():
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
        assert KEEP_KEY in keys, keys
        left = sorted(set(keys) - {KEEP_KEY, "after"})
        if keys:
            s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys]})
        for u in s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []):
            s3.abort_multipart_upload(Bucket=BUCKET, Key=u["Key"], UploadId=u["UploadId"])
        assert s3.delete_bucket(Bucket=BUCKET)["ResponseMetadata"]["HTTPStatusCode"] == 204
        assert not left, "objects the checks left behind: %s" % left


if __name__ == "__main__":
    phase = sys.argv[1] if len(sys.argv) > 1 else "checks"
    print("s3 smoke (%s): %s, boto3 %s, botocore %s" % (phase, ENDPOINT, boto3.__version__, botocore.__version__))
    {"checks": phase_checks, "down": phase_down, "after-restart": phase_after_restart,
     "restart-live": phase_restart_live, "cleanup": phase_cleanup}[phase]()
    sys.exit(0 if all(results) else 1)
