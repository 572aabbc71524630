"""Headless Chromium through Selenium for the browser tests: Debian's chromium and
chromedriver (never a downloaded browser: Selenium Manager is not used).

A `Browser` wraps one WebDriver session (its own temporary profile, so two of them share no
cookies or storage: one can be a guest while the other is the owner). It passes unknown
attributes on to the WebDriver, so `browser.get(url)`, `browser.title`,
`browser.find_element(...)` work as on the driver itself.
"""

import contextlib
import os
import re
import shutil
import tempfile

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("FOLIO_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FOLIO_CHROMEDRIVER", "/usr/bin/chromedriver")
WINDOW = (1280, 900)


class Browser:
    """One headless Chromium. `name` labels its screenshots and its chromedriver log."""

    def __init__(self, name, screenshots_dir, log_dir):
        for path in (CHROMIUM, CHROMEDRIVER):
            if not os.access(path, os.X_OK):
                raise RuntimeError("%s not found (Debian packages chromium and chromium-driver)" % path)
        self.name = name
        self.screenshots_dir = screenshots_dir
        os.makedirs(screenshots_dir, exist_ok=True)
        options = Options()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--window-size=%d,%d" % WINDOW,
                    "--disable-dev-shm-usage", "--lang=en-US", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update"):
            options.add_argument(arg)
        options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # Chromium leaves its singleton-socket folders (org.chromium.Chromium.*) in TMPDIR when
        # it is quit: give it a folder of its own, removed with the browser.
        self.tmpdir = tempfile.mkdtemp(prefix="folio-chromium-")
        service = Service(executable_path=CHROMEDRIVER,
                          log_output=os.path.join(log_dir, "chromedriver-%s.log" % _slug(name)),
                          env=dict(os.environ, TMPDIR=self.tmpdir))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_window_size(*WINDOW)
        self.driver.set_page_load_timeout(30)

    def __getattr__(self, attr):
        return getattr(self.driver, attr)

    def quit(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            finally:
                self.driver = None
                shutil.rmtree(self.tmpdir, ignore_errors=True)

    # ---- helpers ------------------------------------------------------------------------

    def screenshot(self, name):
        """Save the whole window as SCREENSHOTS/NAME.png (NAME made file-safe); the path."""
        path = os.path.join(self.screenshots_dir, _slug(name) + ".png")
        if not self.driver.save_screenshot(path):
            raise RuntimeError("screenshot %s could not be saved" % path)
        return path

    def wait_until(self, condition, what, timeout=15):
        """Wait until `condition(driver)` is truthy and return it; fail naming `what` and the
        page's current URL otherwise."""
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(condition)
        except TimeoutException:
            raise AssertionError("timed out after %ss waiting for %s (page: %s)"
                                 % (timeout, what, self.driver.current_url)) from None

    def wait_text(self, element_id, text, timeout=15):
        """Wait until the element with id `element_id` (in the current frame) shows `text`."""
        def shows(driver):
            found = driver.find_elements(By.ID, element_id)
            return found and text in found[0].text and found[0]
        return self.wait_until(shows, "#%s to show %r" % (element_id, text), timeout)

    def text_of(self, element_id):
        return self.driver.find_element(By.ID, element_id).text

    @contextlib.contextmanager
    def in_frame(self, name_or_id="office_frame"):
        """Run the block inside the iframe (by name or id; the host page's editor frame by
        default), then go back to the top page."""
        self.wait_until(lambda d: d.find_elements(By.CSS_SELECTOR, "iframe#%s, iframe[name=%s]" % (name_or_id, name_or_id)),
                        "iframe %s" % name_or_id)
        self.driver.switch_to.frame(name_or_id)
        try:
            yield self
        finally:
            self.driver.switch_to.default_content()

    def console_log(self):
        """The browser console's entries so far (errors of the page's scripts among them)."""
        try:
            return self.driver.get_log("browser")
        except Exception:  # noqa: BLE001 - a log that cannot be read must not hide the real failure
            return []


def _slug(name):
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "screenshot"
