"""`servicehall queue ...`: end-of-day housekeeping for the hall queue (Q-1, Q-2)."""

from __future__ import annotations

import argparse
from datetime import date

from servicehall.core.errors import InputError


def _run(args: argparse.Namespace) -> int:
    from servicehall.core.runtime import setup_django

    setup_django()
    from django.utils import timezone

    from servicehall.org.models import Centre
    from servicehall.queue import services

    if args.action == "no-shows":
        print(f"{services.record_no_shows()} appointment(s) recorded as no-show (Q-2)")
        return 0
    try:
        day = date.fromisoformat(args.day) if args.day else timezone.localdate()
    except ValueError:
        raise InputError("--day", f"not a date (YYYY-MM-DD): {args.day!r}") from None
    total = sum(services.close_day(centre_id=c.pk, day=day) for c in Centre.objects.all())
    print(f"{total} waiting ticket(s) up to {day} closed as abandoned (Q-1)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queue", help="hall queue housekeeping: no-shows, close-day")
    p.add_argument("action", choices=["no-shows", "close-day"])
    p.add_argument("--day", help="close-day: last day to close (default today)")
    p.set_defaults(func=_run)
