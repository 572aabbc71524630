"""What the tests of tests/spaces/clients share: `Space` (one Folio with the space `docs` on one
kind of storage, and what a test does with documents there) and the checks of conflict copies.
conftest.py makes one per kind; the tests import the helpers from here.
"""

import hashlib
import json
import os
import re
import secrets
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients"))

import discovery  # noqa: E402  (after the paths above)
import storages  # noqa: E402
import wopi  # noqa: E402
from harness import Folio, expect  # noqa: E402

SPACE = "docs"
DS_SECRET = "folio-spaces-clients-ds-secret-5d1c0b9e7a3f"
ALL_KINDS = ("folder", "webdav", "s3", "http")


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Space:
    """A Folio with the space `docs` on one storage, its users alice and bob, and what the
    tests do with documents there."""

    def __init__(self, kind, tmp, disco, ds):
        self.kind, self.tmp, self.disco, self.ds = kind, tmp, disco, ds
        self.storage = storages.KINDS[kind]()
        out = os.environ.get("FOLIO_TEST_OUTPUT") or str(tmp)
        os.makedirs(out, exist_ok=True)
        self.folio = Folio(tmp / "data", os.path.join(out, "folio-spaces-clients-%s.log" % kind))
        # The server and every `folio` command of this installation know the space.
        self.folio.env["FOLIO_SPACES"] = "%s=%s" % (SPACE, self.storage.space())
        try:
            self.folio.start({e: disco.discovery_url(e) for e in discovery.EDITORS},
                             ["--onlyoffice-url", ds.base, "--onlyoffice-secret", DS_SECRET])
            self.folio.user_add("alice", "Alice Liddell")
            self.folio.user_add("bob", "Bob Cratchit")
        except BaseException:
            self.close()
            raise
        self._folders = set()
        self._run = secrets.token_hex(3)        # a storage may outlive one run (tests/spaces/clients.sh -k …)

    def close(self):
        self.folio.stop()
        self.storage.close()

    # ---- documents ------------------------------------------------------------------------

    def folder(self, name):
        """A folder of its own for one test: /Clients/<kind>-<name>-<run>."""
        folder = "/Clients/%s-%s-%s" % (self.kind, re.sub(r"[^A-Za-z0-9-]", "-", name), self._run)
        assert folder not in self._folders, "folder %s used twice" % folder
        self._folders.add(folder)
        return folder

    def document(self, test, name, content):
        """Put `content` into the storage as FOLDER/name (FOLDER = self.folder(test)) the way
        its other clients would; its space path."""
        path = "%s/%s" % (self.folder(test), name)
        self.storage.write(path, content)
        return path

    def token(self, path, login="alice", editor=None, role=None):
        """`folio token --space docs --path PATH --user LOGIN [--editor E] [--role R] --json`."""
        args = ["token", "--space", SPACE, "--path", path, "--user", login, "--json"]
        args += (["--editor", editor] if editor else []) + (["--role", role] if role else [])
        answer = json.loads(self.folio.cli(*args))
        assert sorted(answer) == ["accessToken", "accessTokenTTL", "wopiSrc"], answer
        assert answer["wopiSrc"].startswith(self.folio.base + "/wopi/files/"), answer
        return wopi.Token.from_cli(answer)

    def ticket(self, path, login="alice"):
        """The `?ticket=` of `folio open --space docs --path PATH --user LOGIN --json`."""
        url = json.loads(self.folio.cli("open", "--space", SPACE, "--path", path, "--user", login, "--json"))["url"]
        m = re.search(r"[?&]ticket=([^&]+)", url)
        assert m, url
        return m.group(1)

    def client(self, editor):
        return wopi.CLIENTS[editor](self.disco.keys[editor])

    # ---- checks ---------------------------------------------------------------------------

    def stored(self, path, body, what):
        """The storage itself holds exactly `body` at `path` (compared by SHA-256)."""
        got = self.storage.read(path)
        assert sha(got) == sha(body), "%s: %s in the %s storage holds %d bytes (sha256 %s), not the %d saved (%s)" % (
            what, path, self.kind, len(got), sha(got)[:16], len(body), sha(body)[:16])

    def names(self, folder):
        return self.storage.names(folder)

    def content(self, tok):
        """GetFile through a token bound to no editor (no proof needed): what Folio serves."""
        return expect(wopi.send("GET", tok.src + "/contents?access_token=" + tok.token, []), 200, "GetFile").body

    def get_lock(self, path):
        tok = self.token(path)
        r = expect(wopi.send("POST", tok.src + "?access_token=" + tok.token, [("X-WOPI-Override", "GET_LOCK")]),
                   200, "GetLock (observer)")
        return r.header("X-WOPI-Lock")


def conflict_copies(names, base, ext, login):
    """The names that are conflict copies of BASE.EXT saved by LOGIN:
    "BASE (conflict YYYY-MM-DD HH-MM-SS LOGIN).EXT"."""
    pattern = re.compile(r"^%s \(conflict \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2} %s\)%s$"
                         % (re.escape(base), re.escape(login), re.escape(ext)))
    return [n for n in names if pattern.match(n)]
