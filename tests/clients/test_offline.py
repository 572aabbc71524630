"""Checks of the scripted clients themselves, without Folio: the signer and the key blobs against
the WOPI validator runner's own implementation, the discovery documents, the discovery server."""

import base64
import json
import os
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

import discovery
import wopi
from discovery_server import DiscoveryServer

VALIDATOR_DIR = os.environ.get("FOLIO_VALIDATOR_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "wopi-validator")


@pytest.fixture(scope="module")
def runner():
    """The validator runner (wopivalidate.py) as a module."""
    path = os.path.join(VALIDATOR_DIR, "wopivalidate.py")
    assert os.path.isfile(path), "validator runner not found: %s (set FOLIO_VALIDATOR_DIR)" % path
    sys.path.insert(0, VALIDATOR_DIR)
    try:
        import wopivalidate
    finally:
        sys.path.remove(VALIDATOR_DIR)
    return wopivalidate


@pytest.fixture(scope="module")
def runner_keys(runner, tmp_path_factory):
    """A key file made by `wopivalidate.py --gen-proof-keys`: both key formats for two keys."""
    path = tmp_path_factory.mktemp("keys") / "keys.json"
    subprocess.run([sys.executable, os.path.join(VALIDATOR_DIR, "wopivalidate.py"), "--gen-proof-keys", str(path)],
                   check=True, capture_output=True)
    return json.loads(path.read_text())


def private_key(k):
    n, e, d = int(k["n"]), int(k["e"]), int(k["d"])
    p, q = rsa.rsa_recover_prime_factors(n, e, d)
    return rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q),
                                 rsa.RSAPublicNumbers(e, n)).private_key()


def test_key_attributes_match_runner(runner_keys):
    """value (CSP blob), modulus and exponent equal the runner's for the same keys."""
    for which, element in (("current", "proof-key"), ("old", "proof-key-old")):
        assert discovery.public_attrs(private_key(runner_keys[which])) == runner_keys["discovery"][element]


URLS = [
    ("abc-_DEF", "http://127.0.0.1:8080/wopi/files/-x1?access_token=abc%2D%5FDEF&access_token_ttl=1795387445282"),
    ("tökén/+=", "http://127.0.0.1:8080/wopi/files/é/contents?access_token=t%C3%B6k%C3%A9n%2F%2B%3D"),
    ("", "https://folio.example.com/wopi/files/A?access_token="),
]


@pytest.mark.parametrize("token,url", URLS)
def test_signature_matches_runner(runner, runner_keys, token, url):
    key = private_key(runner_keys["current"])
    ints = {x: int(runner_keys["current"][x]) for x in ("n", "e", "d")}
    ts = wopi.ticks()
    assert wopi.proof_message(token, url, ts) == runner.proof_bytes(token, url, ts)
    ours = wopi.sign(key, token, url, ts)
    assert ours == base64.b64encode(runner.rsa_sign_sha256(ints, runner.proof_bytes(token, url, ts))).decode()
    assert runner.rsa_verify_sha256(ints["n"], ints["e"], runner.proof_bytes(token, url, ts), base64.b64decode(ours))


def test_ticks_match_runner(runner):
    assert abs(wopi.ticks() - runner.dotnet_ticks()) < 10_000_000      # the same second
    assert wopi.ticks(0) == 621355968000000000


def test_token_encodings():
    assert wopi.encode_every_non_alphanumeric("aZ9-_.~é") == "aZ9%2D%5F%2E%7E%C3%A9"
    assert wopi.encode_uri_component("a-_.!~*'() /+=é") == "a-_.!~*'()%20%2F%2B%3D%C3%A9"


@pytest.mark.parametrize("editor", discovery.EDITORS)
def test_discovery_documents(editor):
    server = DiscoveryServer()             # not started: only the documents
    root = ET.fromstring(server.document(editor))
    assert root.tag == "wopi-discovery"
    zone = root.find("net-zone")
    assert zone.get("name") == "external-http"
    key = root.find("proof-key")
    ring = server.keys[editor]
    assert {k: key.get(k) for k in ("value", "modulus", "exponent")} == discovery.public_attrs(ring.current)
    assert {k: key.get("old" + k) for k in ("value", "modulus", "exponent")} == discovery.public_attrs(ring.old)
    assert (key.get("value") == key.get("oldvalue")) == (editor == "collabora")
    actions = {(a.get("name"), a.get("ext")): a.get("urlsrc") for a in root.iter("action")}
    base = server.editor_base(editor)
    if editor == "collabora":
        app = zone.find("app[@name='application/vnd.openxmlformats-officedocument.wordprocessingml.document']")
        assert app.find("action").get("ext") == "docx" and app.find("action").get("name") == "edit"
        assert actions[("edit", "docx")] == base + "/browser/dist/cool.html?"
        assert actions[("view", "pdf")] == base + "/browser/dist/cool.html?"
        assert actions[("getinfo", "")] == base + "/hosting/capabilities"
    elif editor == "microsoft":
        assert [a.get("name") for a in zone.findall("app")] == ["Word", "Excel", "PowerPoint"]
        edit = actions[("edit", "docx")]
        assert "<ui=UI_LLCC&><rs=DC_LLCC&>" in edit and "<wopisrc=WOPI_SOURCE&>" in edit
        assert ("editnew", "docx") in actions
        assert zone.find("app[@name='Word']/action[@name='edit']").get("requires") == "locks,update"
        filled = discovery.launch_url(editor, edit, "http://h/wopi/files/A")
        assert filled == base + "/we/wordeditorframe.aspx?ui=en-US&rs=en-US&wopisrc=http%3A%2F%2Fh%2Fwopi%2Ffiles%2FA&"
    else:
        edit = actions[("edit", "docx")]
        assert edit == base + ("/hosting/wopi/word/edit?<rs=DC_LLCC&><dchat=DISABLE_CHAT&><embed=EMBEDDED&>"
                               "<fs=FULLSCREEN&><hid=HOST_SESSION_ID&><rec=RECORDING&><sc=SESSION_CONTEXT&>"
                               "<thm=THEME_ID&><ui=UI_LLCC&><wopisrc=WOPI_SOURCE&>&")
        assert zone.find("app[@name='Capabilities']") is not None and zone.find("app[@name='Pdf']") is not None
        assert discovery.launch_url(editor, edit, "http://h/wopi/files/A") == \
            base + "/hosting/wopi/word/edit?rs=en-US&ui=en-US&wopisrc=http%3A%2F%2Fh%2Fwopi%2Ffiles%2FA&&"
    # The raw XML escapes & and < inside urlsrc.
    raw = server.document(editor)
    assert "&amp;" in raw or editor == "collabora"
    assert "<ui=" not in raw and "<wopisrc=" not in raw


def test_discovery_server_counts_and_rotates():
    server = DiscoveryServer()
    url = server.discovery_url("microsoft")
    with pytest.raises(OSError):           # not started yet: the editor is down
        urllib.request.urlopen(url, timeout=2)
    server.start()
    try:
        first = ET.fromstring(urllib.request.urlopen(url, timeout=5).read()).find("proof-key").attrib
        assert server.fetches("microsoft") == 1 and server.fetches("collabora") == 0
        previous = server.keys["microsoft"].current
        server.rotate("microsoft")
        second = ET.fromstring(urllib.request.urlopen(url, timeout=5).read()).find("proof-key").attrib
        assert server.fetches("microsoft") == 2
        assert second["oldvalue"] == first["value"] != second["value"]
        assert server.keys["microsoft"].old is previous
        caps = json.loads(urllib.request.urlopen(server.editor_base("collabora") + "/hosting/capabilities").read())
        assert caps["convert-to"]["available"] is True
        ring = server.rotate("collabora")
        assert ring.current is ring.old
    finally:
        server.stop()
