"""The demo centre for the site's browser tests; the browser itself comes from `core.tests.browser`."""

from __future__ import annotations

from servicehall.site.demo import DEMO_PASSWORD

DEMO_CENTRE = "demo-county"
__all__ = ["DEMO_CENTRE", "DEMO_PASSWORD", "build_demo_centre"]


def build_demo_centre(*, activity: bool = True) -> None:
    from servicehall.site.demo import build_demo

    build_demo(activity=activity)
