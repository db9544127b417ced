"""Shared set-up of the browser tests: Debian's chromium, the four screen sizes the issue names, the demo
centre, sign-in, the horizontal-scroll check, the axe-core accessibility check and doc screenshots."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1280, "height": 800}
KIOSK = {"width": 1080, "height": 1920}
DISPLAY = {"width": 1920, "height": 1080}
DEMO_CENTRE = "demo-county"
SCREENSHOT_DIR = Path(__file__).resolve().parents[4] / "docs" / "img"


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, viewport: dict[str, int], **options: Any) -> Any:
    # bypass_csp: axe-core is injected as a script; the site's own CSP forbids inline scripts.
    context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True, **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")


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


def screenshot(page: Any, name: str) -> None:
    """Docs screenshots are regenerated from the tests: SERVICEHALL_SCREENSHOTS=1 pytest -m browser."""
    if os.environ.get("SERVICEHALL_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"))


def build_demo_centre(*, activity: bool = True) -> None:
    from servicehall.site.demo import build_demo

    build_demo(activity=activity)
