"""Sharing from the web pages in Chromium: a public edit link opened by a guest in a second,
independent browser (same WOPI file as the owner's editor, refused once the link is revoked),
and a file shared with another user as a viewer ("Shared with me", the view action).
"""

import datetime
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from web import (PASSWORD, click, fill, names, path_of, request, row, rows, session_cookie, sign_in, text)

REFUSED = (401, 403, 404)


def editor_ready(browser):
    with browser.in_frame():
        browser.wait_text("handshake", "Host_PostmessageReady received")


def share_page(browser, folio, file_name):
    """From the listing, the file's Share button."""
    browser.get(folio.base + "/browse")
    click(browser, "a.button[href^='/share/file/']", "Share", within=row(browser, file_name))


def test_public_edit_link_guest_joins_the_owner_file_until_revoked(folio, editor, browser, open_browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    entry = folio.new_file("Team plan.docx", b"PK\x03\x04 the team's plan", owner="alice")
    sign_in(browser, folio, "alice")

    # The owner makes a public link with the edit role.
    share_page(browser, folio, "Team plan.docx")
    assert path_of(browser) == "/share/file/" + entry["id"]
    assert text(browser, "main h1") == "Share: Team plan.docx"
    assert "No public links." in text(browser, "main")
    fill(browser, {"link-role": "edit"})
    click(browser, "#link-create", "Create link")
    assert path_of(browser) == "/share/file/" + entry["id"]
    [item] = browser.find_elements(By.CSS_SELECTOR, "ul.links li[data-link]")
    link_id = item.get_attribute("data-link")
    url_field = item.find_element(By.CSS_SELECTOR, "input.link-url")
    link_url = url_field.get_attribute("value")
    assert link_url == "%s/s/%s" % (folio.base, link_id)
    assert url_field.get_attribute("readonly") is not None
    assert "editor · Expires: never" in item.text
    [stored] = folio.store.query("SELECT resource_id, role, expires_at, password_hash, revoked_at FROM links WHERE id = ?", link_id)
    assert (stored["resource_id"], stored["expires_at"], stored["password_hash"], stored["revoked_at"]) == \
        (entry["id"], None, None, None), stored
    browser.screenshot("pages-share")

    # The owner has the document open in the editor.
    browser.get("%s/files/%s/edit" % (folio.base, entry["id"]))
    editor_ready(browser)
    owner = editor.last_session()
    assert owner.check_file_info["UserFriendlyName"] == "Alice Liddell"

    # A guest, in a browser of their own, gives a name and lands in the same file's editor.
    guest = open_browser("guest")
    guest.get(link_url)
    assert text(guest, "main h1") == "Open a shared item"
    assert not guest.find_elements(By.ID, "guest-password")
    fill(guest, {"guest-name": "Greta Guest"})
    guest.screenshot("pages-guest-landing")
    click(guest, "#guest-open", "Open")
    assert guest.current_url == "%s/files/%s/edit" % (folio.base, entry["id"])
    editor_ready(guest)
    with guest.in_frame():
        assert guest.text_of("user-name") == "Greta Guest"
        assert guest.text_of("action") == "edit"
        assert guest.text_of("can-write") == "true"
    guest.screenshot("pages-guest-in-editor")
    visitor = editor.last_session()
    assert visitor is not owner and visitor.token != owner.token
    # Same WOPISrc, so a real editor would put both into one editing session.
    assert visitor.wopisrc == owner.wopisrc == "%s/wopi/files/%s" % (folio.base, entry["id"])
    info = visitor.check_file_info
    assert info["UserFriendlyName"] == "Greta Guest" and info["UserCanWrite"] is True, info
    assert info["IsAnonymousUser"] is True and info["UserId"] != owner.check_file_info["UserId"], info
    assert "FileSharingUrl" not in info         # guests do not share further
    guest_cookie = session_cookie(guest)
    assert guest_cookie and request(folio, "GET", "/files/%s/edit" % entry["id"], cookie=guest_cookie).status == 200

    # The owner revokes the link.
    share_page(browser, folio, "Team plan.docx")
    click(browser, "form[action='/share/links/%s/revoke'] button" % link_id, "Revoke")
    assert path_of(browser) == "/share/file/" + entry["id"]
    assert not browser.find_elements(By.CSS_SELECTOR, "ul.links li[data-link]")
    assert "No public links." in text(browser, "main")
    assert folio.store.query("SELECT revoked_at FROM links WHERE id = ?", link_id)[0]["revoked_at"] is not None

    # The guest's next requests are refused: the editor's CheckFileInfo and GetFile with the
    # guest's token, the guest's host page, and the link itself.
    status, body = editor.check_file_info(visitor)
    assert status in REFUSED, (status, body)
    assert editor.get_file(visitor)[0] in REFUSED
    answer = request(folio, "GET", "/files/%s/edit" % entry["id"], cookie=guest_cookie)
    assert answer.status in REFUSED or (answer.status == 303 and answer.location.startswith("/login")), answer
    guest.get(guest.current_url)
    assert not guest.find_elements(By.ID, "office_frame")
    assert request(folio, "GET", urllib.parse.urlsplit(link_url).path).status == 404
    # The owner's own token still works.
    assert editor.check_file_info(owner)[0] == 200


def test_share_with_a_user_as_viewer(folio, editor, browser, open_browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    folio.user_add("bob", "Bob Cratchit", password=PASSWORD)
    entry = folio.new_file("Handbook.odt", b"PK\x03\x04 the handbook", owner="alice")
    sign_in(browser, folio, "alice")

    share_page(browser, folio, "Handbook.odt")
    assert "Nobody else has access yet." in text(browser, "main")
    # An unknown login is refused and shares nothing.
    fill(browser, {"share-login": "nobody", "share-role": "edit"})
    click(browser, "#share-add", "Add (unknown login)")
    assert "No user nobody." in text(browser, "main")
    assert folio.store.query("SELECT * FROM grants WHERE resource_id = ?", entry["id"]) == []
    share_page(browser, folio, "Handbook.odt")
    fill(browser, {"share-login": "bob", "share-role": "view"})
    click(browser, "#share-add", "Add")
    [grant] = browser.find_elements(By.CSS_SELECTOR, "ul.grants li[data-login]")
    assert grant.get_attribute("data-login") == "bob"
    assert "Bob Cratchit (bob)" in grant.text
    assert Select(grant.find_element(By.NAME, "role")).first_selected_option.get_attribute("value") == "view"
    bob_id = folio.store.user("bob")["id"]
    assert len(folio.store.query("SELECT role FROM grants WHERE resource_id = ? AND user_id = ?", entry["id"], bob_id)) == 1

    # Bob sees it under "Shared with me" (not among his own files) and it opens for viewing.
    bob = open_browser("bob")
    sign_in(bob, folio, "bob")
    assert names(bob) == []
    click(bob, "header nav a[href='/shared']", "Shared with me")
    assert text(bob, "main h1") == "Shared with me"
    [shared] = bob.find_elements(By.CSS_SELECTOR, "table.listing tbody tr[data-id]")
    assert shared.get_attribute("data-id") == entry["id"] and shared.get_attribute("data-kind") == "file"
    assert "Handbook.odt" in shared.text
    click(bob, "a.item.file", "the shared file", within=shared)
    assert path_of(bob) == "/files/%s/edit" % entry["id"]
    editor_ready(bob)
    with bob.in_frame():
        assert bob.text_of("user-name") == "Bob Cratchit"
        assert bob.text_of("action") == "view"
        assert bob.text_of("can-write") == "false"
    viewer = editor.last_session()
    assert viewer.action == "view" and editor.editor_posts()[-1].path == "/editor/view"
    assert viewer.check_file_info["UserCanWrite"] is False
    # A viewer may not share it further, nor write it.
    bob_cookie = session_cookie(bob)
    assert request(folio, "GET", "/share/file/" + entry["id"], cookie=bob_cookie).status in (403, 404)
    assert editor.put_file(viewer, b"overwritten")[0] in REFUSED
    assert folio.versions(entry["id"])[-1]["number"] == 1

    # Alice takes the access away: Bob's list is empty and the file is closed to him.
    share_page(browser, folio, "Handbook.odt")
    Select(browser.find_element(By.CSS_SELECTOR, "ul.grants li[data-login=bob] select[name=role]")).select_by_value("none")
    click(browser, "ul.grants li[data-login=bob] button[type=submit]", "removing Bob")
    assert not browser.find_elements(By.CSS_SELECTOR, "ul.grants li[data-login]")
    bob.get(folio.base + "/shared")
    assert rows(bob) == [] and "This folder is empty." in text(bob, "main")
    assert request(folio, "GET", "/files/%s/edit" % entry["id"], cookie=bob_cookie).status in REFUSED
    assert editor.check_file_info(viewer)[0] in REFUSED


def test_password_protected_view_link_and_expiry(folio, editor, browser, open_browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    entry = folio.new_file("Price list.xlsx", b"PK\x03\x04 prices", owner="alice")
    root = folio.store.user("alice")["root_folder_id"]
    sign_in(browser, folio, "alice")
    share_page(browser, folio, "Price list.xlsx")

    # An expiry in the past is refused and makes no link.
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    set_date(browser, "link-expires", yesterday.isoformat())
    click(browser, "#link-create", "Create link (expired)")
    assert "The expiry must be in the future." in text(browser, "main")
    assert folio.store.query("SELECT id FROM links") == []

    # A view link with a password, valid until tomorrow.
    share_page(browser, folio, "Price list.xlsx")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    set_date(browser, "link-expires", tomorrow.isoformat())
    fill(browser, {"link-role": "view", "link-password": "open sesame 1"})
    click(browser, "#link-create", "Create link")
    [item] = browser.find_elements(By.CSS_SELECTOR, "ul.links li[data-link]")
    assert "viewer · Expires: " in item.text and "with password" in item.text, item.text
    link_url = item.find_element(By.CSS_SELECTOR, "input.link-url").get_attribute("value")
    [stored] = folio.store.query("SELECT expires_at, password_hash FROM links")
    assert stored["password_hash"] and stored["expires_at"] is not None, stored
    end_of_tomorrow = datetime.datetime.combine(tomorrow + datetime.timedelta(days=1), datetime.time(),
                                                tzinfo=datetime.timezone.utc)
    assert stored["expires_at"] == int(end_of_tomorrow.timestamp()) * 1_000_000, stored

    # The guest needs the password: a wrong one is refused with a message and no session.
    guest = open_browser("guest")
    guest.get(link_url)
    fill(guest, {"guest-name": "Vera Visitor", "guest-password": "wrong password"})
    click(guest, "#guest-open", "Open (wrong password)")
    assert path_of(guest) == urllib.parse.urlsplit(link_url).path
    assert text(guest, ".error") == "Wrong password."
    assert session_cookie(guest) is None
    fill(guest, {"guest-name": "Vera Visitor", "guest-password": "open sesame 1"})
    click(guest, "#guest-open", "Open")

    # A view link opens the view action, and even the edit URL stays read-only.
    assert path_of(guest) == "/files/%s/view" % entry["id"]
    editor_ready(guest)
    with guest.in_frame():
        assert guest.text_of("user-name") == "Vera Visitor"
        assert guest.text_of("action") == "view"
        assert guest.text_of("can-write") == "false"
    guest.get("%s/files/%s/edit" % (folio.base, entry["id"]))
    editor_ready(guest)
    with guest.in_frame():
        assert guest.text_of("action") == "view"
    assert editor.put_file(editor.last_session(), b"changed")[0] in REFUSED

    # The guest sees only the linked file: /browse leads to it, the owner's folder is closed.
    guest.get(folio.base + "/browse")
    assert path_of(guest) == "/files/%s/view" % entry["id"]
    cookie = session_cookie(guest)
    assert request(folio, "GET", "/browse/" + root, cookie=cookie).status in (403, 404)
    assert request(folio, "GET", "/share/file/" + entry["id"], cookie=cookie).status in (403, 404)


def set_date(browser, element_id, iso_day):
    """A date input's value (typing into it depends on the browser's locale)."""
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, element_id), iso_day)
