"""Shared set-up of the browser tests (`@pytest.mark.browser`): Debian's chromium with one set of flags, the
screen sizes the citizen and staff pages are checked at, the `browser` fixture, the horizontal-scroll and
axe-core checks, doc screenshots, and `wait_until`.

The fixtures are registered for every test by the root conftest (`pytest_plugins`); a test that needs two
browsers or a page before its data exists uses the `chromium()` context manager instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1280, "height": 800}
DESKTOP = {"width": 1440, "height": 900}
KIOSK = {"width": 1080, "height": 1920}
DISPLAY = {"width": 1920, "height": 1080}
SCREENSHOT_DIR = Path(__file__).resolve().parents[4] / "docs" / "img"


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless chromium for the length of the block."""
    from playwright.sync_api import sync_playwright

    # factories and the ORM run beside Playwright's event loop in the same thread
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, viewport: dict[str, int] | None = None, **options: Any) -> Any:
    """A page in its own context (own cookies) at `viewport` (desktop by default), in Chinese."""
    # bypass_csp: axe-core is injected as a script; the site's own CSP forbids inline scripts.
    context = browser.new_context(viewport=viewport or DESKTOP, locale="zh-CN", bypass_csp=True, **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Any) -> Any:
    return new_page(browser)


def sign_in(
    page: Any, base_url: str, username: str, password: str, *, landing: str = "**/dashboard/"
) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    if landing:
        page.wait_for_url(landing)


def wait_until(page: Any, expression: str, *, timeout: float = 5000) -> None:
    """Poll a JavaScript expression until it is truthy.

    Playwright's `wait_for_function` with a string evaluates it inside the page, which the
    Content-Security-Policy (no 'unsafe-eval') refuses; `page.evaluate` runs from the driver instead.
    """
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(f"!!({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout:.0f} ms: {expression}")
        time.sleep(0.05)


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the screen (0 = no horizontal scroll)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def serious_violations(page: Any) -> list[str]:
    """axe-core (bundled with axe-playwright-python, nothing fetched) — serious and critical findings."""
    import axe_playwright_python

    source = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    page.evaluate(source)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def screenshot(page: Any, name: str, *, full_page: bool = False) -> None:
    """Docs screenshots are regenerated from the tests: SERVICEHALL_SCREENSHOTS=1 pytest -m browser."""
    if os.environ.get("SERVICEHALL_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=full_page)
