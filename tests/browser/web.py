"""Helpers for driving Folio's web pages (Sources/FolioServer/Web) in the browser tests:
signing in, waiting for a form's page to load, reading listings, and plain HTTP requests with
a browser's cookies (Selenium cannot see status codes).
"""

import hashlib
import http.client
import json
import os
import urllib.parse
import uuid

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

PASSWORD = "correct horse battery"
SESSION_COOKIE = "folio_session"
TEMPLATES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources", "FolioCore",
                             "Resources", "Templates")


# ---- pages --------------------------------------------------------------------------------

def path_of(browser):
    """The current page's path (no query)."""
    return urllib.parse.urlsplit(browser.current_url).path


def mark_page(browser):
    """Mark the page now shown, so wait_new_page can tell when another one (or a reload) took
    its place; the mark."""
    mark = uuid.uuid4().hex
    browser.execute_script("window.__folioTestPage = arguments[0]", mark)
    return mark


def wait_new_page(browser, mark, what, timeout=20):
    """Wait until the page marked `mark` was replaced by a new, fully loaded one."""
    def loaded(driver):
        try:
            return driver.execute_script(
                "return window.__folioTestPage !== arguments[0] && document.readyState === 'complete'", mark)
        except WebDriverException:      # the old page went away while asking: try again
            return False
    browser.wait_until(loaded, "a new page after %s" % what, timeout)


def loads_new_page(browser, action, what, timeout=20):
    """Run `action` (a click, a submit) and wait until the browser left the page for a new one."""
    mark = mark_page(browser)
    action()
    wait_new_page(browser, mark, what, timeout)


def click(browser, css, what=None, within=None):
    """Click the element `css` (inside `within` when given) and wait for the page it loads."""
    element = (within or browser).find_element(By.CSS_SELECTOR, css)
    loads_new_page(browser, element.click, what or css)


def fill(browser, fields):
    """Type into inputs by id: {id: text}; a <select> gets the option with that value."""
    for element_id, value in fields.items():
        element = browser.find_element(By.ID, element_id)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)


def fill_named(within, fields):
    """Like `fill`, for fields found by name inside `within` (a form whose inputs have no id,
    or one of several forms with the same names): {name: text or <select> value}."""
    for name, value in fields.items():
        element = within.find_element(By.CSS_SELECTOR, "[name='%s']" % name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)


def text(browser, css="body"):
    return browser.find_element(By.CSS_SELECTOR, css).text


def header_texts(browser):
    """What the header's navigation says (e.g. ["Files", "Shared with me", "Trash"])."""
    return [a.text for a in browser.find_elements(By.CSS_SELECTOR, "header.top nav a")]


def sign_in(browser, folio, login, password=PASSWORD, expect="/browse"):
    """Sign in on /login; wait until the browser lands on `expect` (a path prefix)."""
    browser.get(folio.base + "/login")
    fill(browser, {"login": login, "password": password})
    click(browser, "form[action='/login'] button[type=submit]", "signing in as %s" % login)
    assert path_of(browser).startswith(expect), (browser.current_url, text(browser, "main"))


def sign_out(browser):
    click(browser, "form[action='/logout'] button", "signing out")


def switch_language(browser, lang):
    click(browser, "form.languages button[name=lang][value=%s]" % lang, "switching to %s" % lang)


def session_cookie(browser):
    cookie = browser.get_cookie(SESSION_COOKIE)
    return cookie["value"] if cookie and cookie.get("value") else None


# ---- listings -----------------------------------------------------------------------------

def rows(browser):
    """The listing's rows as (kind, id, name), in page order."""
    return [(tr.get_attribute("data-kind"), tr.get_attribute("data-id"), tr.get_attribute("data-name"))
            for tr in browser.find_elements(By.CSS_SELECTOR, "table.listing tbody tr[data-kind]")]


def names(browser):
    return [name for _, _, name in rows(browser)]


def row(browser, name):
    """The listing's <tr> for the item called `name`."""
    for tr in browser.find_elements(By.CSS_SELECTOR, "table.listing tbody tr[data-kind]"):
        if tr.get_attribute("data-name") == name:
            return tr
    raise AssertionError("no row %r in the listing (rows: %r, page: %s)" % (name, names(browser), browser.current_url))


def crumbs(browser):
    return [li.text for li in browser.find_elements(By.CSS_SELECTOR, "nav.crumbs li")]


def size_text(size):
    """A size as the English pages write it (WebFormat.size)."""
    units = ["B", "KB", "MB", "GB", "TB"]
    value, unit = float(size), 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    number = str(size) if unit == 0 else ("%.1f" % value if value < 10 else "%.0f" % value)
    return number + "\u00a0" + units[unit]


def open_dialog(browser, dialog_id):
    """Press the toolbar button that opens `dialog_id` and wait until it is shown."""
    browser.find_element(By.CSS_SELECTOR, "[data-open='%s']" % dialog_id).click()
    browser.wait_until(lambda d: d.find_element(By.ID, dialog_id).get_attribute("open") is not None,
                       "dialog #%s to open" % dialog_id)
    return browser.find_element(By.ID, dialog_id)


# ---- HTTP beside the browser ---------------------------------------------------------------

class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def location(self):
        return self.headers.get("location")

    def __repr__(self):
        return "<%d %s %r>" % (self.status, self.location or "", self.body[:120])


def request(folio, method, target, cookie=None, body=None, headers=None):
    """One HTTP request to Folio, redirects not followed; `cookie` is a folio_session value."""
    conn = http.client.HTTPConnection("127.0.0.1", folio.port, timeout=30)
    try:
        h = dict(headers or {})
        if cookie:
            h["Cookie"] = "%s=%s" % (SESSION_COOKIE, cookie)
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body).encode()
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, target, body=body, headers=h)
        r = conn.getresponse()
        return Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def wopi(folio, method, target, token, body=None, headers=None):
    """A WOPI request with `token` in the query, as editors send it."""
    sep = "&" if "?" in target else "?"
    return request(folio, method, target + sep + "access_token=" + urllib.parse.quote(token, safe=""),
                   body=body, headers=headers)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def template_bytes(ext):
    with open(os.path.join(TEMPLATES_DIR, "blank." + ext), "rb") as f:
        return f.read()


# ---- uploads ------------------------------------------------------------------------------

# Records every value each upload's <progress> shows, and its state text, into sessionStorage
# (the page reloads itself once the uploads are done; sessionStorage outlives that).
RECORD_PROGRESS_JS = """
sessionStorage.removeItem('test-progress');
var list = document.getElementById('uploads');
function record() {
  var log = JSON.parse(sessionStorage.getItem('test-progress') || '{}');
  list.querySelectorAll('li.upload').forEach(function (li) {
    var name = li.getAttribute('data-name');
    var entry = log[name] || (log[name] = {values: [], states: []});
    var value = li.querySelector('progress').value;
    var state = li.querySelector('.state').textContent;
    if (entry.values[entry.values.length - 1] !== value) entry.values.push(value);
    if (entry.states[entry.states.length - 1] !== state) entry.states.push(state);
    entry.classes = li.className;
  });
  sessionStorage.setItem('test-progress', JSON.stringify(log));
}
new MutationObserver(record).observe(list, {subtree: true, childList: true, characterData: true, attributes: true});
"""


def record_progress(browser):
    browser.execute_script(RECORD_PROGRESS_JS)


def recorded_progress(browser):
    """{file name: {"values": [...], "states": [...], "classes": "..."}} seen since record_progress."""
    return json.loads(browser.execute_script("return sessionStorage.getItem('test-progress') || '{}'"))


def throttle(browser, upload_bytes_per_second):
    """Chrome DevTools network emulation: uploads at most this fast (None: no limit)."""
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1,
        "uploadThroughput": upload_bytes_per_second if upload_bytes_per_second else -1})


def choose_files(browser, paths):
    """Pick files in the (hidden) multiple file input, as the "Upload files" button's dialog does."""
    browser.find_element(By.ID, "upload-input").send_keys("\n".join(str(p) for p in paths))


def upload_rows(browser):
    return browser.find_elements(By.CSS_SELECTOR, "#uploads li.upload")
