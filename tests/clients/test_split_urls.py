"""A split set-up (issue 16): people reach Folio at `http://127.0.0.1:PORT` (public_url), the
editors at `http://localhost:PORT` (wopi_url) — two names for one server, as an editor in a
container reaches Folio by an internal name. Every URL an editor is given starts with the WOPI
URL, Microsoft's and Collabora's proofs are signed for the URL the client calls (the WOPI
one), and a whole editing session runs there; what people are given stays public."""

import html
import os
import re
import urllib.parse
import urllib.request

import pytest

import discovery
import discovery_server
import wopi
from harness import Folio, docx, expect


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("split")
    disco = discovery_server.DiscoveryServer()
    disco.start()
    out = os.environ.get("FOLIO_TEST_OUTPUT") or str(tmp)
    folio = Folio(tmp / "data", os.path.join(out, "folio-clients-split.log"))
    wopi_url = "http://localhost:%d" % folio.port
    try:
        folio.start({e: disco.discovery_url(e) for e in discovery.EDITORS}, ["--wopi-url", wopi_url])
        folio.user_add("alice", "Alice Liddell")
    except BaseException:
        folio.stop()
        disco.stop()
        raise
    yield folio, disco, wopi_url
    folio.stop()
    disco.stop()


def host_page_session(folio, file_id, editor):
    """Open the host page as alice for `editor`: (the WOPISrc the form posts, the token)."""
    url = folio.open(file_id, "alice", editor=editor)["url"]
    assert url.startswith(folio.base + "/files/"), url                   # for people: public
    page = urllib.request.urlopen(url, timeout=10).read().decode()
    action = html.unescape(re.search(r'<form id="office_form"[^>]* action="([^"]*)"', page).group(1))
    token = re.search(r'name="access_token" value="([^"]*)"', page).group(1)
    ttl = re.search(r'name="access_token_ttl" value="([^"]*)"', page).group(1)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(action).query))
    src = query.get("WOPISrc") or query.get("wopisrc")
    return wopi.Token(src, token, ttl), page


def new_file(folio, tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    return folio.import_file(tmp_path / name, "alice")


@pytest.mark.parametrize("editor", ["microsoft", "collabora"])
def test_an_editing_session_on_the_wopi_url_with_proofs(split, tmp_path, editor):
    folio, disco, wopi_url = split
    entry = new_file(folio, tmp_path, "split-%s.docx" % editor, docx("first"))
    t, page = host_page_session(folio, entry["id"], editor)
    assert t.src == "%s/wopi/files/%s" % (wopi_url, entry["id"]), t.src
    assert disco.discovery_url(editor).rsplit("/hosting", 1)[0] in page, "the page did not open %s" % editor
    client = wopi.CLIENTS[editor](disco.keys[editor])

    info = expect(client.check_file_info(t), 200, "CheckFileInfo on the WOPI URL").json()
    assert info["PostMessageOrigin"] == folio.base, info          # people's page: public
    if editor == "microsoft":
        assert info["HostEditUrl"].startswith(folio.base + "/files/"), info
    lock = "split-" + editor
    expect(client.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "LOCK")
    expect(client.put_file(t, docx("second"), [("X-WOPI-Lock", lock)]), 200, "PutFile")
    assert expect(client.get_file(t), 200, "GetFile").body == docx("second")
    share = expect(client.override(t, "GET_SHARE_URL", [("X-WOPI-UrlType", "ReadOnly")]), 200, "GetShareUrl")
    assert share.json()["ShareUrl"].startswith(folio.base + "/s/"), share.json()
    expect(client.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "UNLOCK")

    # A proof signed for another name than the one the editor was given is refused.
    elsewhere = wopi.Token(t.src.replace(wopi_url, "http://folio.elsewhere.test:%d" % folio.port), t.token, t.ttl)
    url = client.url(elsewhere.src, elsewhere)
    ts = wopi.ticks()
    headers = client.base_headers(t) + client.proof_headers(elsewhere, url, ts, (disco.keys[editor].current,
                                                                                 disco.keys[editor].old))
    r = wopi.send("GET", client.url(t.src, t), headers, None)
    assert r.status == 500, r
