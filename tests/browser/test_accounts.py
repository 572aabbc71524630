"""Accounts on Folio's web pages in Chromium: the first-run set-up link, signing in and out,
the administrator's user list and locks page, and the English/Russian switch (pages and
editor language).
"""

import urllib.parse

import pytest
from selenium.webdriver.common.by import By

from web import (PASSWORD, click, fill, header_texts, loads_new_page, path_of, request, row, session_cookie,
                 sign_in, sign_out, switch_language, text, wopi)


def users(folio):
    return folio.store.query("SELECT login, display_name, is_admin, disabled FROM users ORDER BY created_at")


def test_first_run_setup_makes_the_administrator_once(folio, browser):
    # The link is printed on stdout before the "listening" line scripts wait for.
    link = folio.setup_url()
    log = folio.log_text(since_start=True)
    assert link and link.startswith(folio.base + "/setup?key="), log
    assert log.index("Set up Folio at ") < log.index("Folio listening on "), log
    key = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["key"][0]
    assert len(key) >= 24, key

    # A wrong key (or none) is refused, on the page and on the form's POST, and makes nobody.
    wrong = ("A" if key[0] != "A" else "B") + key[1:]
    browser.get(folio.base + "/setup?key=" + wrong)
    assert "This set-up link is not valid." in text(browser, "main")
    assert not browser.find_elements(By.ID, "password2")
    for target in ("/setup?key=" + wrong, "/setup"):
        assert request(folio, "GET", target).status == 403, target
    forged = request(folio, "POST", "/setup", body={"key": wrong, "login": "mallory", "name": "Mallory",
                                                    "password": PASSWORD, "password2": PASSWORD})
    assert forged.status == 403 and "set-cookie" not in forged.headers, forged
    assert users(folio) == []

    # The printed link opens the form; passwords that differ are refused.
    browser.get(link)
    assert browser.find_element(By.CSS_SELECTOR, "main h1").text == "Set up Folio"
    fill(browser, {"login": "ada", "name": "Ada Lovelace", "password": PASSWORD, "password2": PASSWORD})
    browser.screenshot("pages-setup")
    browser.find_element(By.ID, "password2").clear()
    browser.find_element(By.ID, "password2").send_keys(PASSWORD + "!")
    click(browser, "form[action='/setup'] button[type=submit]", "the set-up form with differing passwords")
    assert "The passwords differ." in text(browser, ".error")
    assert users(folio) == []

    # Right: the administrator exists and the browser is signed in as them.
    fill(browser, {"login": "ada", "name": "Ada Lovelace", "password": PASSWORD, "password2": PASSWORD})
    click(browser, "form[action='/setup'] button[type=submit]", "the set-up form")
    assert path_of(browser).startswith("/browse"), browser.current_url
    assert text(browser, "header .who") == "Ada Lovelace"
    assert header_texts(browser) == ["Files", "Shared with me", "Trash", "Users", "Locks", "API"]
    assert users(folio) == [{"login": "ada", "display_name": "Ada Lovelace", "is_admin": 1, "disabled": 0}]
    assert request(folio, "GET", "/admin/users", cookie=session_cookie(browser)).status == 200

    # The link worked once: the same key is refused now, and a restart prints no new link.
    browser.get(link)
    assert "This set-up link is not valid." in text(browser, "main")
    again = request(folio, "POST", "/setup", body={"key": key, "login": "eve", "password": PASSWORD,
                                                   "password2": PASSWORD})
    assert again.status == 403, again
    folio.stop()
    folio.start()
    assert folio.setup_url() is None, folio.log_tail()
    assert "Set up Folio at " not in folio.log_text(since_start=True)
    assert [u["login"] for u in users(folio)] == ["ada"]


def test_sign_in_refuses_a_wrong_password_then_signs_in_and_out(folio, browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)

    # Not signed in: the files page sends the browser to the sign-in page, remembering where.
    browser.get(folio.base + "/browse")
    assert path_of(browser) == "/login", browser.current_url
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)["next"] == ["/browse"]
    browser.screenshot("pages-sign-in")

    # A wrong password (and an unknown login) shows an error and starts no session.
    for login, password in (("alice", PASSWORD + "x"), ("nobody", PASSWORD)):
        fill(browser, {"login": login, "password": password})
        click(browser, "form[action='/login'] button[type=submit]", "signing in wrongly")
        assert path_of(browser) == "/login"
        assert text(browser, ".error") == "Wrong login or password."
        assert session_cookie(browser) is None
        assert text(browser, "header") and not browser.find_elements(By.CSS_SELECTOR, "header .who")
    answer = request(folio, "POST", "/login", body={"login": "alice", "password": "wrong-password"})
    assert answer.status == 401 and "set-cookie" not in answer.headers, answer
    assert folio.store.query("SELECT count(*) AS n FROM web_sessions") == [{"n": 0}]

    # The right password: to /browse (the `next` page), signed in as Alice.
    fill(browser, {"login": "alice", "password": PASSWORD})
    click(browser, "form[action='/login'] button[type=submit]", "signing in")
    assert path_of(browser).startswith("/browse"), browser.current_url
    assert text(browser, "header .who") == "Alice Liddell"
    secret = session_cookie(browser)
    assert secret and request(folio, "GET", "/browse", cookie=secret).status == 200
    assert folio.store.query("SELECT count(*) AS n FROM web_sessions") == [{"n": 1}]

    # Signing out ends the session on the server, not only in this browser.
    sign_out(browser)
    assert path_of(browser) == "/login"
    assert session_cookie(browser) is None
    answer = request(folio, "GET", "/browse", cookie=secret)
    assert answer.status == 303 and answer.location.startswith("/login"), answer
    assert folio.store.query("SELECT count(*) AS n FROM web_sessions") == [{"n": 0}]
    browser.get(folio.base + "/browse")
    assert path_of(browser) == "/login"


def test_language_switch_to_russian_and_back(folio, editor, browser, open_browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    content = b"PK\x03\x04 a short report"
    entry = folio.new_file("report.docx", content, owner="alice")
    sign_in(browser, folio, "alice")
    assert header_texts(browser) == ["Files", "Shared with me", "Trash"]
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"

    # Switching on the trash page comes back to the trash page, in Russian.
    browser.get(folio.base + "/trash")
    switch_language(browser, "ru")
    assert path_of(browser) == "/trash"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    assert text(browser, "main h1") == "Корзина"
    assert text(browser, "main") == "Корзина\nКорзина пуста."
    assert header_texts(browser) == ["Файлы", "Доступные мне", "Корзина"]
    assert browser.find_element(By.CSS_SELECTOR, "form.languages button[aria-pressed=true]").get_attribute("value") == "ru"
    assert folio.store.user("alice")["language"] == "ru"

    # The choice holds on other pages, in the listing's labels and sizes too.
    browser.get(folio.base + "/browse")
    assert [li.text for li in browser.find_elements(By.CSS_SELECTOR, "nav.crumbs li")] == ["Файлы"]
    assert text(browser, "label[for=upload-input]") == "Загрузить файлы"
    assert [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.listing th")][:3] == ["Имя ↑", "Размер", "Изменён"]
    report = row(browser, "report.docx")
    assert report.find_element(By.CSS_SELECTOR, "td.size").get_attribute("textContent") == "%d\u00a0Б" % len(content)
    assert "Скачать" in report.text and "Переименовать" in report.text
    browser.screenshot("pages-russian-listing")

    # The editor is asked for Russian (UI_LLCC = ru-RU in the action URL).
    click(browser, "a.item.file", "opening the document", within=report)
    with browser.in_frame():
        browser.wait_text("handshake", "Host_PostmessageReady received")
        assert browser.text_of("ui") == "ru-RU"
    assert editor.last_session().ui == "ru-RU"
    assert editor.editor_posts()[-1].query["ui"] == ["ru-RU"]

    # A second browser that asks for English gets the user's choice after signing in.
    other = open_browser("second")
    other.get(folio.base + "/login")
    assert text(other, "main h1") == "Sign in"
    sign_in(other, folio, "alice")
    assert header_texts(other) == ["Файлы", "Доступные мне", "Корзина"]

    # And back to English: pages and editor.
    browser.get(folio.base + "/browse")
    switch_language(browser, "en")
    assert path_of(browser).startswith("/browse")
    assert header_texts(browser) == ["Files", "Shared with me", "Trash"]
    assert row(browser, "report.docx").find_element(By.CSS_SELECTOR, "td.size").get_attribute("textContent") == "%d\u00a0B" % len(content)
    assert folio.store.user("alice")["language"] == "en"
    browser.get(folio.base + "/files/%s/edit" % entry["id"])
    with browser.in_frame():
        browser.wait_text("handshake", "Host_PostmessageReady received")
        assert browser.text_of("ui") == "en-US"
    assert editor.last_session().ui == "en-US"


def test_administrator_adds_disables_and_enables_a_user(folio, editor, browser, open_browser):
    folio.user_add("root", "Rita Root", password=PASSWORD, admin=True)
    sign_in(browser, folio, "root")
    assert "Users" in header_texts(browser)
    browser.get(folio.base + "/admin/users")
    assert [tr.get_attribute("data-login") for tr in browser.find_elements(By.CSS_SELECTOR, "tr[data-login]")] == ["root"]

    # Add Carol with a password.
    carol_password = "carol-password-1"
    fill(browser, {"new-login": "carol", "new-name": "Carol Danvers", "new-password": carol_password})
    click(browser, "#add-user", "adding a user")
    assert text(browser, "main .notice") == "Done."
    cells = [td.text for td in row_of(browser, "carol").find_elements(By.TAG_NAME, "td")][:4]
    assert cells == ["carol", "Carol Danvers", "no", "no"], cells
    assert users(folio)[-1] == {"login": "carol", "display_name": "Carol Danvers", "is_admin": 0, "disabled": 0}
    browser.screenshot("pages-admin-users")
    # Logins are unique regardless of case: a second "Carol" is refused with a message.
    fill(browser, {"new-login": "Carol", "new-name": "Another Carol", "new-password": "another-password"})
    click(browser, "#add-user", "adding a user with a taken login")
    assert "A user with login Carol already exists." in text(browser, "main .error")
    assert [u["login"] for u in users(folio)] == ["root", "carol"]

    # Carol signs in in her own browser; she is no administrator.
    carol = open_browser("carol")
    sign_in(carol, folio, "carol", carol_password)
    assert text(carol, "header .who") == "Carol Danvers"
    assert "Users" not in header_texts(carol)
    assert request(folio, "GET", "/admin/users", cookie=session_cookie(carol)).status == 403
    # She has a document open in the editor.
    notes = folio.new_file("carol notes.docx", b"PK\x03\x04 carol's notes", owner="carol")
    carol.get("%s/files/%s/edit" % (folio.base, notes["id"]))
    with carol.in_frame():
        carol.wait_text("handshake", "Host_PostmessageReady received")
        assert carol.text_of("user-name") == "Carol Danvers"
    carol_editor = editor.last_session()

    # Disabled: her open session is refused at the next page load, and she cannot sign in.
    click(browser, "form[action$='/disable'] button", "disabling carol", within=row_of(browser, "carol"))
    assert text(browser, "main .notice") == "Done."
    assert [td.text for td in row_of(browser, "carol").find_elements(By.TAG_NAME, "td")][3] == "yes"
    assert users(folio)[-1]["disabled"] == 1
    secret = session_cookie(carol)
    assert editor.check_file_info(carol_editor)[0] in (401, 403, 404)     # her editor's token too
    carol.get(folio.base + "/browse")
    assert path_of(carol) == "/login", carol.current_url
    answer = request(folio, "GET", "/browse", cookie=secret)
    assert answer.status == 303 and answer.location.startswith("/login"), answer
    fill(carol, {"login": "carol", "password": carol_password})
    click(carol, "form[action='/login'] button[type=submit]", "signing in while disabled")
    assert path_of(carol) == "/login"
    assert text(carol, ".error") == "This account is disabled."
    assert session_cookie(carol) in (None, secret)     # no new session; the old one is dead
    carol_id = folio.store.user("carol")["id"]
    assert folio.store.query("SELECT count(*) AS n FROM web_sessions WHERE user_id = ?", carol_id) == [{"n": 0}]

    # Enabled again, with a new password set by the administrator: the new one works.
    click(browser, "form[action$='/enable'] button", "enabling carol", within=row_of(browser, "carol"))
    assert users(folio)[-1]["disabled"] == 0
    new_password = "carol-password-2"
    form = row_of(browser, "carol").find_element(By.CSS_SELECTOR, "form[action$='/password']")
    form.find_element(By.NAME, "password").send_keys(new_password)
    loads_new_page(browser, form.find_element(By.TAG_NAME, "button").click, "setting carol's password")
    assert text(browser, "main .notice") == "Done."
    sign_in(carol, folio, "carol", new_password)
    assert text(carol, "header .who") == "Carol Danvers"
    sign_out(carol)
    fill(carol, {"login": "carol", "password": carol_password})
    click(carol, "form[action='/login'] button[type=submit]", "signing in with the old password")
    assert text(carol, ".error") == "Wrong login or password."


def row_of(browser, login):
    return browser.find_element(By.CSS_SELECTOR, "tr[data-login='%s']" % login)


def elsewhere(editor):
    """A local path that browsers read as another site: "/\\host:port/…" is "//host:port/…" to them
    (the stand-in editor's server plays the other site)."""
    return "/\\%s/favicon.svg" % urllib.parse.urlsplit(editor.base).netloc


def test_sign_in_never_sends_the_browser_to_another_site(folio, editor, browser):
    folio.user_add("alice", "Alice Liddell", password=PASSWORD)
    browser.get(folio.base + "/login?next=" + urllib.parse.quote(elsewhere(editor)))
    fill(browser, {"login": "alice", "password": PASSWORD})
    click(browser, "form[action='/login'] button[type=submit]", "signing in")
    assert browser.current_url.startswith(folio.base + "/"), browser.current_url


def test_language_switch_never_sends_the_browser_to_another_site(folio, editor, browser):
    browser.get(folio.base + "/login")
    # What a form on another site can post: the language switch with its own `back`.
    browser.execute_script("document.querySelector('form.languages input[name=back]').value = arguments[0]",
                           elsewhere(editor))
    switch_language(browser, "ru")
    assert browser.current_url.startswith(folio.base + "/"), browser.current_url


def test_an_administrator_breaks_a_lock_an_editor_left_behind(folio, editor, browser):
    """An editor locked a document and went away (crashed, redeployed): the locks page shows
    the document, whose editor holds it and until when; breaking it frees the document at
    once, and the editor's next save under the old lock is refused (409)."""
    folio.user_add("root", "Rita Root", password=PASSWORD, admin=True)
    folio.user_add("dora", "Dora Diaz")
    doc = folio.new_file("budget.xlsx", b"PK\x03\x04 budget", owner="dora")
    token = folio.token(doc["id"], "dora")["accessToken"]
    assert wopi(folio, "POST", "/wopi/files/%s" % doc["id"], token,
                headers={"X-WOPI-Override": "LOCK", "X-WOPI-Lock": "left-behind"}).status == 200

    sign_in(browser, folio, "root")
    assert "Locks" in header_texts(browser)
    browser.get(folio.base + "/admin/locks")
    row = browser.find_element(By.CSS_SELECTOR, 'tr[data-file="%s"]' % doc["id"])
    # Columns: name, holder, editor, since, until, lock id, actions. A token for no editor: no editor.
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert cells[:3] == ["budget.xlsx", "dora", "\u2013"] and cells[5] == "left-behind", cells
    since, until = [t.get_attribute("datetime") for t in row.find_elements(By.TAG_NAME, "time")]
    assert since.endswith("Z") and until.endswith("Z") and since < until and cells[3] and cells[4], (since, until, cells)
    browser.screenshot("pages-admin-locks")
    row.find_element(By.CSS_SELECTOR, "button.danger").click()
    browser.wait_until(lambda d: d.find_elements(By.CSS_SELECTOR, "main .notice"), "the page after breaking the lock")
    assert text(browser, "main .notice") == "Done."
    assert text(browser, "main .empty") == "No document is locked."

    # The document is free; the editor that held the lock is refused when it saves.
    r = wopi(folio, "POST", "/wopi/files/%s/contents" % doc["id"], token, body=b"late save",
             headers={"X-WOPI-Override": "PUT", "X-WOPI-Lock": "left-behind"})
    assert r.status == 409 and r.headers.get("x-wopi-lock") == "", r
    assert wopi(folio, "POST", "/wopi/files/%s" % doc["id"], token,
                headers={"X-WOPI-Override": "LOCK", "X-WOPI-Lock": "next-editor"}).status == 200
