"""A real ``streamlit run`` server on localhost and Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ROOT

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
COMMITTED_SCREENSHOTS = ROOT / "docs" / "screenshots"  # refreshed only by scripts/screenshots


def chromium_path() -> str | None:
    for candidate in (os.environ.get("DSA_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(port: int, env: dict, log: Path, *, host: str = "127.0.0.1", args: tuple[str, ...] = ()):
    """``streamlit run streamlit_app.py`` on ``host:port`` until the block ends; yields its URL once healthy."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.port", str(port),
             "--server.address", host, "--server.headless", "true", "--browser.gatherUsageStats", "false", *args],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://{host}:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"streamlit did not start:\n{log.read_text(errors='replace')}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {**os.environ, "DSA_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('store') / 'dsa.sqlite3'}"}
    with streamlit_server(_free_port(), env, tmp_path_factory.mktemp("log") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; scripts/test installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (scripts/test installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    page.goto(server)
    page.get_by_role("heading", name="Partnership model").wait_for()
    yield page
    context.close()


def wait_idle(page) -> None:
    """Until Streamlit has finished running the script and drawing what it sent (no element left stale)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=120_000)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=120_000)
    page.locator('[data-testid="stElementContainer"][data-stale="true"]').first.wait_for(
        state="detached", timeout=120_000)


def click_until(page, button, outcome, *, attempts: int = 3) -> None:
    """Click ``button`` until ``outcome`` (a locator) shows, for actions that are the same done twice (applying
    a form). A click that lands while the page is being redrawn can be lost on a loaded machine (seen in
    CI); a person clicks again, and so does the test."""
    for attempt in range(attempts):
        button.click()
        try:
            outcome.wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            wait_idle(page)


def goto_page(page, title: str) -> None:
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("heading", name=title).first.wait_for()
    wait_idle(page)


@pytest.fixture(scope="session", autouse=True)
def screenshot_folder(tmp_path_factory):
    """Where screenshots go: a temporary folder, unless DSA_SCREENSHOTS names one (scripts/screenshots does)."""
    global _FOLDER
    _FOLDER = Path(os.environ["DSA_SCREENSHOTS"]) if os.environ.get("DSA_SCREENSHOTS") else \
        tmp_path_factory.mktemp("screenshots")
    return _FOLDER


_FOLDER: Path | None = None


def screenshot(page, name: str, full_page: bool = False) -> None:
    folder = _FOLDER or Path(os.environ.get("DSA_SCREENSHOTS") or "/tmp/dsa-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label`` (the first one on the page with that label)."""
    box = page.get_by_role("combobox", name=label, exact=True).first
    box.click()
    box.fill(option)  # the list is virtual: filter it so the option is drawn
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_idle(page)


def pick(page, label: str, options: list[str]) -> None:
    """Add ``options`` in the multiselect labelled ``label``."""
    box = page.get_by_role("combobox", name=label, exact=True).first
    for option in options:
        box.click()
        box.fill(option)
        page.get_by_role("option", name=option, exact=True).first.click()
        wait_idle(page)
    page.keyboard.press("Escape")


def type_into(page, label: str, value: str) -> None:
    """Type into the text or number input (or text area) labelled ``label`` and leave it, as a person does."""
    field = page.get_by_label(label, exact=True).first
    field.fill(value)
    field.press("Tab")
    wait_idle(page)


def tick(page, label: str) -> None:
    page.locator('[data-testid="stCheckbox"]').filter(has=page.get_by_text(label, exact=True)).first.click()
    wait_idle(page)


def open_section(page, title: str) -> None:
    """Open the expander titled ``title`` if it is closed."""
    summary = page.locator("summary").filter(has_text=title).first
    details = summary.locator("xpath=..")
    if details.get_attribute("open") is None:
        summary.click()
        wait_idle(page)  # a section's fields are drawn when it opens
