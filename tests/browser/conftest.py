"""Fixtures for Folio's web pages in a real Chromium (stage `browser` of scripts/test).

Every test gets its own world, started fresh and stopped after it:

    editor        a stand-in office suite on 127.0.0.1 (standin_editor.StandInEditor): WOPI
                  discovery, an editor page that calls Folio's CheckFileInfo with the posted
                  token and speaks the postMessage protocol, a record of every request
    folio         `folio serve` on a free loopback port with an empty data folder and
                  `--editor collabora=<the stand-in's discovery URL>`, plus the command line
                  on the same folder (folio_server.Folio: user_add, new_file, share, open,
                  versions, setup_url, …) and read-only looks at its store (folio.store:
                  database rows, blob files)
    browser       headless Chromium at 1280x900 (chromium.Browser): browser.get(url),
                  browser.screenshot(name), browser.wait_text(id, text), browser.in_frame()
    open_browser  open_browser(name) starts another, independent Chromium (its own profile:
                  no shared cookies), e.g. for a guest beside the owner
    space         an empty folder, tmp_path/space
    space_folio   `folio` with that folder as the space "docs" (--space docs=folder:PATH)

web.py has the helpers for Folio's own pages (sign in, forms, listings, uploads with progress,
HTTP requests with a browser's cookie); the tests are test_host_page.py (the host page from a
`folio open` link), test_accounts.py, test_files.py, test_documents.py, test_sharing.py,
test_spaces.py (a folder space's pages), test_editing_sessions.py (saves folded by editing
session, the lock panel on the versions page) and test_previews.py (thumbnails, the preview
page, its PDF and conversions).

Output: screenshots in $FOLIO_SCREENSHOTS (default test-output/screenshots/), server and
chromedriver logs in $FOLIO_TEST_OUTPUT/browser-logs/ (default test-output/browser-logs/).
When a test fails, each of its browsers leaves FAILED-<test>-<browser>.png and .html there.

A missing folio binary, chromium, chromedriver or Python module is an error, never a skip.
Run by hand:  python3 -m pytest -q tests/browser   (after `swift build --product folio`)
"""

import os
import re
import sys

import pytest

# tests/lib (folio_process: the `folio serve` every Python suite starts) is importable by name.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

from chromium import Browser  # noqa: E402  (after the path above)
from folio_process import ROOT  # noqa: E402
from folio_server import Folio  # noqa: E402
from standin_editor import StandInEditor

TEST_OUTPUT = os.environ.get("FOLIO_TEST_OUTPUT") or os.path.join(ROOT, "test-output")
SCREENSHOTS = os.environ.get("FOLIO_SCREENSHOTS") or os.path.join(TEST_OUTPUT, "screenshots")
LOGS = os.path.join(TEST_OUTPUT, "browser-logs")


def _slug(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)[:80]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "report_" + report.when, report)


@pytest.fixture
def editor():
    """The stand-in office suite, started before Folio (Folio is given its discovery URL)."""
    e = StandInEditor().start()
    yield e
    e.stop()


def _serve(request, data, editor, extra_args=()):
    """`folio serve` on `data` using the stand-in editor, logging to browser-logs/; started."""
    os.makedirs(LOGS, exist_ok=True)
    f = Folio(data, os.path.join(LOGS, "folio-%s.log" % _slug(request.node.name)),
              editors=["%s=%s" % (editor.kind, editor.discovery_url)], extra_args=extra_args)
    return f.start()


@pytest.fixture
def folio(request, tmp_path, editor):
    """A fresh `folio serve` using the stand-in editor; no users or files yet."""
    f = _serve(request, tmp_path / "data", editor)
    yield f
    f.stop()


@pytest.fixture
def space(tmp_path):
    """An empty folder (a pathlib.Path) that `space_folio` serves as the space "docs"."""
    folder = tmp_path / "space"
    folder.mkdir()
    return folder


@pytest.fixture
def space_folio(request, tmp_path, editor, space):
    """Like `folio`, with the folder `space` as the space "docs" (`--space docs=folder:PATH`,
    kept in `extra_args` for commands that need the same option, e.g. `folio space grant`).
    Nobody holds a role on it yet."""
    f = _serve(request, tmp_path / "data", editor, ["--space", "docs=folder:%s" % space])
    yield f
    f.stop()


@pytest.fixture
def open_browser(request):
    """A factory: open_browser(name) starts one more independent headless Chromium."""
    made = []

    def open_one(name="second"):
        os.makedirs(LOGS, exist_ok=True)
        b = Browser("%s-%s" % (_slug(request.node.name), name), SCREENSHOTS, LOGS)
        b.label = name
        made.append(b)
        return b

    yield open_one
    failed = any(getattr(getattr(request.node, "report_" + when, None), "failed", False)
                 for when in ("setup", "call"))
    for b in made:
        if failed and b.driver is not None:
            _keep_evidence(b, "FAILED-%s-%s" % (_slug(request.node.name), b.label))
        b.quit()


@pytest.fixture
def browser(open_browser):
    """The test's main headless Chromium."""
    return open_browser("main")


def _keep_evidence(b, stem):
    """A screenshot, the top page's HTML and the console log of a browser whose test failed."""
    try:
        b.driver.switch_to.default_content()
        b.screenshot(stem)
        with open(os.path.join(SCREENSHOTS, stem + ".html"), "w") as f:
            f.write("<!-- %s -->\n" % b.driver.current_url)
            f.write(b.driver.page_source)
            for entry in b.console_log():
                f.write("\n<!-- console: %s -->" % str(entry).replace("--", "- -"))
    except Exception as e:  # noqa: BLE001 - evidence is best effort; the test's own failure is reported
        print("could not keep evidence of %s: %s" % (stem, e))
