"""Editing sessions on the versions page in Chromium: each session's earlier saves folded under
its newest save (restore and download from inside a fold; the Russian summary), and the lock
an editor holds — who, through which editor, since and until when — with the owner's "Break the
lock" button, next to the administrator's /admin/locks.

Sessions are made as an editor makes them: WOPI Lock, PutFile under that lock (a save's session
is the lock it was saved under), Unlock. The stand-in editor's discovery has no proof key, so
Folio asks no proof of a token bound to Collabora either (ProofChecker: a node without a key).
"""

import datetime

from selenium.webdriver.common.by import By

from web import (PASSWORD, click, loads_new_page, path_of, request, session_cookie, sha256, sign_in,
                 switch_language, text, wopi)


def lock_op(folio, file_id, token, override, lock):
    """LOCK / UNLOCK / REFRESH_LOCK with `lock` as X-WOPI-Lock; the answer."""
    return wopi(folio, "POST", "/wopi/files/" + file_id, token,
                headers={"X-WOPI-Override": override, "X-WOPI-Lock": lock})


def save(folio, file_id, token, lock, content, autosave=True):
    """PutFile under `lock`, flagged as Collabora flags its saves; the new version's number."""
    r = wopi(folio, "POST", "/wopi/files/%s/contents" % file_id, token, body=content,
             headers={"X-WOPI-Override": "PUT", "X-WOPI-Lock": lock,
                      "X-COOL-WOPI-IsAutosave": "true" if autosave else "false"})
    assert r.status == 200, r
    return folio.versions(file_id)[-1]["number"]


def top_rows(browser):
    """The version numbers of the outer table's rows (not those folded away), page order."""
    return [tr.get_attribute("data-version")
            for tr in browser.find_elements(By.CSS_SELECTOR, "main > table.versions > tbody > tr[data-version]")]


def folds(browser):
    """{number of the row above the fold: [numbers folded under it]}; each fold's <details>."""
    found, elements = {}, {}
    for fold in browser.find_elements(By.CSS_SELECTOR, "main > table.versions > tbody > tr.session-saves"):
        above = fold.find_element(By.XPATH, "preceding-sibling::tr[1]").get_attribute("data-version")
        found[above] = [tr.get_attribute("data-version") for tr in fold.find_elements(By.CSS_SELECTOR, "tr[data-version]")]
        elements[above] = fold.find_element(By.TAG_NAME, "details")
    return found, elements


def version_row(browser, number):
    return browser.find_element(By.CSS_SELECTOR, "tr[data-version='%s']" % number)


def test_each_sessions_earlier_saves_fold_under_its_newest(folio, editor, browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    doc = folio.new_file("plan.docx", b"PK\x03\x04 plan, uploaded", owner="alice")
    file_id = doc["id"]
    token = folio.token(file_id, "alice", editor="collabora")["accessToken"]
    content = {1: b"PK\x03\x04 plan, uploaded"}

    # Session A: two autosaves and a save the user asked for (versions 2-4); session B: two
    # autosaves (5, 6). Both unlocked, so no lock panel and every old version restorable.
    for lock, saves in (("session-A", [True, True, False]), ("session-B", [True, True])):
        assert lock_op(folio, file_id, token, "LOCK", lock).status == 200
        for autosave in saves:
            body = b"PK\x03\x04 plan, %s save %d" % (lock.encode(), len(content))
            content[save(folio, file_id, token, lock, body, autosave)] = body
        assert lock_op(folio, file_id, token, "UNLOCK", lock).status == 200
    assert sorted(content) == [1, 2, 3, 4, 5, 6]

    sign_in(browser, folio, "alice")
    browser.get("%s/files/%s/versions" % (folio.base, file_id))
    assert not browser.find_elements(By.CSS_SELECTOR, "section.lock-panel")
    # Newest first: each session's newest save, then the upload; the earlier saves folded.
    assert top_rows(browser) == ["6", "4", "1"]
    found, details = folds(browser)
    assert found == {"6": ["5"], "4": ["3", "2"]}, found
    assert [details[n].find_element(By.TAG_NAME, "summary").text for n in ("6", "4")] == [
        "Earlier saves of this editing session: 1", "Earlier saves of this editing session: 2"]
    assert [version_row(browser, n).find_element(By.CSS_SELECTOR, "td.source").get_attribute("textContent")
            for n in "654321"] == ["autosave", "autosave", "editor save", "autosave", "autosave", "upload"]
    # Closed: the folded rows are in the page but not shown.
    assert all(d.get_attribute("open") is None for d in details.values())
    assert not any(version_row(browser, n).is_displayed() for n in "532")
    assert all(version_row(browser, n).is_displayed() for n in "641")

    # Opening session A's fold shows its rows, with working links; B's stays closed.
    details["4"].find_element(By.TAG_NAME, "summary").click()
    browser.wait_until(lambda d: details["4"].get_attribute("open") is not None, "session A's fold to open")
    assert version_row(browser, "3").is_displayed() and version_row(browser, "2").is_displayed()
    assert not version_row(browser, "5").is_displayed()
    assert details["6"].get_attribute("open") is None
    browser.screenshot("pages-versions-session-fold-open")
    cookie = session_cookie(browser)
    for n in ("3", "2"):
        link = version_row(browser, n).find_element(By.CSS_SELECTOR, "a[href$='/download']")
        assert link.is_displayed()
        answer = request(folio, "GET", link.get_attribute("pathname"), cookie=cookie)
        assert answer.status == 200 and answer.body == content[int(n)], (n, answer)

    # Restore version 2 from inside the fold: version 7, current, outside any session's fold.
    click(browser, "form[action$='/versions/2/restore'] button", "Restore version 2 (folded)",
          within=version_row(browser, "2"))
    assert path_of(browser) == "/files/%s/versions" % file_id
    assert top_rows(browser) == ["7", "6", "4", "1"]
    assert folds(browser)[0] == {"6": ["5"], "4": ["3", "2"]}
    newest = version_row(browser, "7")
    assert newest.find_element(By.CSS_SELECTOR, "td").text == "7 current"
    assert newest.find_element(By.CSS_SELECTOR, "td.source").text == "restore"
    versions = folio.versions(file_id)
    assert (versions[-1]["number"], versions[-1]["source"], versions[-1]["sha256"]) == (7, "restore", sha256(content[2]))
    answer = request(folio, "GET", newest.find_element(By.CSS_SELECTOR, "a[href$='/download']").get_attribute("pathname"),
                     cookie=cookie)
    assert answer.status == 200 and answer.body == content[2], answer

    # In Russian the summary says the same.
    switch_language(browser, "ru")
    _, details = folds(browser)
    assert [details[n].find_element(By.TAG_NAME, "summary").text for n in ("6", "4")] == [
        "Ранние сохранения этого сеанса правки: 1", "Ранние сохранения этого сеанса правки: 2"]


def iso_time(value):
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def test_the_lock_panel_and_breaking_the_lock(folio, editor, browser, open_browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    folio.user_add("bob", "Bob Baker", password=PASSWORD)
    folio.user_add("root", "Rita Root", password=PASSWORD, admin=True)
    doc = folio.new_file("budget.xlsx", b"PK\x03\x04 budget", owner="alice")
    file_id = doc["id"]
    folio.share(file_id, "bob", "edit")
    versions_url = "%s/files/%s/versions" % (folio.base, file_id)

    # Bob's Collabora session (a token bound to the editor) locks the document and saves once.
    token = folio.token(file_id, "bob", editor="collabora")["accessToken"]
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    assert lock_op(folio, file_id, token, "LOCK", "bob-session").status == 200
    save(folio, file_id, token, "bob-session", b"PK\x03\x04 budget, bob's changes")

    # Bob sees who holds the lock, but may not break it: no button, and a forged POST is refused.
    bob = open_browser("bob")
    sign_in(bob, folio, "bob")
    bob.get(versions_url)
    panel = bob.find_element(By.CSS_SELECTOR, "section.lock-panel")
    assert panel.text.startswith("Locked by: bob · Editor: Collabora Online · Since "), panel.text
    assert not panel.find_elements(By.TAG_NAME, "button")
    csrf = bob.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")
    forged = request(folio, "POST", "/files/%s/lock/break" % file_id, cookie=session_cookie(bob), body={"csrf": csrf})
    assert forged.status == 403, forged
    assert [r["lock_id"] for r in folio.store.query("SELECT lock_id FROM locks WHERE file_id = ?", file_id)] \
        == ["bob-session"]

    # Alice, the owner: holder, editor, since and until, and the button.
    sign_in(browser, folio, "alice")
    browser.get(versions_url)
    panel = browser.find_element(By.CSS_SELECTOR, "section.lock-panel")
    since, until = [t.get_attribute("datetime") for t in panel.find_elements(By.TAG_NAME, "time")]
    # Since: when bob's editor locked it; until: a WOPI lock's 30 minutes after that.
    assert before <= iso_time(since) <= datetime.datetime.now(datetime.timezone.utc), (before, since)
    assert abs((iso_time(until) - iso_time(since)).total_seconds() - 30 * 60) <= 2, (since, until)
    shown = [t.text for t in panel.find_elements(By.TAG_NAME, "time")]
    assert panel.find_element(By.TAG_NAME, "p").text == \
        "Locked by: bob · Editor: Collabora Online · Since %s · Until %s" % tuple(shown), panel.text
    assert all(shown), shown
    assert panel.find_element(By.CSS_SELECTOR, "form[action='/files/%s/lock/break'] button.danger" % file_id).text \
        == "Break the lock"
    browser.screenshot("pages-versions-lock-panel")

    # The administrator's locks page: the same lock, with its editor and since columns.
    admin = open_browser("root")
    sign_in(admin, folio, "root")
    admin.get(folio.base + "/admin/locks")
    assert [th.text for th in admin.find_elements(By.CSS_SELECTOR, "table.locks th")] == [
        "Name", "Held by", "Editor", "Since", "Until", "Lock", "Actions"]
    row = admin.find_element(By.CSS_SELECTOR, 'tr[data-file="%s"]' % file_id)
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert cells[:3] == ["budget.xlsx", "bob", "Collabora Online"] and cells[5] == "bob-session", cells
    assert [t.get_attribute("datetime") for t in row.find_elements(By.TAG_NAME, "time")] == [since, until]
    admin.screenshot("pages-admin-locks-editor-since")

    # Alice breaks it: back on the versions page, no panel; nothing left on /admin/locks.
    click(browser, "section.lock-panel button.danger", "Break the lock")
    assert path_of(browser) == "/files/%s/versions" % file_id
    assert not browser.find_elements(By.CSS_SELECTOR, "section.lock-panel")
    assert folio.store.query("SELECT lock_id FROM locks WHERE file_id = ?", file_id) == []
    admin.get(folio.base + "/admin/locks")
    assert text(admin, "main .empty") == "No document is locked."
    bob.get(versions_url)
    assert not bob.find_elements(By.CSS_SELECTOR, "section.lock-panel")

    # Bob's editor saving later under the broken lock: refused, its work kept as a conflict copy.
    late = wopi(folio, "POST", "/wopi/files/%s/contents" % file_id, token, body=b"PK\x03\x04 bob's late save",
                headers={"X-WOPI-Override": "PUT", "X-WOPI-Lock": "bob-session"})
    assert late.status == 409, late
    copies = [f["name"] for f in folio.store.files() if "conflict copy" in f["name"]]
    assert len(copies) == 1 and copies[0].startswith("budget (conflict copy, bob, ") and copies[0].endswith(".xlsx"), copies
