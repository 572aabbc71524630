"""Scripted WOPI clients that send what Collabora Online, Microsoft Office for the web and
ONLYOFFICE Docs (WOPI mode) send: the same URL shapes, headers and proofs (PROTOCOL.md §A.11,
§B, §C, §D.2).

Requests go out through http.client with a request line built here, so the URL that is signed
is byte for byte the URL on the wire (requests/urllib3 would re-encode the query).
"""

import base64
import http.client
import json
import struct
import time
import uuid
from urllib.parse import parse_qs, quote, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

TICKS_AT_UNIX_EPOCH = 621355968000000000   # .NET ticks (100 ns since 0001-01-01) at 1970-01-01


def ticks(unix_seconds=None):
    """X-WOPI-TimeStamp for a moment (now by default): Unix ms × 10 000 + the epoch offset."""
    ms = int((time.time() if unix_seconds is None else unix_seconds) * 1000)
    return ms * 10_000 + TICKS_AT_UNIX_EPOCH


def proof_message(token, url, timestamp):
    """The signed bytes (§A.11): int32 len(T) ‖ T ‖ int32 len(U) ‖ U ‖ int32 8 ‖ int64 ticks,
    big-endian, T = the decoded token, U = the full URL as sent, upper-cased."""
    t, u = token.encode("utf-8"), url.upper().encode("utf-8")
    return (struct.pack(">i", len(t)) + t + struct.pack(">i", len(u)) + u
            + struct.pack(">i", 8) + struct.pack(">q", timestamp))


def sign(key, token, url, timestamp):
    """RSASSA-PKCS1-v1_5 with SHA-256 over proof_message, base64."""
    sig = key.sign(proof_message(token, url, timestamp), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(sig).decode("ascii")


def encode_every_non_alphanumeric(s):
    """How Office encodes the token in its URLs: every byte that is not [A-Za-z0-9] as %XX."""
    return "".join(chr(b) if chr(b).isalnum() and b < 128 else "%%%02X" % b for b in s.encode("utf-8"))


def encode_uri_component(s):
    """JavaScript's encodeURIComponent (ONLYOFFICE builds its URLs with it)."""
    return quote(s, safe="!~*'()")


class Token:
    """A WOPISrc with its access token and access_token_ttl (ms since the epoch)."""

    def __init__(self, src, token, ttl):
        self.src, self.token, self.ttl = src, token, int(ttl)

    @classmethod
    def from_cli(cls, answer):
        return cls(answer["wopiSrc"], answer["accessToken"], answer["accessTokenTTL"])

    @classmethod
    def from_url(cls, url, ttl=0):
        """A `Url` from PutRelativeFile/RenameFile: WOPISrc?access_token=…[&access_token_ttl=…]."""
        parts = urlsplit(url)
        q = parse_qs(parts.query)
        src = "%s://%s%s" % (parts.scheme, parts.netloc, parts.path)
        return cls(src, q["access_token"][0], q.get("access_token_ttl", [ttl])[0])

    @property
    def file_id(self):
        return self.src.rstrip("/").rsplit("/", 1)[1]


class Response:
    def __init__(self, status, headers, body, url, sent):
        self.status, self.headers, self.body, self.url, self.sent = status, headers, body, url, sent

    def header(self, name):
        """A response header (case-insensitive), None when absent."""
        return self.headers.get(name)

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%s %s -> %d %s %r>" % (self.sent[0], self.url, self.status, dict(self.headers), self.body[:300])


def send(method, url, headers, body=None, timeout=30):
    """One HTTP/1.1 request with exactly this URL and these headers, in this order."""
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        names = {k.lower() for k, _ in headers}
        for k, v in headers:
            conn.putheader(k, v)
        if method == "POST" and "content-length" not in names:
            conn.putheader("Content-Length", str(len(body or b"")))
        conn.endheaders(body)
        r = conn.getresponse()
        return Response(r.status, r.headers, r.read(), url, (method, target, headers))
    finally:
        conn.close()


class Editor:
    """An editor's WOPI client. `keys` is the KeyRing the discovery server publishes, so the
    client always signs with what its discovery says (unless a test tells it otherwise)."""

    name = None

    def __init__(self, keys):
        self.keys = keys

    # ---- what differs per editor ------------------------------------------------

    def url(self, endpoint, tok):
        """The full request URL for an endpoint (WOPISrc or WOPISrc/contents)."""
        raise NotImplementedError

    def base_headers(self, tok):
        raise NotImplementedError

    def proof_headers(self, tok, url, ts, keys):
        current, old = keys
        return [("X-WOPI-Proof", sign(current, tok.token, url, ts)),
                ("X-WOPI-ProofOld", sign(old, tok.token, url, ts)),
                ("X-WOPI-TimeStamp", str(ts))]

    # ---- requests ---------------------------------------------------------------

    def call(self, method, endpoint, tok, headers=(), body=None, *, ts=None, sign_with=None, replace=None):
        """Send a request the way this editor does.

        headers    operation headers, appended after the editor's own ones
        ts         X-WOPI-TimeStamp ticks to sign and send (default: now)
        sign_with  (proof key, proof-old key) instead of the editor's current keys
        replace    {header: value or None}: overrides applied last (None drops the header),
                   for malformed and missing proofs
        """
        url = self.url(endpoint, tok)
        ts = ticks() if ts is None else ts
        keys = sign_with or (self.keys.current, self.keys.old)
        sent = self.base_headers(tok) + self.proof_headers(tok, url, ts, keys) + list(headers)
        for name, value in (replace or {}).items():
            at = [i for i, (k, _) in enumerate(sent) if k.lower() == name.lower()]
            for i in reversed(at):
                del sent[i]
            if value is not None:
                sent.insert(at[0] if at else len(sent), (name, value))
        return send(method, url, sent, body)

    def check_file_info(self, tok, headers=(), **kw):
        return self.call("GET", tok.src, tok, headers, **kw)

    def get_file(self, tok, headers=(), **kw):
        return self.call("GET", tok.src + "/contents", tok, headers, **kw)

    def put_file(self, tok, body, headers=(), **kw):
        return self.call("POST", tok.src + "/contents", tok,
                         [("X-WOPI-Override", "PUT")] + list(headers), body, **kw)

    def override(self, tok, operation, headers=(), body=None, **kw):
        return self.call("POST", tok.src, tok, [("X-WOPI-Override", operation)] + list(headers), body, **kw)


class Collabora(Editor):
    """Collabora Online (§B): `?access_token=T`, `Authorization: Bearer T`,
    `X-COOL-WOPI-ServerId`, and its one key signing both X-WOPI-Proof and X-WOPI-ProofOld."""

    name = "collabora"
    server_id = "cool-test-1"

    def url(self, endpoint, tok):
        return endpoint + "?access_token=" + quote(tok.token, safe="")

    def base_headers(self, tok):
        return [("User-Agent", "COOLWSD HTTP Agent 24.04.13.2"), ("Accept", "*/*"),
                ("Authorization", "Bearer " + tok.token), ("X-COOL-WOPI-ServerId", self.server_id)]

    def proof_headers(self, tok, url, ts, keys):
        proof = sign(keys[0], tok.token, url, ts)
        return [("X-WOPI-Proof", proof), ("X-WOPI-ProofOld", proof), ("X-WOPI-TimeStamp", str(ts))]


class Microsoft(Editor):
    """Office for the web / OOS (§C): the token with every non-alphanumeric percent-encoded plus
    `access_token_ttl`, Bearer, a correlation id per request, Proof (current key) and ProofOld
    (old key)."""

    name = "microsoft"

    def url(self, endpoint, tok):
        return "%s?access_token=%s&access_token_ttl=%d" % (endpoint, encode_every_non_alphanumeric(tok.token), tok.ttl)

    def base_headers(self, tok):
        return [("Authorization", "Bearer " + tok.token), ("X-WOPI-CorrelationId", str(uuid.uuid4())),
                ("User-Agent", "Microsoft Office Online")]


class OnlyOffice(Editor):
    """ONLYOFFICE Docs, WOPI mode (§D.2): `?access_token=encodeURIComponent(T)` and no
    Authorization header; X-WOPI-ClientVersion, -CorrelationId and -SessionId."""

    name = "onlyoffice"
    version = "8.3.0.99"

    def __init__(self, keys):
        super().__init__(keys)
        self.session_id = str(uuid.uuid4())     # one per editing session

    def url(self, endpoint, tok):
        return endpoint + "?access_token=" + encode_uri_component(tok.token)

    def base_headers(self, tok):
        return [("X-WOPI-ClientVersion", self.version), ("X-WOPI-CorrelationId", str(uuid.uuid4())),
                ("X-WOPI-SessionId", self.session_id), ("User-Agent", "Node.js/6.13")]


CLIENTS = {"collabora": Collabora, "microsoft": Microsoft, "onlyoffice": OnlyOffice}
