"""The file browser in Chromium: uploads (with progress, cancelled, dropped), folders and
breadcrumbs, rename and move, the trash, and search, sorting and pages of the listing.
Every outcome is checked in the store too (the `folio` command line, the database, the blobs).
"""

import json
import os
import time

import pytest
from selenium.webdriver.common.by import By

from web import (PASSWORD, choose_files, click, crumbs, fill, mark_page, names, open_dialog, path_of,
                 record_progress, recorded_progress, request, row, rows, session_cookie, sha256, sign_in, size_text,
                 text, throttle, upload_rows, wait_new_page, wopi)

MiB = 1 << 20


def alice(folio, browser):
    """Alice, signed in on her files page; her root folder's id."""
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    sign_in(browser, folio, "alice")
    root = folio.store.user("alice")["root_folder_id"]
    assert path_of(browser) in ("/browse", "/browse/" + root), browser.current_url
    return root


def size_cell(tr):
    return tr.find_element(By.CSS_SELECTOR, "td.size").get_attribute("textContent")


def test_upload_of_several_files_shows_progress_and_stores_them(folio, browser, tmp_path):
    root = alice(folio, browser)
    contents = {
        "survey 2026.bin": os.urandom(20 * MiB + 12345),
        "фото-архив.zip": os.urandom(12 * MiB + 1),
        "notes.txt": os.urandom(6 * MiB + 777),
    }
    folder = tmp_path / "to-upload"
    folder.mkdir()
    for name, content in contents.items():
        (folder / name).write_bytes(content)

    # 38 MiB at 12 MiB/s: about three seconds, long enough to see every bar move.
    record_progress(browser)
    throttle(browser, 12 * MiB)
    page = mark_page(browser)
    choose_files(browser, [folder / name for name in contents])
    browser.wait_until(lambda d: len(upload_rows(d)) == 3, "three uploads in #uploads")
    assert [li.get_attribute("data-name") for li in upload_rows(browser)] == list(contents)

    def some_bar_well_on(d):
        return any(30 <= int(p.get_attribute("value") or 0) < 100
                   for p in d.find_elements(By.CSS_SELECTOR, "#uploads progress"))
    browser.wait_until(some_bar_well_on, "a progress bar between 30 and 100", timeout=30)
    browser.screenshot("pages-upload-in-progress")
    # When all are done the page reloads by itself.
    wait_new_page(browser, page, "the page to reload after the uploads", timeout=90)
    browser.wait_until(lambda d: len(rows(d)) == 3, "three files in the listing")
    throttle(browser, None)

    progress = recorded_progress(browser)
    assert sorted(progress) == sorted(contents), progress
    for name, seen in progress.items():
        values = seen["values"]
        assert any(0 < v < 100 for v in values), "%s: no intermediate progress in %r" % (name, values)
        assert values == sorted(values), "%s: progress went backwards: %r" % (name, values)
        assert values[-1] == 100 and seen["states"][-1] == "Uploaded", (name, seen)
        assert "done" in seen["classes"].split(), (name, seen)

    # The listing: every file with its size (sorted by name).
    assert names(browser) == sorted(contents), names(browser)
    for name, content in contents.items():
        assert size_cell(row(browser, name)) == size_text(len(content)), name
    browser.screenshot("pages-listing-with-files")

    # The store holds exactly the bytes: one upload version each, and GetFile-like download.
    stored = folio.store.files(folder_id=root)
    assert sorted(f["name"] for f in stored) == sorted(contents)
    for kind, file_id, name in rows(browser):
        assert kind == "file"
        [version] = folio.versions(file_id)
        assert (version["number"], version["size"], version["sha256"], version["source"]) == \
            (1, len(contents[name]), sha256(contents[name]), "upload"), (name, version)
    notes = row(browser, "notes.txt").get_attribute("data-id")
    download = request(folio, "GET", "/files/%s/download" % notes, cookie=session_cookie(browser))
    assert download.status == 200 and download.body == contents["notes.txt"], download


def test_a_cancelled_upload_leaves_nothing(folio, browser, tmp_path):
    root = alice(folio, browser)
    files_before, blobs_before = folio.store.files(), folio.store.blob_paths()
    big = tmp_path / "big video.mp4"
    big.write_bytes(os.urandom(24 * MiB))

    record_progress(browser)
    throttle(browser, 2 * MiB)
    page = mark_page(browser)
    choose_files(browser, [big])
    browser.wait_until(lambda d: int(d.find_element(By.CSS_SELECTOR, "#uploads progress").get_attribute("value") or 0) > 0,
                       "the upload to make progress")
    [upload] = upload_rows(browser)
    upload.find_element(By.CSS_SELECTOR, "button.cancel").click()
    browser.wait_until(lambda d: upload.find_element(By.CSS_SELECTOR, ".state").text == "Cancelled",
                       "the upload to say Cancelled")
    throttle(browser, None)
    assert "failed" in upload.get_attribute("class").split()
    assert not upload.find_elements(By.CSS_SELECTOR, "button.cancel")
    seen = recorded_progress(browser)["big video.mp4"]
    assert seen["values"][-1] < 100, seen

    # Nothing finished, so the page does not reload; loaded again, the folder is still empty.
    time.sleep(1.5)
    assert browser.execute_script("return window.__folioTestPage") == page
    browser.get(browser.current_url)
    assert rows(browser) == []
    assert text(browser, "p.empty") == "This folder is empty."

    # Nothing in the store either: no file, and the staging blob was removed.
    assert folio.store.files() == files_before
    deadline = time.monotonic() + 15
    while folio.store.blob_paths() != blobs_before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert folio.store.blob_paths() == blobs_before, folio.store.blob_paths()

    # The same name uploads fine afterwards (it was not taken by a half file).
    small = tmp_path / "again" / "big video.mp4"
    small.parent.mkdir()
    small.write_bytes(b"a short clip")
    page = mark_page(browser)
    choose_files(browser, [small])
    wait_new_page(browser, page, "the page to reload after the upload", timeout=30)
    browser.wait_until(lambda d: names(d) == ["big video.mp4"], "the uploaded file in the listing")
    [stored] = folio.store.files(folder_id=root)
    assert stored["name"] == "big video.mp4" and stored["size"] == len(b"a short clip")


def test_drop_files_onto_the_page_uploads_them(folio, browser):
    root = alice(folio, browser)
    page = mark_page(browser)
    # A real drag from the desktop cannot be scripted; this is the same drop event with files.
    browser.execute_script("""
        var data = new DataTransfer();
        data.items.add(new File(['dropped bytes \u00e9'], 'dropped.txt', {type: 'text/plain'}));
        data.items.add(new File([new Uint8Array([0, 1, 2, 255])], 'raw.bin'));
        var main = document.getElementById('main');
        main.dispatchEvent(new DragEvent('dragenter', {bubbles: true, cancelable: true, dataTransfer: data}));
        if (!document.getElementById('upload').classList.contains('over')) throw new Error('no drop highlight');
        main.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
    """)
    wait_new_page(browser, page, "the page to reload after the dropped uploads", timeout=30)
    browser.wait_until(lambda d: names(d) == ["dropped.txt", "raw.bin"], "the dropped files in the listing")
    expected = {"dropped.txt": "dropped bytes \u00e9".encode(), "raw.bin": bytes([0, 1, 2, 255])}
    for f in folio.store.files(folder_id=root):
        assert (f["size"], bytes(f["sha256"]).hex()) == (len(expected[f["name"]]), sha256(expected[f["name"]])), f

    # The same name again becomes a new file under a free name; the first is untouched.
    page = mark_page(browser)
    browser.execute_script("""
        var data = new DataTransfer();
        data.items.add(new File(['second drop'], 'dropped.txt'));
        document.body.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
    """)
    wait_new_page(browser, page, "the page to reload after the second drop", timeout=30)
    assert names(browser) == ["dropped (2).txt", "dropped.txt", "raw.bin"]
    sizes = {f["name"]: f["size"] for f in folio.store.files(folder_id=root)}
    assert sizes == {"dropped.txt": len(expected["dropped.txt"]), "raw.bin": 4, "dropped (2).txt": len(b"second drop")}


def test_folders_and_breadcrumbs(folio, browser):
    root = alice(folio, browser)
    assert crumbs(browser) == ["Files"]

    open_dialog(browser, "folder-dialog")
    fill(browser, {"folder-name": "Projects"})
    click(browser, "#folder-dialog button[type=submit]", "creating a folder")
    projects = path_of(browser).rsplit("/", 1)[1]
    assert path_of(browser) == "/browse/" + projects
    assert crumbs(browser) == ["Files", "Projects"]
    assert browser.title == "Projects · Folio"
    assert text(browser, "p.empty") == "This folder is empty."
    stored = folio.store.folder(projects)
    assert (stored["name"], stored["parent_id"], stored["deleted_at"]) == ("Projects", root, None)

    open_dialog(browser, "folder-dialog")
    fill(browser, {"folder-name": "2026 Q3"})
    click(browser, "#folder-dialog button[type=submit]", "creating a subfolder")
    quarter = path_of(browser).rsplit("/", 1)[1]
    assert crumbs(browser) == ["Files", "Projects", "2026 Q3"]
    assert browser.find_element(By.CSS_SELECTOR, "nav.crumbs li[aria-current=page]").text == "2026 Q3"
    assert folio.store.folder(quarter)["parent_id"] == projects

    # Back up through the breadcrumbs, and down again through the listing.
    click(browser, "nav.crumbs a[href='/browse/%s']" % projects, "the Projects breadcrumb")
    assert path_of(browser) == "/browse/" + projects
    assert rows(browser) == [("folder", quarter, "2026 Q3")]
    click(browser, "nav.crumbs a[href='/browse/%s']" % root, "the Files breadcrumb")
    assert path_of(browser) == "/browse/" + root
    assert crumbs(browser) == ["Files"]
    assert rows(browser) == [("folder", projects, "Projects")]
    click(browser, "a.item.folder", "the Projects folder", within=row(browser, "Projects"))
    assert path_of(browser) == "/browse/" + projects
    assert crumbs(browser) == ["Files", "Projects"]

    # A name already taken in the same folder is refused and nothing is created.
    open_dialog(browser, "folder-dialog")
    fill(browser, {"folder-name": "2026 Q3"})
    click(browser, "#folder-dialog button[type=submit]", "creating a folder with a taken name")
    assert "That name is taken." in text(browser, "main"), text(browser, "main")
    assert len(folio.store.query("SELECT id FROM folders WHERE parent_id = ? AND deleted_at IS NULL", projects)) == 1


FINAL = "Final report \u2013 Q3 & Q4's.docx"      # an en dash, & and ' on the way through


def test_rename_a_file_and_a_folder_then_move_the_file(folio, browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    draft = folio.new_file("draft.docx", b"PK\x03\x04 draft", owner="alice")
    old = folio.new_file("old.txt", b"old notes", owner="alice", folder="Archive")
    archive = folio.store.file(old["id"])["folder_id"]
    root = folio.store.user("alice")["root_folder_id"]
    sign_in(browser, folio, "alice")
    assert names(browser) == ["Archive", "draft.docx"]

    # Rename the file: the dialog starts with the name, the stem selected.
    row(browser, "draft.docx").find_element(By.CSS_SELECTOR, "button[data-rename]").click()
    name_input = browser.find_element(By.ID, "rename-name")
    browser.wait_until(lambda d: name_input.is_displayed(), "the rename dialog")
    assert name_input.get_attribute("value") == "draft.docx"
    assert browser.execute_script("return [arguments[0].selectionStart, arguments[0].selectionEnd]", name_input) == [0, 5]
    fill(browser, {"rename-name": FINAL})
    click(browser, "#rename-dialog button[type=submit]", "renaming the file")
    assert path_of(browser) == "/browse"
    assert names(browser) == ["Archive", FINAL]
    assert folio.store.file(draft["id"])["name"] == FINAL
    # What an editor sees too.
    token = folio.token(draft["id"], "alice")
    info = wopi(folio, "GET", "/wopi/files/" + draft["id"], token["accessToken"])
    assert info.status == 200 and json.loads(info.body)["BaseFileName"] == FINAL, info

    # Rename the folder.
    row(browser, "Archive").find_element(By.CSS_SELECTOR, "button[data-rename]").click()
    fill(browser, {"rename-name": "Archive 2025"})
    click(browser, "#rename-dialog button[type=submit]", "renaming the folder")
    assert names(browser) == ["Archive 2025", FINAL]
    assert folio.store.folder(archive)["name"] == "Archive 2025"

    # Move the file: the move bar follows into the folder, "Move here" moves it.
    assert not browser.find_element(By.ID, "move-bar").is_displayed()
    row(browser, FINAL).find_element(By.CSS_SELECTOR, "button[data-move]").click()
    assert browser.find_element(By.ID, "move-bar").is_displayed()
    assert text(browser, "#move-name") == FINAL
    click(browser, "a.item.folder", "the Archive 2025 folder", within=row(browser, "Archive 2025"))
    assert path_of(browser) == "/browse/" + archive
    assert browser.find_element(By.ID, "move-bar").is_displayed()
    assert text(browser, "#move-name") == FINAL
    browser.screenshot("pages-move-bar")
    click(browser, "#move-form button[type=submit]", "Move here")
    assert path_of(browser) == "/browse/" + archive
    assert names(browser) == [FINAL, "old.txt"]
    assert not browser.find_element(By.ID, "move-bar").is_displayed()
    assert folio.store.file(draft["id"])["folder_id"] == archive
    click(browser, "nav.crumbs a[href='/browse/%s']" % root, "the Files breadcrumb")
    assert names(browser) == ["Archive 2025"]
    assert not browser.find_element(By.ID, "move-bar").is_displayed()

    # A move that is cancelled moves nothing and the bar stays away.
    browser.get(folio.base + "/browse/" + archive)
    row(browser, "old.txt").find_element(By.CSS_SELECTOR, "button[data-move]").click()
    assert browser.find_element(By.ID, "move-bar").is_displayed()
    browser.find_element(By.ID, "move-cancel").click()
    assert not browser.find_element(By.ID, "move-bar").is_displayed()
    browser.get(folio.base + "/browse/" + root)
    assert not browser.find_element(By.ID, "move-bar").is_displayed()
    assert folio.store.file(old["id"])["folder_id"] == archive


def test_trash_delete_restore_and_empty(folio, editor, browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    memo = folio.new_file("memo.docx", b"PK\x03\x04 memo", owner="alice")
    inner = folio.new_file("inside.docx", b"PK\x03\x04 in the old folder", owner="alice", folder="Old")
    old = folio.store.file(inner["id"])["folder_id"]
    blobs = folio.store.blob_paths()
    assert len(blobs) == 2, blobs
    sign_in(browser, folio, "alice")
    # A document inside the folder is open in the editor when the folder goes to the trash.
    browser.get("%s/files/%s/edit" % (folio.base, inner["id"]))
    with browser.in_frame():
        browser.wait_text("handshake", "Host_PostmessageReady received")
    open_inside = editor.last_session()
    assert editor.check_file_info(open_inside)[0] == 200
    browser.get(folio.base + "/browse")

    # Delete a file and a folder: gone from the listing, in the trash.
    for name in ("memo.docx", "Old"):
        click(browser, "form[action$='/delete'] button", "deleting %s" % name, within=row(browser, name))
        assert path_of(browser) == "/browse"
        assert name not in names(browser)
    assert names(browser) == []
    assert folio.store.file(memo["id"])["deleted_at"] is not None
    assert folio.store.folder(old)["deleted_at"] is not None
    # Nothing inside the trashed folder opens any more, not even with the editor's token.
    assert editor.check_file_info(open_inside)[0] in (401, 403, 404)
    cookie = session_cookie(browser)
    assert request(folio, "GET", "/files/%s/download" % inner["id"], cookie=cookie).status in (403, 404)
    assert request(folio, "GET", "/browse/" + old, cookie=cookie).status in (403, 404)
    browser.get(folio.base + "/trash")
    assert sorted(rows(browser)) == sorted([("file", memo["id"], "memo.docx"), ("folder", old, "Old")])
    assert size_cell(row(browser, "memo.docx")) == size_text(len(b"PK\x03\x04 memo"))
    browser.screenshot("pages-trash")

    # Restore the file: back in its folder with its content.
    click(browser, "form[action$='/restore'] button", "restoring memo.docx", within=row(browser, "memo.docx"))
    assert path_of(browser) == "/trash"
    assert rows(browser) == [("folder", old, "Old")]
    assert folio.store.file(memo["id"])["deleted_at"] is None
    browser.get(folio.base + "/browse")
    assert names(browser) == ["memo.docx"]
    assert folio.versions(memo["id"])[-1]["sha256"] == sha256(b"PK\x03\x04 memo")

    # Delete it again, then empty the trash: the file, the folder, what it held and the blobs go.
    click(browser, "form[action$='/delete'] button", "deleting memo.docx again", within=row(browser, "memo.docx"))
    browser.get(folio.base + "/trash")
    assert len(rows(browser)) == 2
    click(browser, "#empty-trash", "emptying the trash")
    assert path_of(browser) == "/trash"
    assert text(browser, "p.empty") == "The trash is empty."
    assert not browser.find_elements(By.ID, "empty-trash")
    assert folio.store.file(memo["id"]) is None
    assert folio.store.file(inner["id"]) is None
    assert folio.store.folder(old) is None
    assert folio.store.blob_paths() == []
    assert request(folio, "GET", "/files/%s/download" % memo["id"], cookie=session_cookie(browser)).status == 404


def test_search_sort_and_pages(folio, browser, tmp_path):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    paths = []
    for i in range(104):
        p = tmp_path / ("item-%03d.txt" % i)
        p.write_bytes(b"x" * ((i * 37) % 101 + 1))
        paths.append(str(p))
    report = tmp_path / "Quarterly report.docx"
    report.write_bytes(b"PK\x03\x04" + b"r" * 5000)
    paths.append(str(report))
    folio.import_files(*paths, owner="alice")
    root = folio.store.user("alice")["root_folder_id"]
    sign_in(browser, folio, "alice")

    # Pages of 100, sorted by name.
    listed = names(browser)
    assert len(listed) == 100 and listed == sorted(listed, key=str.lower) and listed[0] == "item-000.txt", listed[:3]
    assert text(browser, "nav.pages span") == "Page 1 of 2 · 105 items"
    click(browser, "nav.pages a[rel=next]", "the next page")
    assert names(browser) == ["item-100.txt", "item-101.txt", "item-102.txt", "item-103.txt", "Quarterly report.docx"]
    assert text(browser, "nav.pages span") == "Page 2 of 2 · 105 items"
    click(browser, "nav.pages a[rel=prev]", "the previous page")
    assert names(browser)[0] == "item-000.txt"

    # Sort by size, ascending then descending.
    sizes = {f["name"]: f["size"] for f in folio.store.files(folder_id=root)}
    click(browser, "table.listing th:nth-child(2) a", "the Size header")
    listed = names(browser)
    assert [sizes[n] for n in listed] == sorted(sizes.values())[:100]
    assert browser.find_element(By.CSS_SELECTOR, "table.listing th:nth-child(2)").get_attribute("aria-sort") == "ascending"
    click(browser, "table.listing th:nth-child(2) a", "the Size header again")
    listed = names(browser)
    assert listed[0] == "Quarterly report.docx"
    assert [sizes[n] for n in listed] == sorted(sizes.values(), reverse=True)[:100]
    assert browser.find_element(By.CSS_SELECTOR, "table.listing th:nth-child(2)").get_attribute("aria-sort") == "descending"

    # Search by a part of the name, any case.
    fill(browser, {"search": "REPORT"})
    click(browser, "form.search button[type=submit]", "searching")
    assert names(browser) == ["Quarterly report.docx"]
    assert not browser.find_elements(By.CSS_SELECTOR, "nav.pages")
    fill(browser, {"search": "item-10"})
    click(browser, "form.search button[type=submit]", "searching again")
    assert sorted(names(browser)) == ["item-100.txt", "item-101.txt", "item-102.txt", "item-103.txt"]
    fill(browser, {"search": "nothing like this"})
    click(browser, "form.search button[type=submit]", "searching for nothing")
    assert text(browser, "p.empty") == "No file or folder matches."


def test_the_owner_of_a_shared_folder_can_restore_what_she_deleted_there(folio, browser, open_browser, tmp_path):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    folio.user_add("bob", "Bob Cratchit", password=PASSWORD)
    mine = folio.new_file("plan.txt", b"alice's plan", owner="alice", folder="Team")
    team = folio.store.file(mine["id"])["folder_id"]
    folio.cli("share", "--user", "bob", "--role", "edit", positional=[team])

    # Bob, an editor of Alice's folder, uploads a file into it.
    bob = open_browser("bob")
    sign_in(bob, folio, "bob")
    bob.get(folio.base + "/browse/" + team)
    assert crumbs(bob) == ["Team"]
    upload = tmp_path / "bob's notes.txt"
    upload.write_bytes(b"bob's notes")
    page = mark_page(bob)
    choose_files(bob, [upload])
    wait_new_page(bob, page, "the page to reload after Bob's upload", timeout=30)
    assert names(bob) == ["bob's notes.txt", "plan.txt"]

    # Alice deletes it from her own folder, then changes her mind.
    sign_in(browser, folio, "alice")
    browser.get(folio.base + "/browse/" + team)
    click(browser, "form[action$='/delete'] button", "deleting Bob's file", within=row(browser, "bob's notes.txt"))
    assert names(browser) == ["plan.txt"]
    browser.get(folio.base + "/trash")
    assert names(browser) == ["bob's notes.txt"], "Alice's trash: %r" % names(browser)
    click(browser, "form[action$='/restore'] button", "restoring it", within=row(browser, "bob's notes.txt"))
    browser.get(folio.base + "/browse/" + team)
    assert names(browser) == ["bob's notes.txt", "plan.txt"]
