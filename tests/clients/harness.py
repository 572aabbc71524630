"""A live Folio for the scripted clients: the `folio` command line (serve, user, import, share,
token, versions), test documents, and the checks every step repeats."""

import datetime
import hashlib
import io
import json
import os
import re
import zipfile
from urllib.parse import parse_qs, urlsplit

import discovery
import discovery_server
import wopi
from folio_process import FolioProcess


class Folio(FolioProcess):
    """One `folio serve` on 127.0.0.1 with its own data folder (tests/lib/folio_process.py): on
    a fresh PostgreSQL schema when FOLIO_TEST_POSTGRES_URL is set, else on SQLite."""

    def start(self, editors, extra_args=()):
        """Start serving with `--editor kind=discovery URL` for each of `editors` and then
        `extra_args` (e.g. --onlyoffice-url …); wait until it answers."""
        args = [a for kind, url in editors.items() for a in ("--editor", "%s=%s" % (kind, url))]
        return super().start(*args, *extra_args)

    # ---- the command line ---------------------------------------------------------

    def user_add(self, login, name):
        self.cli("user", "add", "--name", name, positional=[login])

    def import_file(self, path, owner, folder=None):
        args = ["import", "--owner", owner, "--json"] + (["--folder", folder] if folder else [])
        [entry] = json.loads(self.cli(*args, positional=[str(path)]))
        assert sorted(entry) == ["id", "name", "size", "version"], entry
        return entry

    def token(self, file_id, login, role=None, editor=None, ttl=None):
        answer = super().token(file_id, login, role=role, editor=editor, ttl=ttl)
        assert sorted(answer) == ["accessToken", "accessTokenTTL", "wopiSrc"], answer
        assert answer["wopiSrc"] == "%s/wopi/files/%s" % (self.base, file_id), answer
        return wopi.Token.from_cli(answer)

    def ticket(self, file_id, login, action=None):
        """The `?ticket=` of the link `folio open FILE --user LOGIN --json` prints."""
        url = self.open(file_id, login, action=action)["url"]
        return parse_qs(urlsplit(url).query)["ticket"][0]


class Stack:
    """A discovery server for the three editors plus one Folio pointed at it, with users
    alice (owner of every test file) and bob."""

    def __init__(self, tmp, name, start_discovery=True, extra_args=()):
        self.tmp = tmp
        self.disco = discovery_server.DiscoveryServer()
        if start_discovery:
            self.disco.start()
        out = os.environ.get("FOLIO_TEST_OUTPUT") or str(tmp)
        os.makedirs(out, exist_ok=True)
        self.folio = Folio(tmp / "data", os.path.join(out, "folio-clients-%s.log" % re.sub(r"\W", "_", name)))
        try:
            self.folio.start({e: self.disco.discovery_url(e) for e in discovery.EDITORS}, extra_args)
            self.folio.user_add("alice", "Alice Liddell")
            self.folio.user_add("bob", "Bob Cratchit")
        except BaseException:
            self.stop()
            raise
        self._n = 0

    def stop(self):
        self.folio.stop()
        self.disco.stop()

    def new_file(self, name, content, owner="alice", folder=None, shares=None):
        """Import `content` as `name` for `owner`, shared as {login: role}; the import entry."""
        self._n += 1
        d = self.tmp / ("in%d" % self._n)
        d.mkdir()
        (d / name).write_bytes(content)
        entry = self.folio.import_file(d / name, owner, folder)
        assert (entry["name"], entry["size"], entry["version"]) == (name, len(content), 1), entry
        for login, role in (shares or {}).items():
            self.folio.share(entry["id"], login, role)
        return entry

    def client(self, editor):
        return wopi.CLIENTS[editor](self.disco.keys[editor])


# ---- test documents ---------------------------------------------------------------

def docx(text):
    """A small but valid WordprocessingML package whose body says `text`."""
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>" % text,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), xml)
    return buf.getvalue()


def pdf(text):
    return ("%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%% %s\ntrailer<</Root 1 0 R>>\n%%%%EOF\n" % text).encode()


# ---- checks -------------------------------------------------------------------------

def expect(resp, status, what):
    """Assert the status of one step, showing the whole exchange when it is wrong."""
    assert resp.status == status, "%s: expected %d, got %r" % (what, status, resp)
    return resp


ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")


def parse_time(text):
    """An ISO 8601 time with any number of fractional digits and Z or an offset, as an aware
    datetime (datetime.fromisoformat only takes 7 digits and Z from Python 3.11 on)."""
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})", text)
    assert m, "not an ISO 8601 time: %r" % (text,)
    t = datetime.datetime.strptime(m.group(1).replace(" ", "T"), "%Y-%m-%dT%H:%M:%S")
    offset = datetime.timedelta(0)
    if m.group(3) != "Z":
        sign = -1 if m.group(3)[0] == "-" else 1
        hh, mm = m.group(3)[1:3], m.group(3)[-2:]
        offset = sign * datetime.timedelta(hours=int(hh), minutes=int(mm))
    micros = int(((m.group(2) or "") + "000000")[:6])
    return (t - offset).replace(tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=micros)


def instant(text):
    """A WOPI time (UTC ISO 8601 with Z, up to 7 fractional digits) as an aware datetime."""
    assert isinstance(text, str) and ISO_UTC.match(text), "not a UTC ISO 8601 time: %r" % (text,)
    return parse_time(text)


def json_answer(resp, what):
    ctype = resp.header("Content-Type") or ""
    assert ctype.split(";")[0].strip().lower() == "application/json", "%s: Content-Type %r" % (what, ctype)
    return resp.json()


ANY = object()


def check_versions(folio, file_id, count, body, author, source="wopi", autosave=ANY, exitsave=ANY,
                   modified=ANY, editors=ANY):
    """`folio versions` after a write: `count` versions (ANY: any number), well-formed, oldest
    first, and the last one holding exactly `body` with the given author, source, save flags
    and editors."""
    vs = folio.versions(file_id)
    assert isinstance(vs, list) and vs and (count is ANY or len(vs) == count), \
        "%s: expected %s versions, got %r" % (file_id, count, vs)
    fields = {"number", "size", "sha256", "author", "createdAt", "source", "isAutosave", "isExitSave",
              "isModifiedByUser", "editors"}
    previous = None
    for v in vs:
        assert fields <= set(v), "version fields missing: %r" % v
        assert isinstance(v["number"], int) and isinstance(v["size"], int) and v["size"] >= 0, v
        assert re.fullmatch(r"[0-9a-f]{64}", v["sha256"]), v
        assert isinstance(v["author"], str) and isinstance(v["source"], str), v
        for flag in ("isAutosave", "isExitSave", "isModifiedByUser"):
            assert v[flag] in (True, False, None), v
        assert isinstance(v["editors"], list) and all(isinstance(e, str) for e in v["editors"]), v
        created = parse_time(v["createdAt"])
        if previous is not None:
            assert v["number"] > previous[0] and created >= previous[1], "versions out of order: %r" % vs
        previous = (v["number"], created)
    last = vs[-1]
    assert last["size"] == len(body) and last["sha256"] == hashlib.sha256(body).hexdigest(), \
        "last version does not hold what was sent: %r" % last
    assert last["author"] == author and last["source"] == source, last
    for flag, want in (("isAutosave", autosave), ("isExitSave", exitsave), ("isModifiedByUser", modified),
                       ("editors", editors)):
        if want is not ANY:
            assert last[flag] == want, "%s: expected %r in %r" % (flag, want, last)
    age = datetime.datetime.now(datetime.timezone.utc) - previous[1]
    assert age < datetime.timedelta(minutes=10), "createdAt is not recent: %r" % last
    return vs


def get_lock(folio, file_id, login="alice"):
    """The lock in force, read through a token bound to no editor (so no proof is needed): the
    test's own view of the file, not part of any editor's traffic."""
    tok = folio.token(file_id, login)
    r = wopi.send("POST", tok.src + "?access_token=" + tok.token, [("X-WOPI-Override", "GET_LOCK")])
    expect(r, 200, "GetLock (observer)")
    return r.header("X-WOPI-Lock")


def save_headers(lock, modified, autosave, exitsave, timestamp=None, prefix="X-COOL-WOPI-"):
    """PutFile headers in Collabora's order (§B); ONLYOFFICE sends the same with X-LOOL-WOPI-."""
    tf = lambda b: "true" if b else "false"
    h = [("X-WOPI-Lock", lock)] if lock else []
    h += [(prefix + "IsModifiedByUser", tf(modified)), (prefix + "IsAutosave", tf(autosave)),
          (prefix + "IsExitSave", tf(exitsave))]
    if timestamp:
        h.append((prefix + "Timestamp", timestamp))
    return h + [("Content-Type", "application/octet-stream")]


def saved_time(resp, after, what):
    """The `{"LastModifiedTime"}` answer of a save: a WOPI time later than `after`."""
    answer = json_answer(resp, what)
    assert isinstance(answer, dict) and "LastModifiedTime" in answer, "%s: %r" % (what, answer)
    lmt = answer["LastModifiedTime"]
    assert instant(lmt) > instant(after), "%s: LastModifiedTime %s is not after %s" % (what, lmt, after)
    return lmt
