"""An editor cluster: two Collabora nodes (two discovery servers, each with its own base URL and
its own key) given as `--editor collabora=URL` twice. A document's sessions all go to one node
(rendezvous hash of file id and node URL among the nodes that answer discovery), documents
spread over the nodes, a node that stops answering loses only its own documents and gets them
back when it returns, and proofs are accepted from any node's key."""

import html
import json
import os
import re
import time
import urllib.parse
import urllib.request

import pytest

import discovery
import discovery_server
import wopi
from folio_process import run
from harness import Folio, check_versions, docx, expect, get_lock, json_answer, save_headers

LOCK = "cool-lockc1c2c3c4"
# With --editor-check-interval 1, a node's change of health must show within this many seconds.
WITHIN = 10


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cluster")
    nodes = [discovery_server.DiscoveryServer().start(), discovery_server.DiscoveryServer().start()]
    out = os.environ.get("FOLIO_TEST_OUTPUT") or str(tmp)
    folio = Folio(tmp / "data", os.path.join(out, "folio-clients-editor-cluster.log"))
    # Folio.start takes one URL per kind: the second node goes in as an extra --editor.
    args = ["--editor", "collabora=" + nodes[1].discovery_url("collabora"), "--editor-check-interval", "1"]
    try:
        folio.start({"collabora": nodes[0].discovery_url("collabora")}, args)
        folio.user_add("alice", "Alice Liddell")
        folio.user_add("bob", "Bob Cratchit")
    except BaseException:
        folio.stop()
        for n in nodes:
            n.stop()
        raise
    yield folio, nodes, tmp
    folio.stop()
    for n in nodes:
        n.stop()


def import_files(folio, tmp, names_and_content, owner="alice"):
    """Import several files in one `folio import`; their entries, in order."""
    d = tmp / ("in-%d" % time.monotonic_ns())
    d.mkdir()
    for name, content in names_and_content:
        (d / name).write_bytes(content)
    entries = json.loads(folio.cli("import", "--owner", owner, "--json",
                                   positional=[str(d / n) for n, _ in names_and_content]))
    assert [e["name"] for e in entries] == [n for n, _ in names_and_content], entries
    return entries


def open_page(folio, nodes, file_id, login):
    """Open the Collabora host page as `login`: (index of the node its form posts to, the token
    the form carries). The action must be exactly that node's urlsrc + WOPISrc."""
    url = folio.open(file_id, login, editor="collabora")["url"]
    page = urllib.request.urlopen(url, timeout=10).read().decode()
    m = re.search(r'<form id="office_form"[^>]* action="([^"]*)"', page)
    assert m, "no editor form on the host page of %s for %s" % (file_id, login)
    action = html.unescape(m.group(1))
    token = re.search(r'name="access_token" value="([^"]*)"', page).group(1)
    ttl = re.search(r'name="access_token_ttl" value="([^"]*)"', page).group(1)
    src = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(action).query))["WOPISrc"]
    assert src == "%s/wopi/files/%s" % (folio.base, file_id), action
    on = [i for i, n in enumerate(nodes)
          if action == discovery.launch_url("collabora", n.editor_base("collabora") + "/browser/dist/cool.html?", src)]
    assert len(on) == 1, "form action on no configured node: %s" % action
    return on[0], wopi.Token(src, token, ttl)


def placement(folio, nodes, ids):
    return {fid: open_page(folio, nodes, fid, "alice")[0] for fid in ids}


def node_up(folio, nodes):
    """folio_editor_node_up of each node from /metrics (None when absent)."""
    text = urllib.request.urlopen(folio.base + "/metrics", timeout=10).read().decode()
    found = {}
    for line in text.splitlines():
        if not line.startswith("folio_editor_node_up{"):
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}", 1)[0]))
        assert labels.get("editor") == "collabora", line
        found[labels["node"]] = float(line.rsplit(" ", 1)[1])
    return [found.get(n.discovery_url("collabora")) for n in nodes]


def wait_node_up(folio, nodes, want, timeout=WITHIN):
    """Poll /metrics until the gauges read `want`: (the last reading, seconds waited). Routing
    reads the same state the gauge is recorded from, and updates it first."""
    start = time.monotonic()
    while True:
        got, waited = node_up(folio, nodes), time.monotonic() - start
        if got == want or waited > timeout:
            return got, round(waited, 1)
        time.sleep(0.2)


def doctor(folio, nodes):
    """`folio doctor` with the live server's options: (exit status, {subject: level})."""
    args = ["doctor", "--data", folio.data, "--port", folio.port, "--public-url", folio.base,
            "--editor-check-interval", "1"]
    for n in nodes:
        args += ["--editor", "collabora=" + n.discovery_url("collabora")]
    r = run(args, env=folio.env)
    levels = {}
    for line in r.stdout.splitlines():
        m = re.match(r"^(ok|WARN\w*|FAIL)\s+([^:]+):", line)
        if m:
            levels[m.group(2)] = m.group(1)
    return r.returncode, levels, r.stdout


def test_co_editors_meet_on_one_node_with_its_key(cluster):
    folio, nodes, tmp = cluster
    v1, v2, v3 = docx("cluster v1"), docx("cluster v2 by bob"), docx("cluster v3 by alice")
    [entry] = import_files(folio, tmp, [("together.docx", v1)])
    fid = entry["id"]
    folio.share(fid, "bob", "edit")

    on_a, ta = open_page(folio, nodes, fid, "alice")
    on_b, tb = open_page(folio, nodes, fid, "bob")
    assert on_a == on_b, "alice opens on node %d, bob on node %d" % (on_a + 1, on_b + 1)
    print("together.docx opens on node %d for both" % (on_a + 1))
    # Each user's requests come from that node, signed with its key.
    cool = wopi.Collabora(nodes[on_a].keys["collabora"])

    info = json_answer(expect(cool.check_file_info(ta), 200, "CheckFileInfo alice"), "CheckFileInfo alice")
    assert info["UserCanWrite"] is True and info["SupportsLocks"] is True and info["Size"] == len(v1), info
    expect(cool.override(ta, "LOCK", [("X-WOPI-Lock", LOCK), ("Content-Length", "0")]), 200, "LOCK")
    assert expect(cool.get_file(ta), 200, "GetFile").body == v1
    info_b = json_answer(expect(cool.check_file_info(tb), 200, "CheckFileInfo bob"), "CheckFileInfo bob")
    assert info_b["UserFriendlyName"] == "Bob Cratchit" and info_b["UserCanWrite"] is True, info_b
    assert get_lock(folio, fid) == LOCK                     # bob joined: no new lock

    expect(cool.put_file(tb, v2, save_headers(LOCK, True, True, False)), 200, "PutFile bob")
    check_versions(folio, fid, 2, v2, "bob", autosave=True)
    expect(cool.put_file(ta, v3, save_headers(LOCK, True, False, True)), 200, "PutFile alice exit save")
    check_versions(folio, fid, 3, v3, "alice", exitsave=True)
    expect(cool.override(ta, "UNLOCK", [("X-WOPI-Lock", LOCK), ("Content-Length", "0")]), 200, "UNLOCK")
    assert get_lock(folio, fid) == ""
    assert expect(cool.get_file(tb), 200, "GetFile after").body == v3


def test_any_node_key_is_accepted_and_no_other(cluster):
    folio, nodes, tmp = cluster
    entries = import_files(folio, tmp, [("keys%d.docx" % i, docx("keys %d" % i)) for i in range(12)])
    places = placement(folio, nodes, [e["id"] for e in entries])
    on1 = [fid for fid, n in places.items() if n == 0]
    assert on1, "none of 12 documents opens on node 1: %r" % places
    _, t = open_page(folio, nodes, on1[0], "alice")

    # Node 2 calls for a document that node 1 hosts: its key is the editor's too.
    node2 = wopi.Collabora(nodes[1].keys["collabora"])
    info = json_answer(expect(node2.check_file_info(t), 200, "CheckFileInfo signed by node 2"), "node 2")
    assert info["BaseFileName"].startswith("keys"), info
    # A key no node publishes is refused.
    stranger = discovery.new_key()
    r = node2.check_file_info(t, sign_with=(stranger, stranger))
    assert r.status == 500, "a proof by an unknown key: %r" % r


def test_documents_spread_and_fail_over(cluster):
    folio, nodes, tmp = cluster
    assert wait_node_up(folio, nodes, [1, 1])[0] == [1, 1]
    code, levels, text = doctor(folio, nodes)
    assert code == 0 and levels.get("collabora node 1 discovery") == "ok" \
        and levels.get("collabora node 2 discovery") == "ok", text

    entries = import_files(folio, tmp, [("spread%02d.docx" % i, docx("spread %d" % i)) for i in range(20)])
    ids = [e["id"] for e in entries]
    before = placement(folio, nodes, ids)
    split = [sum(1 for n in before.values() if n == i) for i in range(2)]
    print("20 documents: %d on node 1, %d on node 2" % tuple(split))
    assert split[0] >= 1 and split[1] >= 1, "documents do not spread: %r" % before

    nodes[1].stop()
    try:
        got, waited = wait_node_up(folio, nodes, [1, 0])
        print("node 2 stopped: folio_editor_node_up %r after %.1f s" % (got, waited))
        assert got == [1, 0], "node 2 not reported down within %d s: %r" % (WITHIN, got)
        during = placement(folio, nodes, ids)
        assert during == {fid: 0 for fid in ids}, "with node 2 down, not all on node 1: %r" % during
        code, levels, text = doctor(folio, nodes)
        assert code == 1, text
        assert levels.get("collabora node 2 discovery") == "FAIL", text
        assert levels.get("collabora node 1 discovery") == "ok", text
    finally:
        nodes[1].start()            # same object: same port, same key

    got, waited = wait_node_up(folio, nodes, [1, 1])
    print("node 2 restarted: folio_editor_node_up %r after %.1f s" % (got, waited))
    assert got == [1, 1], "node 2 not reported back within %d s: %r" % (WITHIN, got)
    after = placement(folio, nodes, ids)
    assert after == before, "placement after node 2 returned differs: %r vs %r" % (after, before)
