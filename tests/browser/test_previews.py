"""Previews in Chromium: thumbnails beside documents in the listing (the plain icon until one
is made), the preview page's pages, its PDF and a conversion; thumbnails on the versions,
shared and trash pages; a view link's guest on the preview page; and thumbnails made ahead of
time, there on the first visit after an upload. Made by the real LibreOffice and poppler in
Folio's sandbox.
"""

import json
import time

from selenium.webdriver.common.by import By

from conftest import _serve
from web import PASSWORD, choose_files, click, fill, names, path_of, request, row, session_cookie, sign_in, text, wopi

RTF = rb"{\rtf1\ansi\deff0\fs144 {\b Minutes} of the board\page Second page: the budget}"


def loaded(browser, img):
    return browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img)


def thumbs(browser):
    return browser.find_elements(By.CSS_SELECTOR, "img.thumb")


STATE_JS = """
const img = document.querySelector(arguments[0]);
if (!img) return "gone";
if (!img.complete) return "loading";
return img.naturalWidth > 0 ? "loaded" : "broken";
"""


def wait_for_thumbnail(browser, url, css="img.thumb", timeout=90):
    """Reloads `url` until its thumbnail `css` shows a loaded picture (the first visits start it
    and show the plain icon: the page drops an image that did not load); the image element."""
    deadline = time.monotonic() + timeout
    while True:
        browser.get(url)
        browser.wait_until(lambda d: d.execute_script(STATE_JS, css) != "loading", "the thumbnail to load or go",
                           timeout=20)
        if browser.execute_script(STATE_JS, css) == "loaded":
            return browser.find_element(By.CSS_SELECTOR, css)
        assert time.monotonic() < deadline, "no thumbnail at %s within %d s" % (url, timeout)
        time.sleep(1)


def test_listing_thumbnails_and_the_preview_page(folio, browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    minutes = folio.new_file("Minutes.rtf", RTF, owner="alice")
    folio.new_file("archive.zip", b"PK\x05\x06" + b"\0" * 18, owner="alice")
    sign_in(browser, folio, "alice")
    listing = browser.current_url

    # The page puts a thumbnail beside the document; the archive, which no engine draws, has
    # none. Not made yet, it answers 404 at once and the page drops it for the plain icon.
    html = request(folio, "GET", path_of(browser), cookie=session_cookie(browser)).body.decode()
    assert '<img class="thumb" src="/files/%s/thumbnail"' % minutes["id"] in html
    assert html.count('class="thumb"') == 1
    assert not row(browser, "archive.zip").find_elements(By.CSS_SELECTOR, "img.thumb")
    # It is made in the background; a later visit shows it: the first page, drawn.
    img = wait_for_thumbnail(browser, listing, "tr[data-name='Minutes.rtf'] img.thumb")
    width, height = browser.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", img)
    assert max(width, height) == 64 and height > width, (width, height)
    browser.screenshot("previews-listing")

    # The preview page: both pages as pictures, the PDF, and conversions for the owner.
    browser.get("%s/files/%s/preview" % (folio.base, minutes["id"]))
    assert text(browser, "main h1") == "Preview: Minutes.rtf"
    pages = browser.find_elements(By.CSS_SELECTOR, "ol.preview-pages img")
    assert [p.get_attribute("alt") for p in pages] == ["Page 1", "Page 2"]
    for page in pages:
        browser.execute_script("arguments[0].scrollIntoView()", page)
        browser.wait_until(lambda d: loaded(d, page), "page %s to load" % page.get_attribute("alt"), timeout=60)
        assert browser.execute_script("return arguments[0].naturalWidth", page) == 1000
    browser.execute_script("window.scrollTo(0, 0)")
    browser.screenshot("previews-page")
    pdf_link = browser.find_element(By.CSS_SELECTOR, ".preview-actions a.button")
    assert pdf_link.get_attribute("href") == "%s/files/%s/pdf" % (folio.base, minutes["id"])
    pdf = request(folio, "GET", "/files/%s/pdf" % minutes["id"], cookie=session_cookie(browser))
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF"), pdf
    assert "Minutes%20%28v1%29.pdf" in pdf.headers["content-disposition"]
    formats = [b.get_attribute("value") for b in browser.find_elements(By.CSS_SELECTOR, "button[name=format]")]
    assert formats == ["docx", "odt"]
    click(browser, "button[name=format][value=docx]", "Convert to .docx")
    assert path_of(browser) == "/browse/" + folio.store.user("alice")["root_folder_id"]
    assert "Minutes.docx" in names(browser)
    converted = [f for f in folio.store.files() if f["name"] == "Minutes.docx"]
    assert len(converted) == 1 and converted[0]["size"] > 0


def test_versions_shared_and_trash_thumbnails_and_a_guest(folio, browser, open_browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    folio.user_add("bob", "Bob Cratchit", password=PASSWORD)
    minutes = folio.new_file("Minutes.rtf", RTF, owner="alice")
    file_id = minutes["id"]
    # A second version, saved by an editor.
    token = json.loads(folio.cli("token", "--user", "alice", "--json", "--public-url", folio.base,
                                 positional=[file_id]))["accessToken"]
    path = "/wopi/files/" + file_id
    assert wopi(folio, "POST", path, token, headers={"X-WOPI-Override": "LOCK", "X-WOPI-Lock": "L"}).status == 200
    second = rb"{\rtf1\ansi A shorter second version}"
    assert wopi(folio, "POST", path + "/contents", token, body=second,
                headers={"X-WOPI-Override": "PUT", "X-WOPI-Lock": "L"}).status == 200
    assert wopi(folio, "POST", path, token, headers={"X-WOPI-Override": "UNLOCK", "X-WOPI-Lock": "L"}).status == 200
    sign_in(browser, folio, "alice")

    # The versions page: a thumbnail per version, each of its own version.
    versions = "%s/files/%s/versions" % (folio.base, file_id)
    for number in (1, 2):
        css = "tr[data-version='%d'] img.thumb" % number
        img = wait_for_thumbnail(browser, versions, css)
        assert img.get_attribute("src").endswith("/files/%s/thumbnail?version=%d" % (file_id, number))
    browser.screenshot("previews-versions")
    cookie = session_cookie(browser)
    first = request(folio, "GET", "/files/%s/thumbnail?version=1" % file_id, cookie=cookie)
    latest = request(folio, "GET", "/files/%s/thumbnail?version=2" % file_id, cookie=cookie)
    assert first.status == latest.status == 200 and first.body != latest.body
    # The preview of version 1 says so, and shows its two pages.
    browser.get("%s/files/%s/preview?version=1" % (folio.base, file_id))
    assert text(browser, "main h1") == "Preview: Minutes.rtf (Version 1)"
    assert len(browser.find_elements(By.CSS_SELECTOR, "ol.preview-pages img")) == 2

    # A view link's guest sees the pages, and no conversion.
    browser.get("%s/share/file/%s" % (folio.base, file_id))
    fill(browser, {"link-role": "view"})
    click(browser, "#link-create", "Create link")
    link_url = browser.find_element(By.CSS_SELECTOR, "ul.links li[data-link] input.link-url").get_attribute("value")
    guest = open_browser("guest")
    guest.get(link_url)
    fill(guest, {"guest-name": "Greta Guest"})
    click(guest, "#guest-open", "Open")
    guest.get("%s/files/%s/preview" % (folio.base, file_id))
    [page] = guest.find_elements(By.CSS_SELECTOR, "ol.preview-pages img")
    guest.wait_until(lambda d: loaded(d, page), "the guest's page to load", timeout=60)
    assert not guest.find_elements(By.CSS_SELECTOR, "button[name=format]")
    guest.screenshot("previews-guest")

    # Bob, whom she shares it with, sees its thumbnail under "Shared with me".
    folio.cli("share", "--user", "bob", "--role", "view", positional=[file_id])
    bob = open_browser("bob")
    sign_in(bob, folio, "bob")
    img = wait_for_thumbnail(bob, folio.base + "/shared")
    assert img.get_attribute("src").endswith("/files/%s/thumbnail" % file_id)

    # In her trash it keeps its thumbnail; Bob cannot see hers.
    browser.get(folio.base + "/browse")
    click(browser, "form[action$='/delete'] button", "deleting Minutes.rtf", within=row(browser, "Minutes.rtf"))
    img = wait_for_thumbnail(browser, folio.base + "/trash")
    assert img.get_attribute("src").endswith("/trash/file/%s/thumbnail" % file_id)
    browser.screenshot("previews-trash")
    assert request(folio, "GET", "/trash/file/%s/thumbnail" % file_id, cookie=session_cookie(bob)).status == 404


def test_a_thumbnail_made_ahead_is_there_on_the_first_visit(request, tmp_path, editor, browser):
    folio = _serve(request, tmp_path / "data", editor, ["--preview-ahead", "0"])
    try:
        folio.user_add("alice", "Alice Liddell", password=PASSWORD)
        sign_in(browser, folio, "alice")
        upload = tmp_path / "Agenda.rtf"
        upload.write_bytes(RTF)
        choose_files(browser, [upload])
        deadline = time.monotonic() + 90
        while not folio.store.query("SELECT 1 FROM derived WHERE kind = 'thumbnail-64' AND blob_key IS NOT NULL"):
            assert time.monotonic() < deadline, "no thumbnail made ahead within 90 s of the upload"
            time.sleep(0.5)
        # Nobody has asked for it: the first visit of the listing shows it at once.
        browser.get(folio.base + "/browse")
        img = row(browser, "Agenda.rtf").find_element(By.CSS_SELECTOR, "img.thumb")
        browser.wait_until(lambda d: d.execute_script("return arguments[0].complete", img), "the thumbnail")
        assert loaded(browser, img)
        assert path_of(browser).startswith("/browse")
    finally:
        folio.stop()
