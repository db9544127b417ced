"""The demo centre for the site's browser tests; the browser itself comes from `core.tests.browser`."""

from __future__ import annotations

from servicehall.site.demo import DEMO_PASSWORD

DEMO_CENTRE = "demo-county"
__all__ = ["DEMO_CENTRE", "DEMO_PASSWORD", "build_demo_centre"]


def build_demo_centre(*, activity: bool = True) -> None:
    from django.utils import timezone

    from servicehall.site.demo import build_demo
    from servicehall.workdays.models import CalendarDay
    from servicehall.workdays.selectors import forget_calendar
    from servicehall.workdays.services import refresh_from_package

    # A transactional test that ran before this one flushed the calendar rows the migration seeds.
    if not CalendarDay.objects.exists():
        refresh_from_package(today=timezone.localdate())
    forget_calendar()
    build_demo(activity=activity)
