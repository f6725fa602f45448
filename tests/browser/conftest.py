"""The console in a real browser: Debian's Chromium driven by Playwright, against the service
served by uvicorn on a free port, on the embedded store with the demo district seeded and a
clock the test moves. Each test's last page is saved to tests/output/browser/<test>.png."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from services.api.main import create_app
from services.bootstrap import Container, build
from services.demo import seed
from services.settings import Settings
from tests.support import FakeClock

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "output" / "browser"
QUIET_CHROMIUM = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TABLET = {"width": 1024, "height": 1366}


@dataclass
class Site:
    base: str
    container: Container
    clock: FakeClock


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail("Chromium is not installed: `bash deploy/local/packages.sh ensure` installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    clock = FakeClock()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'events.sqlite3'}",
        var_dir=tmp_path,
        projection_poll_seconds=0.05,
        watch_poll_seconds=0.1,
        audit_checkpoint_seconds=0.2,
    )
    container = build(settings, clock=clock)
    seed(container.app)
    port = _free_port()
    config = uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the console did not start serving"
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", container, clock)
    finally:
        server.should_exit = True
        thread.join(10)
        container.close()


@pytest.fixture
def page(browser: Browser, site: Site, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(base_url=site.base, viewport=TABLET, locale="zh-CN")
    context.set_default_timeout(10_000)
    shown = context.new_page()
    try:
        yield shown
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        shown.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        print(f"last page: {shown.url} → tests/output/browser/{name}.png")
        context.close()


def sign_in(page: Page, officer: str) -> None:
    page.goto("/console/signin")
    page.locator(f'button[data-officer="{officer}"]').click()
    expect(page.locator(".who")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/console/signin"))


def take(page: Page, act: str, **answers: str) -> None:
    """Takes an act offered on the page: opens its form, fills its answers by field name, and
    waits for the page the act leads to."""
    form = page.locator(f'form[data-act="{act}"]')
    expect(form).to_have_count(1)
    panel = page.locator("details.act-panel", has=form)
    if panel.count() and not panel.evaluate("d => d.open"):
        panel.locator("summary").click()
    for name, value in answers.items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    before = page.url
    form.locator('button[type="submit"]').click()
    page.wait_for_url(lambda url: url != before)
    expect(page.locator(".problem")).to_have_count(0)


def offered(page: Page) -> set[str]:
    return set(page.locator("form.act").evaluate_all("fs => fs.map(f => f.dataset.act)"))
