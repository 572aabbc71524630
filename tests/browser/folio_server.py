"""A live `folio serve` for the browser tests (tests/lib/folio_process.py), and the `folio`
command line on its data folder, in the words the browser tests use.

The server listens on a free port of 127.0.0.1 with its own data folder, always on SQLite (the
tests look into folio.sqlite through `Store`); `start()` returns once it printed its
"Folio listening on" line and answers /healthz.
"""

import json
import os
import re
import sqlite3

from folio_process import FolioProcess, installation_env


class Folio(FolioProcess):
    """One `folio serve` on 127.0.0.1 with the data folder `data`; its output goes to `log_path`."""

    def __init__(self, data, log_path, editors=(), extra_args=()):
        super().__init__(data, log_path, env=installation_env("sqlite"))
        self.editors = list(editors)              # ["collabora=http://…/hosting/discovery", …]
        self.extra_args = list(extra_args)        # more `serve` options, e.g. ["--watermark", "{user}"]
        self._files = 0
        self.store = Store(self.data)              # read-only looks at the database and blobs

    def start(self, timeout=None):
        args = [a for editor in self.editors for a in ("--editor", editor)] + self.extra_args
        return super().start(*args, timeout=timeout)

    # ---- the command line ---------------------------------------------------------------

    def user_add(self, login, name=None, password=None, admin=False):
        """`folio user add LOGIN [--name NAME] [--admin]`, with a password when one is given."""
        args = ["user", "add"] + (["--name", name] if name else []) + (["--admin"] if admin else [])
        if password is not None:
            self.cli(*args, "--password-stdin", positional=[login], stdin=password + "\n")
        else:
            self.cli(*args, positional=[login])

    def import_files(self, *paths, owner, folder=None):
        """`folio import PATHS --owner OWNER [--folder F] --json`: one {id,name,size,version} per file."""
        args = ["import", "--owner", owner, "--json"] + (["--folder", folder] if folder else [])
        entries = json.loads(self.cli(*args, positional=paths))
        assert len(entries) == len(paths), entries
        return entries

    def new_file(self, name, content, owner, folder=None):
        """Write `content` (bytes) to a file called `name` and import it for `owner`; its entry."""
        self._files += 1
        d = os.path.join(os.path.dirname(self.data), "import-%d" % self._files)
        os.makedirs(d)
        path = os.path.join(d, name)
        with open(path, "wb") as f:
            f.write(content)
        [entry] = self.import_files(path, owner=owner, folder=folder)
        assert entry["name"] == name and entry["size"] == len(content), entry
        return entry

    def open(self, file_id, user, action=None, editor=None, ttl=None):
        """`folio open ID --user LOGIN --json`: the host-page URL (with its ticket) to browse to."""
        answer = super().open(file_id, user, action=action, editor=editor, ttl=ttl)
        assert sorted(answer) == ["url"], answer
        assert answer["url"].startswith("%s/files/%s/" % (self.base, file_id)), answer
        return answer["url"]

    def setup_url(self):
        """The one-time set-up link the server printed at its last start (no administrator yet), or None."""
        found = re.findall(r"^Set up Folio at (\S+)$", self.log_text(since_start=True), re.M)
        return found[-1] if found else None

    def closed_url(self, file_id):
        """Where the host page goes when the editor closes (Folio's `/files/ID/closed`)."""
        return "%s/files/%s/closed" % (self.base, file_id)


class Store:
    """Read-only looks into a data folder, for what the command line does not list: the
    metadata database (folio.sqlite, opened read-only while the server runs) and the blobs."""

    def __init__(self, data):
        self.data = str(data)

    def query(self, sql, *args):
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(self.data, "folio.sqlite"), uri=True, timeout=10)
        try:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute(sql, args)]
        finally:
            db.close()

    def user(self, login):
        rows = self.query("SELECT * FROM users WHERE login = ?", login)
        return rows[0] if rows else None

    def file(self, file_id):
        rows = self.query("SELECT * FROM files WHERE id = ?", file_id)
        return rows[0] if rows else None

    def folder(self, folder_id):
        rows = self.query("SELECT * FROM folders WHERE id = ?", folder_id)
        return rows[0] if rows else None

    def files(self, **where):
        """Every file row (deleted ones too), optionally only those whose columns equal `where`."""
        sql = "SELECT * FROM files" + (" WHERE " + " AND ".join("%s = ?" % k for k in where) if where else "")
        return self.query(sql + " ORDER BY created_at", *where.values())

    def blob_paths(self):
        """Every file under blobs/ (relative paths), staging files of uploads in progress included."""
        root = os.path.join(self.data, "blobs")
        found = []
        for folder, _, names in os.walk(root):
            found += [os.path.relpath(os.path.join(folder, n), root) for n in names]
        return sorted(found)
