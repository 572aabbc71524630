"""Documents from the web pages in Chromium: "New document" from each shipped template (filled
by the stand-in editor from CheckFileInfo's TemplateSource, as Collabora does), the host page
opened from the listing without a ticket, and restoring an old version.
"""

import json

import pytest
from selenium.webdriver.common.by import By

from web import (PASSWORD, choose_files, click, crumbs, fill, mark_page, names, open_dialog, path_of, request, row,
                 rows, session_cookie, sha256, sign_in, template_bytes, text, wait_new_page, wopi)

TEMPLATES = ["docx", "xlsx", "pptx", "odt", "ods", "odp"]


def message_ids(browser, list_id):
    return [li.get_attribute("data-message-id") for li in browser.find_elements(By.CSS_SELECTOR, "#%s li" % list_id)]


def wait_for_editor(browser):
    with browser.in_frame():
        browser.wait_text("handshake", "Host_PostmessageReady received")


@pytest.mark.parametrize("ext", TEMPLATES)
def test_new_document_from_each_template(folio, editor, browser, ext):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    sign_in(browser, folio, "alice")
    root = folio.store.user("alice")["root_folder_id"]
    template = template_bytes(ext)

    dialog = open_dialog(browser, "new-dialog")
    radios = dialog.find_elements(By.CSS_SELECTOR, "input[type=radio][name=template]")
    assert [r.get_attribute("value") for r in radios] == TEMPLATES
    dialog.find_element(By.CSS_SELECTOR, "input[name=template][value=%s]" % ext).click()
    fill(browser, {"document-name": "Plan for Q4"})
    click(browser, "#new-dialog button[type=submit]", "creating a %s document" % ext)

    # The new file opens in the editor (the host page, no ticket needed from a signed-in browser).
    [created] = folio.store.files(folder_id=root)
    assert created["name"] == "Plan for Q4." + ext
    assert path_of(browser) == "/files/%s/edit" % created["id"], browser.current_url
    assert "ticket" not in browser.current_url
    wait_for_editor(browser)

    # Folio made it empty and told the editor where the template is; the editor fetched it and
    # saved it with an unlocked PutFile, as Collabora does.
    session = editor.last_session()
    assert session.action == "edit" and session.wopisrc == "%s/wopi/files/%s" % (folio.base, created["id"])
    info = session.check_file_info
    assert info["Size"] == 0, info
    assert info.get("TemplateSource") == "%s/templates/blank.%s" % (folio.base, ext), \
        "CheckFileInfo of a new, empty document has no (or a wrong) TemplateSource: %r" % info.get("TemplateSource")
    assert session.template_get_status == 200 and session.template_bytes == template
    assert session.template_put_status == 200, session.template_put_body
    with browser.in_frame():
        assert browser.text_of("file-name") == "Plan for Q4." + ext
        assert browser.find_element(By.ID, "template").get_attribute("data-put") == "200"
        assert browser.text_of("content-size") == str(len(template))
    if ext == "docx":
        browser.screenshot("pages-new-document-in-editor")

    # The file now holds exactly the shipped template: a second version after the empty first.
    versions = folio.versions(created["id"])
    assert [(v["number"], v["size"]) for v in versions] == [(1, 0), (2, len(template))], versions
    assert versions[-1]["sha256"] == sha256(template)
    status, content = editor.get_file(session)
    assert status == 200 and content == template
    download = request(folio, "GET", "/files/%s/download" % created["id"], cookie=session_cookie(browser))
    assert download.status == 200 and download.body == template


def test_host_page_from_the_listing_then_close_returns_to_the_folder(folio, editor, browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    content = b"PK\x03\x04 minutes of the meeting"
    entry = folio.new_file("minutes.docx", content, owner="alice", folder="Meetings")
    folder = folio.store.file(entry["id"])["folder_id"]

    # Not signed in: the host page sends the browser to sign in first, then comes back.
    browser.get("%s/files/%s/edit" % (folio.base, entry["id"]))
    assert path_of(browser) == "/login"
    fill(browser, {"login": "alice", "password": PASSWORD})
    click(browser, "form[action='/login'] button[type=submit]", "signing in")
    assert path_of(browser) == "/files/%s/edit" % entry["id"]
    wait_for_editor(browser)

    # From the folder's listing: the file's name opens the editor; no ticket in any URL.
    browser.get("%s/browse/%s" % (folio.base, folder))
    click(browser, "a.item.file", "the file's name", within=row(browser, "minutes.docx"))
    assert browser.current_url == "%s/files/%s/edit" % (folio.base, entry["id"])
    with browser.in_frame():
        browser.wait_text("handshake", "Host_PostmessageReady received")
        assert browser.text_of("file-name") == "minutes.docx"
        assert browser.text_of("user-name") == "Alice Liddell"
        assert browser.text_of("action") == "edit"
        assert browser.text_of("can-write") == "true"
        assert browser.text_of("content-size") == str(len(content))
        assert message_ids(browser, "sent") == ["App_LoadingStatus", "App_LoadingStatus"]
        assert message_ids(browser, "received") == ["Host_PostmessageReady"]
    post = editor.editor_posts()[-1]
    assert post.query["wopisrc"] == ["%s/wopi/files/%s" % (folio.base, entry["id"])]
    assert sorted(post.form) == ["access_token", "access_token_ttl"]
    session = editor.last_session()
    assert session.check_file_info_status == 200 and session.check_file_info["UserCanWrite"] is True
    assert session.check_file_info.get("TemplateSource") is None      # not empty: nothing to fill
    assert session.template_source is None
    # The token is the posted one and it works for WOPI (it is not a web session cookie).
    assert editor.check_file_info(session)[0] == 200

    # UI_Close goes back to the file's folder page.
    with browser.in_frame():
        browser.find_element(By.ID, "close").click()
    browser.wait_until(lambda d: path_of(d) == "/browse/" + folder, "the host page to return to the folder")
    assert crumbs(browser) == ["Files", "Meetings"]
    assert names(browser) == ["minutes.docx"]

    # The View button opens the view action, read-only.
    click(browser, "a.button[href$='/view']", "View", within=row(browser, "minutes.docx"))
    with browser.in_frame():
        browser.wait_text("handshake", "Host_PostmessageReady received")
        assert browser.text_of("action") == "view"
        assert browser.text_of("can-write") == "false"
    assert editor.editor_posts()[-1].path == "/editor/view"

    # Another browser, not signed in, gets no editor and no token.
    answer = request(folio, "GET", "/files/%s/edit" % entry["id"])
    assert answer.status == 303 and answer.location.startswith("/login?next="), answer


def test_restore_an_old_version(folio, editor, browser, tmp_path):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    sign_in(browser, folio, "alice")
    first, second = b"budget, first draft\n" * 50, b"budget, second draft with changes\n" * 40
    path = tmp_path / "budget.xlsx"
    path.write_bytes(first)
    page = mark_page(browser)
    choose_files(browser, [path])
    wait_new_page(browser, page, "the page to reload after the upload", timeout=30)
    browser.wait_until(lambda d: names(d) == ["budget.xlsx"], "the uploaded file in the listing")
    [(_, file_id, _)] = rows(browser)

    # A second version, saved by an editor through WOPI (lock, PutFile; unlocked later).
    token = folio.token(file_id, "alice")["accessToken"]
    target = "/wopi/files/" + file_id
    assert wopi(folio, "POST", target, token, headers={"X-WOPI-Override": "LOCK", "X-WOPI-Lock": "L1"}).status == 200
    put = wopi(folio, "POST", target + "/contents", token, body=second,
               headers={"X-WOPI-Override": "PUT", "X-WOPI-Lock": "L1"})
    assert put.status == 200, put

    # While the editor holds its lock the listing says so, and no restore may overwrite it.
    browser.get(browser.current_url)
    assert "Alice Liddell editing" in row(browser, "budget.xlsx").find_element(By.CSS_SELECTOR, ".badge.editing").text
    browser.get("%s/files/%s/versions" % (folio.base, file_id))
    click(browser, "form[action$='/versions/1/restore'] button", "Restore this version (locked)",
          within=browser.find_element(By.CSS_SELECTOR, "tr[data-version='1']"))
    assert "The file is open in an editor right now. Close it there first." in text(browser, "main")
    assert [v["number"] for v in folio.versions(file_id)] == [1, 2]
    assert wopi(folio, "POST", target, token, headers={"X-WOPI-Override": "UNLOCK", "X-WOPI-Lock": "L1"}).status == 200
    browser.get(folio.base + "/browse")
    assert not row(browser, "budget.xlsx").find_elements(By.CSS_SELECTOR, ".badge.editing")

    # The versions page lists both, newest first; only the old one can be restored.
    click(browser, "a.button[href$='/versions']", "Versions", within=row(browser, "budget.xlsx"))
    assert path_of(browser) == "/files/%s/versions" % file_id
    assert text(browser, "main h1") == "Versions: budget.xlsx"
    version_rows = browser.find_elements(By.CSS_SELECTOR, "tr[data-version]")
    assert [tr.get_attribute("data-version") for tr in version_rows] == ["2", "1"]
    assert "current" in version_rows[0].find_element(By.TAG_NAME, "td").text
    assert not version_rows[0].find_elements(By.CSS_SELECTOR, "form[action$='/restore']")
    assert [tr.find_element(By.CSS_SELECTOR, "td.source").text for tr in version_rows] == ["editor save", "upload"]

    click(browser, "form[action$='/versions/1/restore'] button", "Restore this version",
          within=browser.find_element(By.CSS_SELECTOR, "tr[data-version='1']"))
    assert path_of(browser) == "/files/%s/versions" % file_id
    version_rows = browser.find_elements(By.CSS_SELECTOR, "tr[data-version]")
    assert [tr.get_attribute("data-version") for tr in version_rows] == ["3", "2", "1"]
    assert "current" in version_rows[0].find_element(By.TAG_NAME, "td").text
    assert version_rows[0].find_element(By.CSS_SELECTOR, "td.source").text == "restore"
    assert len(browser.find_elements(By.CSS_SELECTOR, "form[action$='/restore']")) == 2
    browser.screenshot("pages-versions")

    # In the store: version 3 holds version 1's bytes; 1 and 2 are untouched.
    versions = folio.versions(file_id)
    assert [(v["number"], v["source"], v["sha256"]) for v in versions] == [
        (1, "upload", sha256(first)), (2, "wopi", sha256(second)), (3, "restore", sha256(first))], versions
    cookie = session_cookie(browser)
    for number, content in ((1, first), (2, second), (3, first)):
        link = browser.find_element(By.CSS_SELECTOR, "tr[data-version='%d'] a[href$='/download']" % number)
        answer = request(folio, "GET", link.get_attribute("pathname"), cookie=cookie)
        assert answer.status == 200 and answer.body == content, (number, answer)
        assert "budget%20%28v" + str(number) in answer.headers["content-disposition"], answer.headers
    current = wopi(folio, "GET", target + "/contents", token)
    assert current.status == 200 and current.body == first
    assert json.loads(wopi(folio, "GET", target, token).body)["Version"] == "3"
