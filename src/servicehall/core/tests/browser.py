"""Helpers for the browser tests."""

from __future__ import annotations

import time
from typing import Any


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
