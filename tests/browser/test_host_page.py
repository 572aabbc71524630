"""Folio's host page (PROTOCOL.md §A.9) in Chromium, with the stand-in editor in its iframe.

The host page must post the WOPI token into the named iframe (never in a URL), the token must
open the file through CheckFileInfo, and the page must speak the editor's postMessage protocol:
answer App_LoadingStatus with Host_PostmessageReady, follow UI_Close to Folio's closed page,
show File_Rename's new name in the title, and hear only the editor's origin. On a phone's
viewport it opens the mobile actions discovery offers.
"""

import time
import urllib.parse

import pytest
from selenium.webdriver.common.by import By

import web

NAME = "Quarterly report – Q3.docx"    # a space and a non-ASCII dash on the way through
CONTENT = b"PK\x03\x04 stand-in document bytes"


def alice_and_report(folio):
    folio.user_add("alice", "Alice Liddell")
    return folio.new_file(NAME, CONTENT, owner="alice")


def open_in_editor(browser, url):
    """Browse to a host-page link and wait until the editor in its frame finished the
    handshake; the frame's own URL."""
    browser.get(url)
    with browser.in_frame():
        browser.wait_text("handshake", "Host_PostmessageReady received")
        return browser.execute_script("return location.href")


def message_ids(browser, list_id):
    return [li.get_attribute("data-message-id") for li in browser.find_elements(By.CSS_SELECTOR, "#%s li" % list_id)]


def test_editor_opens_with_the_posted_token_and_hears_the_host(folio, editor, browser):
    entry = alice_and_report(folio)
    url = folio.open(entry["id"], "alice")
    assert urllib.parse.urlsplit(url).path == "/files/%s/edit" % entry["id"], url
    frame_url = open_in_editor(browser, url)

    # The top page is Folio's host page: title, favicon from discovery, the named frame.
    assert browser.current_url == url
    assert browser.title == NAME
    icons = [link.get_attribute("href") for link in browser.find_elements(By.CSS_SELECTOR, "link[rel=icon]")]
    assert icons == [editor.favicon_url()], icons
    frame = browser.find_element(By.ID, "office_frame")
    assert frame.get_attribute("name") == "office_frame"

    # The frame holds the stand-in's edit page, which opened the file with the posted token:
    # the name and the user's display name come from Folio's CheckFileInfo.
    assert frame_url.startswith(editor.base + "/editor/edit?"), frame_url
    with browser.in_frame():
        assert browser.text_of("file-name") == NAME
        assert browser.text_of("user-name") == "Alice Liddell"
        assert browser.text_of("action") == "edit"
        assert browser.text_of("can-write") == "true"
        assert browser.text_of("content-size") == str(len(CONTENT))
        assert browser.text_of("post-message-origin") == folio.base
        # The handshake: the editor announced itself and the host answered exactly once.
        assert message_ids(browser, "sent") == ["App_LoadingStatus", "App_LoadingStatus"]
        assert message_ids(browser, "received") == ["Host_PostmessageReady"]
    browser.screenshot("host-page-editor-loaded")

    # What the editor received: one form POST to the edit action's URL, filled from discovery.
    [post] = editor.editor_posts()
    assert post.path == "/editor/edit"
    assert post.query == {"ui": ["en-US"], "wopisrc": ["%s/wopi/files/%s" % (folio.base, entry["id"])]}, post.query
    assert sorted(post.form) == ["access_token", "access_token_ttl"], post.form
    token, ttl = post.form["access_token"], int(post.form["access_token_ttl"])
    assert token and ttl > time.time() * 1000, post.form
    # Referrer-Policy: no-referrer keeps the host page's ticket out of the editor's logs.
    assert "referer" not in post.headers, post.headers["referer"]
    session = editor.last_session()
    assert session.check_file_info_status == 200
    assert session.check_file_info["BaseFileName"] == NAME
    assert session.check_file_info["UserFriendlyName"] == "Alice Liddell"
    assert session.check_file_info["UserCanWrite"] is True

    # The token travelled only in the POST body: never in a URL the editor (or the browser) saw.
    forms = {token, urllib.parse.quote(token, safe=""), urllib.parse.quote_plus(token)}
    for r in editor.received():
        assert not any(t in r.target for t in forms), "token in a URL: %r" % r
    assert not any(t in frame_url or t in browser.current_url for t in forms)


def test_file_rename_shows_in_the_title(folio, editor, browser):
    entry = alice_and_report(folio)
    open_in_editor(browser, folio.open(entry["id"], "alice"))
    assert browser.title == NAME
    with browser.in_frame():
        new_name = browser.find_element(By.ID, "new-name").get_attribute("value")
        assert new_name == "Renamed " + NAME
        browser.find_element(By.ID, "rename").click()
        assert message_ids(browser, "sent")[-1] == "File_Rename"
    browser.wait_until(lambda d: d.title == new_name, "the title to become %r" % new_name)


def test_messages_from_other_origins_are_ignored(folio, editor, browser):
    entry = alice_and_report(folio)
    url = folio.open(entry["id"], "alice")
    open_in_editor(browser, url)
    # The same messages the editor may send, but from Folio's own origin: not the editor's.
    browser.execute_script("""
        window.postMessage(JSON.stringify({MessageId: 'File_Rename', SendTime: Date.now(), Values: {NewName: 'forged.docx'}}), '*');
        window.postMessage(JSON.stringify({MessageId: 'UI_Close', SendTime: Date.now(), Values: {}}), '*');
        window.postMessage(JSON.stringify({MessageId: 'App_LoadingStatus', Values: {Status: 'Document_Loaded'}}), '*');
    """)
    time.sleep(1.0)
    assert browser.current_url == url
    assert browser.title == NAME
    with browser.in_frame():
        assert message_ids(browser, "received") == ["Host_PostmessageReady"]


def test_close_goes_to_the_closed_page(folio, editor, browser):
    entry = alice_and_report(folio)
    open_in_editor(browser, folio.open(entry["id"], "alice"))
    with browser.in_frame():
        browser.find_element(By.ID, "close").click()
    closed = folio.closed_url(entry["id"])
    browser.wait_until(lambda d: d.current_url == closed, "the host page to go to %s" % closed)
    browser.wait_until(lambda d: "The document was closed" in d.find_element(By.TAG_NAME, "body").text,
                       "the closed page's text")
    assert browser.title == "The document was closed. · Folio"
    assert not browser.find_elements(By.ID, "office_frame")
    browser.screenshot("host-page-closed")


def test_a_viewer_gets_the_view_action_beside_the_editing_owner(folio, editor, browser, open_browser):
    entry = alice_and_report(folio)
    folio.user_add("bob", "Bob Cratchit")
    folio.share(entry["id"], "bob", "view")

    # The owner edits in one browser while the viewer, in another with its own profile, asks
    # for the same (edit) link: with only the view role the host page picks the view action.
    open_in_editor(browser, folio.open(entry["id"], "alice"))
    viewer = open_browser("viewer")
    frame_url = open_in_editor(viewer, folio.open(entry["id"], "bob"))
    assert frame_url.startswith(editor.base + "/editor/view?"), frame_url
    with viewer.in_frame():
        assert viewer.text_of("file-name") == NAME
        assert viewer.text_of("user-name") == "Bob Cratchit"
        assert viewer.text_of("action") == "view"
        assert viewer.text_of("can-write") == "false"
    viewer.screenshot("host-page-viewer")

    posts = editor.editor_posts()
    assert [p.path for p in posts] == ["/editor/edit", "/editor/view"], posts
    alice, bob = editor.sessions
    assert alice.token != bob.token
    assert bob.check_file_info["UserFriendlyName"] == "Bob Cratchit"
    assert bob.check_file_info["UserCanWrite"] is False

    # The owner asking for the view action explicitly gets it too.
    frame_url = open_in_editor(browser, folio.open(entry["id"], "alice", action="view"))
    assert frame_url.startswith(editor.base + "/editor/view?"), frame_url
    with browser.in_frame():
        assert browser.text_of("user-name") == "Alice Liddell"
        assert browser.text_of("can-write") == "false"


def test_a_phone_sized_browser_gets_the_mobile_actions(folio, editor, browser, open_browser):
    """On a phone's viewport (Chromium's device emulation: 390 × 844 CSS pixels, touch, a
    phone's pixel ratio) the host page posts to the action's mobile version from discovery —
    mobileEdit for the owner, mobileView for a viewer — and the editor works there as usual;
    on a desktop window the same link opens the usual edit action."""
    entry = alice_and_report(folio)
    folio.user_add("bob", "Bob Cratchit")
    folio.share(entry["id"], "bob", "view")
    phone = open_browser("phone")
    phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    phone.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})

    frame_url = open_in_editor(phone, folio.open(entry["id"], "alice"))
    assert frame_url.startswith(editor.base + "/editor/mobileEdit?"), frame_url
    with phone.in_frame():
        assert phone.text_of("action") == "mobileEdit"
        assert phone.text_of("can-write") == "true"
    phone.screenshot("host-page-phone-owner")

    frame_url = open_in_editor(phone, folio.open(entry["id"], "bob"))
    assert frame_url.startswith(editor.base + "/editor/mobileView?"), frame_url
    with phone.in_frame():
        assert phone.text_of("user-name") == "Bob Cratchit"
        assert phone.text_of("can-write") == "false"
    phone.screenshot("host-page-phone-viewer")

    frame_url = open_in_editor(browser, folio.open(entry["id"], "alice"))
    assert frame_url.startswith(editor.base + "/editor/edit?"), frame_url
    assert [p.path for p in editor.editor_posts()] == ["/editor/mobileEdit", "/editor/mobileView", "/editor/edit"]


@pytest.fixture
def short_folio(request, tmp_path, editor):
    """Like `folio`, with editor tokens that live 20 s (`--token-lifetime 20`)."""
    from conftest import _serve
    f = _serve(request, tmp_path / "data", editor, ["--token-lifetime", "20"])
    yield f
    f.stop()


def test_a_long_session_gets_a_new_token_before_the_old_one_expires(short_folio, editor, browser):
    """A token lives 20 s here; the stand-in plays Collabora, which takes a new token through
    `Reset_Access_Token`. Before the first token expires the host page asks Folio for a new
    one and hands it over; the new token opens the file after the first has expired, and the
    page shows no notice."""
    folio = short_folio
    entry = alice_and_report(folio)
    open_in_editor(browser, folio.open(entry["id"], "alice"))
    first = browser.find_element(By.NAME, "access_token").get_attribute("value")
    first_ttl = int(browser.find_element(By.NAME, "access_token_ttl").get_attribute("value"))
    assert 0 < first_ttl / 1000 - time.time() <= 21
    with browser.in_frame():
        browser.wait_until(lambda d: d.find_element(By.ID, "reset-token").text != "",
                           "the host page to hand over a new token", timeout=25)
        handed = browser.text_of("reset-token")
        assert "Reset_Access_Token" in message_ids(browser, "received")
    assert handed != first
    assert browser.find_element(By.NAME, "access_token").get_attribute("value") == handed
    assert int(browser.find_element(By.NAME, "access_token_ttl").get_attribute("value")) > first_ttl
    assert not browser.find_element(By.ID, "session_notice").is_displayed()
    # Once the first token has expired, only the new one opens the file.
    time.sleep(max(0.0, first_ttl / 1000 - time.time()) + 1)
    assert web.wopi(folio, "GET", "/wopi/files/%s" % entry["id"], first).status == 401
    assert web.wopi(folio, "GET", "/wopi/files/%s" % entry["id"], handed).status == 200
    browser.screenshot("host-page-token-renewed")


def test_without_a_new_token_the_page_says_when_the_session_ends(short_folio, editor, browser):
    """The host-page link (its ticket) lives 12 s, the token 20 s: when the page asks for a
    new token (at 16 s) the ticket has expired, Folio refuses, and the page says when the
    editing session ends instead of letting it die unannounced."""
    folio = short_folio
    entry = alice_and_report(folio)
    open_in_editor(browser, folio.open(entry["id"], "alice", ttl=12))
    notice = browser.find_element(By.ID, "session_notice")
    assert not notice.is_displayed()
    browser.wait_until(lambda d: d.find_element(By.ID, "session_notice").is_displayed(),
                       "the notice that the session ends", timeout=25)
    assert notice.text.startswith("This editing session ends at ")
    assert "open the document again" in notice.text
    with browser.in_frame():
        assert "Reset_Access_Token" not in message_ids(browser, "received")
    browser.screenshot("host-page-session-ends")
