"""A folder space in Chromium (`folio serve --space docs=folder:PATH`): who may open it
(/admin/spaces and `folio space grant`), its folders listed live from the disk, and uploads,
new folders and documents, open in the editor, versions, rename and delete, each done in the
folder itself. Every outcome is checked on the disk, and in Folio's store where Folio keeps
something (grants, the file that stands for a document, its versions).
"""

import calendar
import json
import os
import time
import urllib.parse
import zipfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from web import (PASSWORD, choose_files, click, crumbs, fill, fill_named, header_texts, mark_page, names,
                 open_dialog, path_of, request, row, rows, session_cookie, sha256, sign_in, size_text,
                 template_bytes, text, wait_new_page, wopi)

SPACE = "docs"
ROLES = {"view": 1, "comment": 2, "edit": 3}
MiB = 1 << 20


# ---- the space, the disk and the store ----------------------------------------------------

def grant(folio, role, user=None):
    """`folio space grant docs --user LOGIN|--everyone --role ROLE`, with the server's --space."""
    who = ["--user", user] if user else ["--everyone"]
    folio.cli("space", "grant", *folio.extra_args, *who, "--role", role, positional=[SPACE])


def space_roles(folio):
    """({login: role number} of the single users' grants on the space, everyone's role or None),
    as the store holds them (grants on the space's root folder; space_settings)."""
    granted = folio.store.query(
        "SELECT u.login AS login, g.role AS role FROM grants g JOIN folders f ON f.id = g.resource_id "
        "JOIN users owner ON owner.id = f.owner_id JOIN users u ON u.id = g.user_id "
        "WHERE owner.login = ? AND f.parent_id IS NULL", "space:" + SPACE)
    settings = folio.store.query("SELECT everyone_role FROM space_settings WHERE space = ?", SPACE)
    return {r["login"]: r["role"] for r in granted}, (settings[0]["everyone_role"] if settings else None)


def space_file(folio, path):
    """The id of the Folio file that stands for the document at `path`, or None."""
    found = folio.store.query("SELECT file_id FROM space_documents WHERE space = ? AND path = ?", SPACE, path)
    return found[0]["file_id"] if found else None


def write(path, content, mtime=None):
    """Write a file on the disk, as someone outside Folio does; `mtime` in seconds since 1970."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def utc(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S"))


def iso(mtime):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(mtime))


def on_disk(folder):
    """A folder's entries as the listing must show them: (kind, name), folders first, then by
    name in any case."""
    entries = [("folder" if e.is_dir() else "file", e.name) for e in os.scandir(folder)]
    return sorted(entries, key=lambda e: (e[0] != "folder", e[1].lower()))


# ---- the pages ----------------------------------------------------------------------------

def space_url(folio, path="/", action=""):
    return "%s/spaces/%s%s?path=%s" % (folio.base, SPACE, "/" + action if action else "",
                                       urllib.parse.quote(path, safe=""))


def shown_path(browser):
    """The space page shown: (URL path, its ?path= value or None)."""
    split = urllib.parse.urlsplit(browser.current_url)
    return split.path, urllib.parse.parse_qs(split.query).get("path", [None])[0]


def listing(browser):
    return [(kind, name) for kind, _, name in rows(browser)]


def cell(tr, css):
    return tr.find_element(By.CSS_SELECTOR, css).get_attribute("textContent")


def link(tr, label):
    """The href of the row's action link called `label` (Edit, View, Download, Versions)."""
    for a in tr.find_elements(By.CSS_SELECTOR, "td.actions a.button"):
        if a.text == label:
            return a.get_attribute("href")
    return None


def assert_listing_is_the_disk(browser, folder):
    """The listing shows exactly what `folder` holds, each file with its size and time."""
    assert listing(browser) == on_disk(folder), (listing(browser), on_disk(folder))
    for kind, name in on_disk(folder):
        tr = row(browser, name)
        info = os.stat(folder / name)
        assert tr.find_element(By.CSS_SELECTOR, "td.time time").get_attribute("datetime") == iso(info.st_mtime), name
        assert cell(tr, "td.size") == ("" if kind == "folder" else size_text(info.st_size)), name


def query_of(href):
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(href).query).items()}


def wait_for_editor(browser):
    with browser.in_frame():
        browser.wait_text("handshake", "Host_PostmessageReady received")


def editor_fields(browser):
    with browser.in_frame():
        return {name: browser.text_of(name) for name in ("file-name", "action", "can-write", "content-size")}


def read_only(browser):
    """None of the page's ways to change the folder are there (a viewer's folder page)."""
    for css in ("#upload", "#upload-input", "[data-open]", "[data-rename]", "form[action*='/delete']",
                "#folder-dialog", "#new-dialog", "#rename-dialog"):
        assert not browser.find_elements(By.CSS_SELECTOR, css), "a viewer's page has %s" % css


def signed_in(folio, browser, login, name, role="edit"):
    """A user with `role` on the space (from the command line), signed in."""
    folio.user_add(login, name, password=PASSWORD)
    grant(folio, role, user=login)
    sign_in(browser, folio, login)


def upload(browser, paths, what):
    """Upload through the page's file input; wait until the page reloaded after the uploads."""
    page = mark_page(browser)
    choose_files(browser, paths)
    wait_new_page(browser, page, what, timeout=60)


# ---- the tests ----------------------------------------------------------------------------

def test_an_administrator_gives_roles_on_the_space_access_page(space_folio, space, browser, open_browser):
    folio = space_folio
    q3 = write(space / "Reports" / "q3.docx", b"PK\x03\x04 quarter three")
    folio.user_add("root", "Rita Root", password=PASSWORD, admin=True)
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    folio.user_add("bob", "Bob Cratchit", password=PASSWORD)
    assert space_roles(folio) == ({}, None)

    sign_in(browser, folio, "root")
    nav = header_texts(browser)
    assert "Spaces" in nav and "Space access" in nav, nav
    click(browser, "header.top nav a[href='/admin/spaces']", "Space access")
    assert path_of(browser) == "/admin/spaces"
    section = browser.find_element(By.CSS_SELECTOR, "section[data-space=docs]")
    assert cell(section, "h2") == "docs"
    assert cell(section, "code") == "folder %s" % space
    everyone = Select(section.find_element(By.CSS_SELECTOR, "form[action$='/everyone'] select[name=role]"))
    assert [o.get_attribute("value") for o in everyone.options] == ["none", "view", "comment", "edit"]
    assert everyone.first_selected_option.get_attribute("value") == "none"
    assert not section.find_elements(By.CSS_SELECTOR, "table.grants")

    def grants_shown():
        return [tuple(td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")[:3])
                for tr in browser.find_elements(By.CSS_SELECTOR, "section[data-space=docs] table.grants tbody tr")]

    def add_grant(login, role):
        form = browser.find_element(By.CSS_SELECTOR, "section[data-space=docs] form.row[action='/admin/spaces/docs/grants']")
        fill_named(form, {"login": login, "role": role})
        click(browser, "button[type=submit]", "granting %s %s" % (login, role), within=form)

    def set_everyone(role):
        form = browser.find_element(By.CSS_SELECTOR, "section[data-space=docs] form[action='/admin/spaces/docs/everyone']")
        fill_named(form, {"role": role})
        click(browser, "button[type=submit]", "everyone %s" % role, within=form)

    # Alice gets edit; an unknown login is refused and changes nothing.
    add_grant("alice", "edit")
    assert text(browser, "main p.notice") == "Done."
    assert grants_shown() == [("alice", "Alice Liddell", "editor")]
    assert space_roles(folio) == ({"alice": ROLES["edit"]}, None)
    add_grant("nobody", "edit")
    assert "nobody" in text(browser, "main p.error"), text(browser, "main")
    assert grants_shown() == [("alice", "Alice Liddell", "editor")]
    assert space_roles(folio) == ({"alice": ROLES["edit"]}, None)

    # Bob has no role: no space for him, the folder and its documents are closed to him.
    bob = open_browser("bob")
    sign_in(bob, folio, "bob")
    assert "Spaces" in header_texts(bob) and "Space access" not in header_texts(bob)
    bob.get(folio.base + "/spaces")
    assert text(bob, "main p.empty") == "No space is open to you."
    assert not bob.find_elements(By.CSS_SELECTOR, "tr[data-space]")
    bob.get(space_url(folio, "/Reports"))
    assert "q3.docx" not in text(bob, "main")
    for target in (space_url(folio, "/Reports"), space_url(folio, "/Reports/q3.docx", "download"),
                   space_url(folio, "/Reports/q3.docx", "open") + "&action=view"):
        answer = request(folio, "GET", target[len(folio.base):], cookie=session_cookie(bob))
        assert answer.status == 403 and b"quarter three" not in answer.body, (target, answer)

    # Alice, an editor: the space and every way to change it.
    alice = open_browser("alice")
    sign_in(alice, folio, "alice")
    click(alice, "header.top nav a[href='/spaces']", "Spaces")
    assert [(tr.get_attribute("data-space"), cell(tr, "td:nth-child(2)"))
            for tr in alice.find_elements(By.CSS_SELECTOR, "tr[data-space]")] == [("docs", "editor")]
    click(alice, "tr[data-space=docs] a", "the docs space")
    click(alice, "a.item", "Reports", within=row(alice, "Reports"))
    assert alice.find_elements(By.CSS_SELECTOR, "#upload") and row(alice, "q3.docx").find_elements(
        By.CSS_SELECTOR, "[data-rename]")

    # Everyone signed in may view: Bob sees the space, read-only.
    set_everyone("view")
    assert text(browser, "main p.notice") == "Done."
    everyone = Select(browser.find_element(By.CSS_SELECTOR, "section[data-space=docs] form[action$='/everyone'] select"))
    assert everyone.first_selected_option.get_attribute("value") == "view"
    assert space_roles(folio) == ({"alice": ROLES["edit"]}, ROLES["view"])
    browser.get(folio.base + "/admin/spaces")
    browser.screenshot("spaces-admin")

    bob.get(folio.base + "/spaces")
    assert [(tr.get_attribute("data-space"), cell(tr, "td:nth-child(2)"))
            for tr in bob.find_elements(By.CSS_SELECTOR, "tr[data-space]")] == [("docs", "viewer")]
    click(bob, "tr[data-space=docs] a", "the docs space")
    click(bob, "a.item", "Reports", within=row(bob, "Reports"))
    assert listing(bob) == [("file", "q3.docx")]
    read_only(bob)
    bob_row = row(bob, "q3.docx")
    assert link(bob_row, "Edit") is None and link(bob_row, "View") and link(bob_row, "Download")
    bob.screenshot("spaces-read-only")
    # His download is the disk's bytes; the name opens the document read-only in the editor.
    answer = request(folio, "GET", link(bob_row, "Download")[len(folio.base):], cookie=session_cookie(bob))
    assert answer.status == 200 and answer.body == q3.read_bytes(), answer
    click(bob, "a.item", "q3.docx", within=bob_row)
    file_id = space_file(folio, "/Reports/q3.docx")
    assert file_id and path_of(bob) == "/files/%s/view" % file_id, bob.current_url
    wait_for_editor(bob)
    assert editor_fields(bob) == {"file-name": "q3.docx", "action": "view", "can-write": "false",
                                  "content-size": str(len(q3.read_bytes()))}
    # Nothing he can do from the page's forms gets through either.
    cookie = session_cookie(bob)
    bob.get(folio.base + "/spaces")
    csrf = bob.find_element(By.CSS_SELECTOR, "form[action='/logout'] input[name=csrf]").get_attribute("value")
    answer = request(folio, "POST", space_url(folio, "/Reports/q3.docx", "delete")[len(folio.base):], cookie=cookie,
                     body={"csrf": csrf})
    assert answer.status == 403, answer
    answer = request(folio, "PUT", space_url(folio, "/Reports", "upload")[len(folio.base):] + "&name=bob.txt",
                     cookie=cookie, body=b"bob was here", headers={"X-CSRF-Token": csrf})
    assert answer.status == 403, answer
    assert on_disk(space / "Reports") == [("file", "q3.docx")]

    # Alice's own grant removed: she falls back to everyone's role.
    click(browser, "section[data-space=docs] tr[data-login=alice] form button", "removing alice's grant")
    assert text(browser, "main p.notice") == "Done."
    assert grants_shown() == []
    assert space_roles(folio) == ({}, ROLES["view"])
    alice.get(space_url(folio, "/Reports"))
    read_only(alice)
    # The command line gives it back, and the page shows it.
    grant(folio, "edit", user="alice")
    assert space_roles(folio) == ({"alice": ROLES["edit"]}, ROLES["view"])
    browser.get(folio.base + "/admin/spaces")
    assert grants_shown() == [("alice", "Alice Liddell", "editor")]
    alice.get(space_url(folio, "/Reports"))
    assert alice.find_elements(By.CSS_SELECTOR, "#upload")

    # Everyone's role taken back: Bob is out again.
    set_everyone("none")
    assert space_roles(folio) == ({"alice": ROLES["edit"]}, None)
    bob.get(folio.base + "/spaces")
    assert text(bob, "main p.empty") == "No space is open to you."
    assert request(folio, "GET", space_url(folio, "/Reports")[len(folio.base):], cookie=cookie).status == 403


def test_a_folder_is_listed_as_the_disk_holds_it(space_folio, space, browser):
    folio = space_folio
    here = space / "Reports" / "2026"
    q3 = write(here / "q3.docx", b"PK\x03\x04" + os.urandom(3000), utc("2026-03-14 15:09:26"))
    write(here / "Überblick – März.txt", "Grüße aus Köln".encode(), utc("2026-01-02 03:04:05"))
    write(here / "Отчёт за квартал.xlsx", os.urandom(3 * MiB // 2), utc("2025-12-31 23:59:59"))
    write(here / "empty.odt", b"", utc("2026-02-28 12:00:00"))
    write(here / "Archive" / "old.txt", b"old", utc("2020-05-05 05:05:05"))
    os.utime(here / "Archive", (utc("2024-07-01 08:00:00"), utc("2024-07-01 08:00:00")))
    write(space / "Top notes.txt", b"top level notes", utc("2026-06-01 10:00:00"))
    signed_in(folio, browser, "alice", "Alice Liddell")

    # /spaces → docs → Reports → 2026, with breadcrumbs all the way.
    click(browser, "header.top nav a[href='/spaces']", "Spaces")
    assert path_of(browser) == "/spaces"
    click(browser, "tr[data-space=docs] a", "the docs space")
    assert shown_path(browser) == ("/spaces/docs", None)
    assert crumbs(browser) == ["Spaces", "docs"]
    assert_listing_is_the_disk(browser, space)
    click(browser, "a.item", "Reports", within=row(browser, "Reports"))
    assert shown_path(browser) == ("/spaces/docs", "/Reports")
    assert crumbs(browser) == ["Spaces", "docs", "Reports"]
    assert listing(browser) == [("folder", "2026")]
    click(browser, "a.item", "2026", within=row(browser, "2026"))
    assert shown_path(browser) == ("/spaces/docs", "/Reports/2026")
    assert crumbs(browser) == ["Spaces", "docs", "Reports", "2026"]
    assert browser.title == "2026 · Folio"
    trail = browser.find_elements(By.CSS_SELECTOR, "nav.crumbs li")
    assert [query_of(a.get_attribute("href")).get("path") for li in trail[1:3]
            for a in li.find_elements(By.CSS_SELECTOR, "a")] == ["/", "/Reports"]
    assert trail[-1].get_attribute("aria-current") == "page" and not trail[-1].find_elements(By.CSS_SELECTOR, "a")

    # Exactly what the folder holds: sizes, times, and what each document offers.
    assert_listing_is_the_disk(browser, here)
    assert listing(browser) == [("folder", "Archive"), ("file", "empty.odt"), ("file", "q3.docx"),
                                ("file", "Überblick – März.txt"), ("file", "Отчёт за квартал.xlsx")]
    assert cell(row(browser, "Отчёт за квартал.xlsx"), "td.size") == "1.5\u00a0MB"
    assert cell(row(browser, "empty.odt"), "td.size") == "0\u00a0B"
    text_row = row(browser, "Überblick – März.txt")
    assert cell(text_row, ".badge") == "download only"
    assert link(text_row, "Edit") is None and link(text_row, "View") is None
    for name in ("q3.docx", "Отчёт за квартал.xlsx", "empty.odt"):
        tr = row(browser, name)
        assert not tr.find_elements(By.CSS_SELECTOR, ".badge"), name
        assert query_of(link(tr, "Edit")) == {"path": "/Reports/2026/" + name, "action": "edit"}, name
        assert query_of(tr.find_element(By.CSS_SELECTOR, "a.item").get_attribute("href"))["action"] == "edit"
    browser.screenshot("spaces-listing")

    # Sorted by size: folders first, then the smallest file.
    click(browser, "table.listing th:nth-child(2) a", "the Size header")
    assert names(browser) == ["Archive", "empty.odt", "Überblick – März.txt", "q3.docx", "Отчёт за квартал.xlsx"]
    click(browser, "table.listing th:nth-child(2) a", "the Size header again")
    assert names(browser) == ["Archive", "Отчёт за квартал.xlsx", "q3.docx", "Überblick – März.txt", "empty.odt"]

    # Downloads are the disk's bytes, also of a non-ASCII name.
    cookie = session_cookie(browser)
    for name in ("q3.docx", "Überblick – März.txt", "Отчёт за квартал.xlsx"):
        answer = request(folio, "GET", link(row(browser, name), "Download")[len(folio.base):], cookie=cookie)
        assert answer.status == 200 and answer.body == (here / name).read_bytes(), (name, answer)
        assert answer.headers["content-disposition"] == \
            "attachment; filename*=UTF-8''" + urllib.parse.quote(name, safe=""), answer.headers

    # Changes made on the disk outside Folio show on the next load: a document rewritten, one
    # removed, one added, a folder made.
    changed = b"PK\x03\x04 rewritten outside Folio " + os.urandom(70000)
    write(q3, changed, utc("2026-11-30 18:45:00"))
    os.remove(here / "empty.odt")
    write(here / "added outside.pptx", os.urandom(2048), utc("2026-10-10 10:10:10"))
    (here / "New from outside").mkdir()
    browser.get(space_url(folio, "/Reports/2026"))
    assert_listing_is_the_disk(browser, here)
    assert names(browser) == ["Archive", "New from outside", "added outside.pptx", "q3.docx",
                              "Überblick – März.txt", "Отчёт за квартал.xlsx"]
    q3_row = row(browser, "q3.docx")
    assert cell(q3_row, "td.size") == size_text(len(changed)) == "68\u00a0KB"
    assert q3_row.find_element(By.CSS_SELECTOR, "time").get_attribute("datetime") == "2026-11-30T18:45:00Z"
    answer = request(folio, "GET", link(q3_row, "Download")[len(folio.base):], cookie=cookie)
    assert answer.status == 200 and sha256(answer.body) == sha256(changed), answer

    # Back up with a breadcrumb.
    click(browser, "nav.crumbs a", "the Reports breadcrumb",
          within=browser.find_elements(By.CSS_SELECTOR, "nav.crumbs li")[2])
    assert shown_path(browser) == ("/spaces/docs", "/Reports")
    assert listing(browser) == [("folder", "2026")]


def test_uploads_land_in_the_folder(space_folio, space, browser, tmp_path):
    folio = space_folio
    inbox = space / "R&D #1 + Ü"          # every character that needs care in an address
    write(inbox / "existing.txt", b"was here before")
    signed_in(folio, browser, "alice", "Alice Liddell")
    browser.get(space_url(folio, "/"))
    click(browser, "a.item", "the R&D folder", within=row(browser, inbox.name))
    assert shown_path(browser) == ("/spaces/docs", "/" + inbox.name)
    assert crumbs(browser) == ["Spaces", "docs", inbox.name]
    assert listing(browser) == [("file", "existing.txt")]
    assert query_of(browser.find_element(By.ID, "upload").get_attribute("data-url")) == {"path": "/" + inbox.name}

    picked = tmp_path / "picked"
    scan = write(picked / "Scan März 2026.pdf", os.urandom(3 * MiB + 17))
    notes = write(picked / "notes.txt", b"first notes\n" * 100)
    upload(browser, [scan, notes], "the page to reload after two uploads")
    assert shown_path(browser) == ("/spaces/docs", "/" + inbox.name)
    assert names(browser) == ["existing.txt", "notes.txt", "Scan März 2026.pdf"]
    assert_listing_is_the_disk(browser, inbox)
    for p in (scan, notes):
        assert sha256((inbox / p.name).read_bytes()) == sha256(p.read_bytes()), p.name
    browser.screenshot("spaces-after-upload")

    # The same name again: a free name beside it, the first one untouched.
    second = write(tmp_path / "again" / "Scan März 2026.pdf", os.urandom(MiB + 3))
    upload(browser, [second], "the page to reload after the second upload")
    assert names(browser) == ["existing.txt", "notes.txt", "Scan März 2026 (2).pdf", "Scan März 2026.pdf"]
    assert_listing_is_the_disk(browser, inbox)
    assert sha256((inbox / "Scan März 2026.pdf").read_bytes()) == sha256(scan.read_bytes())
    assert sha256((inbox / "Scan März 2026 (2).pdf").read_bytes()) == sha256(second.read_bytes())
    assert (inbox / "existing.txt").read_bytes() == b"was here before"

    # Folio keeps each upload as the first version of the document's file, by Alice.
    alice = folio.store.user("alice")["id"]
    for name, content in (("Scan März 2026.pdf", scan), ("notes.txt", notes), ("Scan März 2026 (2).pdf", second)):
        file_id = space_file(folio, "/%s/%s" % (inbox.name, name))
        assert file_id, name
        [version] = folio.versions(file_id)
        data = content.read_bytes()
        assert (version["number"], version["size"], version["sha256"], version["source"]) == \
            (1, len(data), sha256(data), "upload"), (name, version)
        assert folio.store.query("SELECT author_id FROM versions WHERE file_id = ?", file_id) == [{"author_id": alice}]


def test_new_folder_and_new_document(space_folio, space, editor, browser):
    folio = space_folio
    (space / "Projects").mkdir()
    signed_in(folio, browser, "alice", "Alice Liddell")
    browser.get(space_url(folio, "/Projects"))
    assert text(browser, "main p.empty") == "This folder is empty."

    # A new folder: made on the disk, and the browser goes into it.
    open_dialog(browser, "folder-dialog")
    fill(browser, {"folder-name": "Q4 – R&D #2 + Plan"})
    click(browser, "#folder-dialog button[type=submit]", "creating a folder")
    assert (space / "Projects" / "Q4 – R&D #2 + Plan").is_dir()
    assert shown_path(browser) == ("/spaces/docs", "/Projects/Q4 – R&D #2 + Plan")
    assert crumbs(browser) == ["Spaces", "docs", "Projects", "Q4 – R&D #2 + Plan"]
    assert text(browser, "main p.empty") == "This folder is empty."
    browser.get(space_url(folio, "/Projects"))
    assert_listing_is_the_disk(browser, space / "Projects")
    assert listing(browser) == [("folder", "Q4 – R&D #2 + Plan")]
    click(browser, "a.item", "the new folder", within=row(browser, "Q4 – R&D #2 + Plan"))

    # A new Word document from its template: Folio makes it (empty, as for Collabora) and opens
    # the editor, which fills it from the template; the bytes land on the disk.
    dialog = open_dialog(browser, "new-dialog")
    assert dialog.find_element(By.CSS_SELECTOR, "input[name=template][value=docx]").is_selected()
    fill(browser, {"document-name": "Plan"})
    click(browser, "#new-dialog button[type=submit]", "creating a document")
    made = space / "Projects" / "Q4 – R&D #2 + Plan" / "Plan.docx"
    file_id = space_file(folio, "/Projects/Q4 – R&D #2 + Plan/Plan.docx")
    assert file_id and path_of(browser) == "/files/%s/edit" % file_id, browser.current_url
    wait_for_editor(browser)
    template = template_bytes("docx")
    session = editor.last_session()
    assert session.check_file_info["BaseFileName"] == "Plan.docx" and session.check_file_info["UserCanWrite"] is True
    assert session.template_put_status == 200, session.template_put_body
    with browser.in_frame():
        assert browser.text_of("file-name") == "Plan.docx"
        assert browser.text_of("content-size") == str(len(template))
    assert made.read_bytes() == template
    with zipfile.ZipFile(made) as package:
        assert "word/document.xml" in package.namelist()
    # As in Folio's own folders: an empty first version, then the editor's save of the template.
    versions = folio.versions(file_id)
    assert [(v["number"], v["size"], v["source"]) for v in versions] == \
        [(1, 0, "upload"), (2, len(template), "wopi")], versions
    assert versions[-1]["sha256"] == sha256(template)
    browser.screenshot("spaces-new-document-in-editor")

    # Closing the editor goes back to the space folder, which lists the document.
    with browser.in_frame():
        browser.find_element(By.ID, "close").click()
    browser.wait_until(lambda d: shown_path(d) == ("/spaces/docs", "/Projects/Q4 – R&D #2 + Plan"),
                       "the editor's close to return to the space folder")
    browser.wait_until(lambda d: d.execute_script("return document.readyState") == "complete", "the folder page")
    assert_listing_is_the_disk(browser, space / "Projects" / "Q4 – R&D #2 + Plan")
    assert listing(browser) == [("file", "Plan.docx")]
    assert cell(row(browser, "Plan.docx"), "td.size") == size_text(len(template))


def test_open_a_document_in_the_editor_and_its_versions(space_folio, space, editor, browser):
    folio = space_folio
    first = b"PK\x03\x04 q3, as it was on the disk " + os.urandom(500)
    q3 = write(space / "Reports" / "q3.docx", first, utc("2026-09-30 17:00:00"))
    signed_in(folio, browser, "alice", "Alice Liddell")
    browser.get(space_url(folio, "/Reports"))
    assert space_file(folio, "/Reports/q3.docx") is None      # nothing in Folio before it is opened

    # The name opens the host page with the editor, on the file that stands for the document.
    click(browser, "a.item", "q3.docx", within=row(browser, "q3.docx"))
    file_id = space_file(folio, "/Reports/q3.docx")
    assert file_id and browser.current_url == "%s/files/%s/edit" % (folio.base, file_id)
    wait_for_editor(browser)
    assert editor_fields(browser) == {"file-name": "q3.docx", "action": "edit", "can-write": "true",
                                      "content-size": str(len(first))}
    session = editor.last_session()
    assert session.wopisrc == "%s/wopi/files/%s" % (folio.base, file_id)
    assert session.check_file_info["UserFriendlyName"] == "Alice Liddell"
    browser.screenshot("spaces-document-in-editor")

    # The versions page: version 1 is what the disk held; its back link is the space folder.
    browser.get(space_url(folio, "/Reports"))
    click(browser, "a.button[href*='/versions?']", "Versions", within=row(browser, "q3.docx"))
    assert path_of(browser) == "/files/%s/versions" % file_id
    assert [tr.get_attribute("data-version") for tr in browser.find_elements(By.CSS_SELECTOR, "tr[data-version]")] == ["1"]
    assert cell(browser.find_element(By.CSS_SELECTOR, "tr[data-version='1']"), "td.size") == size_text(len(first))
    [version] = folio.versions(file_id)
    assert (version["number"], version["size"], version["sha256"]) == (1, len(first), sha256(first)), version
    browser.screenshot("spaces-versions")
    click(browser, "nav.crumbs a", "Back to the folder")
    assert shown_path(browser) == ("/spaces/docs", "/Reports")
    assert listing(browser) == [("file", "q3.docx")]

    # The Edit button opens the same file; a save by the editor goes to the disk as version 2.
    click(browser, "a.button[href$='action=edit']", "Edit", within=row(browser, "q3.docx"))
    assert path_of(browser) == "/files/%s/edit" % file_id
    wait_for_editor(browser)
    token = editor.last_session().token
    saved = b"PK\x03\x04 q3, saved by the editor " + os.urandom(900)
    lock = {"X-WOPI-Override": "LOCK", "X-WOPI-Lock": "stand-in-lock"}
    assert wopi(folio, "POST", "/wopi/files/" + file_id, token, headers=lock).status == 200
    put = wopi(folio, "POST", "/wopi/files/%s/contents" % file_id, token, body=saved,
               headers={"X-WOPI-Override": "PUT", "X-WOPI-Lock": "stand-in-lock"})
    assert put.status == 200, put
    unlock = {"X-WOPI-Override": "UNLOCK", "X-WOPI-Lock": "stand-in-lock"}
    assert wopi(folio, "POST", "/wopi/files/" + file_id, token, headers=unlock).status == 200
    assert q3.read_bytes() == saved
    versions = folio.versions(file_id)
    assert [(v["number"], v["sha256"], v["source"]) for v in versions] == \
        [(1, sha256(first), "outside"), (2, sha256(saved), "wopi")], versions
    browser.get(space_url(folio, "/Reports", "versions").replace("path=%2FReports", "path=%2FReports%2Fq3.docx"))
    assert path_of(browser) == "/files/%s/versions" % file_id
    assert sorted(tr.get_attribute("data-version")
                  for tr in browser.find_elements(By.CSS_SELECTOR, "tr[data-version]")) == ["1", "2"]
    click(browser, "nav.crumbs a", "Back to the folder")
    assert shown_path(browser) == ("/spaces/docs", "/Reports")
    assert_listing_is_the_disk(browser, space / "Reports")
    assert cell(row(browser, "q3.docx"), "td.size") == size_text(len(saved))


def test_rename_and_delete(space_folio, space, browser):
    folio = space_folio
    reports = space / "Reports"
    letter = write(reports / "Überblick – März.txt", "Grüße".encode())
    q3 = write(reports / "q3.docx", b"PK\x03\x04 q3 " + os.urandom(200))
    write(reports / "keep.txt", b"keep me")
    signed_in(folio, browser, "alice", "Alice Liddell")
    browser.get(space_url(folio, "/Reports"))

    # Rename through the dialog: the dialog starts from the name; the disk has the new name only.
    row(browser, "Überblick – März.txt").find_element(By.CSS_SELECTOR, "button[data-rename]").click()
    browser.wait_until(lambda d: d.find_element(By.ID, "rename-dialog").get_attribute("open") is not None,
                       "the rename dialog")
    assert browser.find_element(By.ID, "rename-name").get_attribute("value") == "Überblick – März.txt"
    fill(browser, {"rename-name": "Überblick – April.txt"})
    browser.screenshot("spaces-rename-dialog")
    click(browser, "#rename-dialog button[type=submit]", "renaming the letter")
    assert shown_path(browser) == ("/spaces/docs", "/Reports")
    assert not letter.exists()
    assert (reports / "Überblick – April.txt").read_bytes() == "Grüße".encode()
    assert_listing_is_the_disk(browser, reports)
    assert names(browser) == ["keep.txt", "q3.docx", "Überblick – April.txt"]

    # A name that is taken is refused: an error page, nothing renamed or overwritten.
    row(browser, "Überblick – April.txt").find_element(By.CSS_SELECTOR, "button[data-rename]").click()
    fill(browser, {"rename-name": "keep.txt"})
    click(browser, "#rename-dialog button[type=submit]", "renaming onto a taken name")
    assert text(browser, "main h1") == "Something went wrong.", text(browser, "main")
    assert text(browser, "main p.detail") == "That name is taken. keep (2).txt is free."
    assert (reports / "keep.txt").read_bytes() == b"keep me"
    assert (reports / "Überblick – April.txt").read_bytes() == "Grüße".encode()
    # A name with a path in it is cleaned to its last part: the document stays in its folder.
    browser.get(space_url(folio, "/Reports"))
    row(browser, "keep.txt").find_element(By.CSS_SELECTOR, "button[data-rename]").click()
    fill(browser, {"rename-name": "../../moved up.txt"})
    click(browser, "#rename-dialog button[type=submit]", "renaming with a path in the name")
    assert shown_path(browser) == ("/spaces/docs", "/Reports")
    assert (reports / "moved up.txt").read_bytes() == b"keep me" and not (reports / "keep.txt").exists()
    assert not (space.parent / "moved up.txt").exists() and not (space / "moved up.txt").exists()
    assert sorted(os.listdir(space.parent)) == ["data", "space"]

    # A document Folio has a file for keeps that file through a rename.
    browser.get(space_url(folio, "/Reports"))
    opened = request(folio, "GET", space_url(folio, "/Reports/q3.docx", "open")[len(folio.base):] + "&action=edit",
                     cookie=session_cookie(browser))
    file_id = space_file(folio, "/Reports/q3.docx")
    assert opened.status == 303 and opened.location == "/files/%s/edit" % file_id, opened
    content = q3.read_bytes()
    row(browser, "q3.docx").find_element(By.CSS_SELECTOR, "button[data-rename]").click()
    fill(browser, {"rename-name": "q3 final.docx"})
    click(browser, "#rename-dialog button[type=submit]", "renaming q3.docx")
    assert not q3.exists() and (reports / "q3 final.docx").read_bytes() == content
    assert space_file(folio, "/Reports/q3 final.docx") == file_id and space_file(folio, "/Reports/q3.docx") is None
    assert folio.store.file(file_id)["name"] == "q3 final.docx"
    assert names(browser) == ["moved up.txt", "q3 final.docx", "Überblick – April.txt"]

    # Delete: gone from the disk and the listing; Folio's file of it goes to Alice's trash.
    click(browser, "form[action*='/delete'] button", "deleting q3 final.docx", within=row(browser, "q3 final.docx"))
    assert shown_path(browser) == ("/spaces/docs", "/Reports")
    assert not (reports / "q3 final.docx").exists()
    assert folio.store.file(file_id)["deleted_at"] is not None
    click(browser, "form[action*='/delete'] button", "deleting the letter", within=row(browser, "Überblick – April.txt"))
    assert not (reports / "Überblick – April.txt").exists()
    assert_listing_is_the_disk(browser, reports)
    assert listing(browser) == [("file", "moved up.txt")]
    assert on_disk(reports) == [("file", "moved up.txt")]
    browser.get(folio.base + "/trash")
    assert names(browser) == ["q3 final.docx"]


def test_paths_outside_the_space_are_refused(space_folio, space, browser, tmp_path):
    folio = space_folio
    write(space / "Reports" / "q3.docx", b"PK\x03\x04 q3")
    os.symlink("/etc", space / "etc-link")
    os.symlink(tmp_path, space / "Reports" / "up-link")
    secret = write(tmp_path / "secret.txt", b"not part of the space")
    signed_in(folio, browser, "alice", "Alice Liddell")
    cookie = session_cookie(browser)
    etc_names = [n for n in ("passwd", "hostname", "os-release", "group") if os.path.exists("/etc/" + n)]
    assert etc_names

    # Links that lead out of the space are left out of the listings.
    browser.get(space_url(folio, "/"))
    assert listing(browser) == [("folder", "Reports")]
    browser.get(space_url(folio, "/Reports"))
    assert listing(browser) == [("file", "q3.docx")]

    # A path with .. in the address: an error page (400), nothing of /etc.
    for bad in ("/../etc", "/Reports/../../etc", "/etc-link", "/Reports/up-link"):
        browser.get(space_url(folio, bad))
        assert text(browser, "main h1") == "Something went wrong.", (bad, text(browser, "main"))
        assert not browser.find_elements(By.CSS_SELECTOR, "table.listing"), bad
        source = browser.page_source
        assert not any(n in source for n in etc_names) and "secret.txt" not in source, bad
        answer = request(folio, "GET", "/spaces/docs?path=" + urllib.parse.quote(bad, safe=""), cookie=cookie)
        assert answer.status == 400, (bad, answer)
    browser.get(folio.base + "/spaces/docs?path=/../etc")
    assert text(browser, "main h1") == "Something went wrong."
    assert "/../etc" in text(browser, "main p.detail")
    browser.screenshot("spaces-path-refused")
    answer = request(folio, "GET", "/spaces/docs?path=/../etc", cookie=cookie)
    assert answer.status == 400 and not any(n.encode() in answer.body for n in etc_names), answer

    # Nor do downloads, uploads or new folders reach outside.
    for bad in ("/../etc/passwd", "/etc-link/passwd", "/Reports/up-link/secret.txt", "/../secret.txt"):
        answer = request(folio, "GET", "/spaces/docs/download?path=" + urllib.parse.quote(bad, safe=""), cookie=cookie)
        assert answer.status in (400, 404) and b"root:" not in answer.body and b"not part" not in answer.body, \
            (bad, answer)
    browser.get(space_url(folio, "/Reports"))
    csrf = browser.find_element(By.ID, "upload").get_attribute("data-csrf")
    for folder in ("/..", "/Reports/up-link", "/etc-link"):
        target = "/spaces/docs/upload?path=%s&name=evil.txt" % urllib.parse.quote(folder, safe="")
        answer = request(folio, "PUT", target, cookie=cookie, body=b"evil", headers={"X-CSRF-Token": csrf})
        assert answer.status == 400, (folder, answer)
        answer = request(folio, "POST", "/spaces/docs/folders?path=" + urllib.parse.quote(folder, safe=""),
                         cookie=cookie, body={"csrf": csrf, "name": "evil"})
        assert answer.status == 400, (folder, answer)
    # A name with a path in it is cleaned to its last part, in the folder it was sent to.
    answer = request(folio, "PUT", "/spaces/docs/upload?path=%2FReports&name=..%2F..%2Fevil.txt", cookie=cookie,
                     body=b"evil", headers={"X-CSRF-Token": csrf})
    assert answer.status == 201 and json.loads(answer.body)["name"] == "evil.txt", answer
    assert (space / "Reports" / "evil.txt").read_bytes() == b"evil"
    assert sorted(os.listdir(tmp_path)) == ["data", "secret.txt", "space"], os.listdir(tmp_path)
    assert sorted(os.listdir(space)) == ["Reports", "etc-link"]
    assert sorted(os.listdir(space / "Reports")) == ["evil.txt", "q3.docx", "up-link"]
    assert secret.read_bytes() == b"not part of the space"
