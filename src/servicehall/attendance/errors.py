"""Attendance errors (考勤). Django-free."""

from __future__ import annotations

from servicehall.core.errors import InputError

MAX_REPORTED_ERRORS = 50


class PunchFileRejected(InputError):
    """A punch file with bad rows: nothing was imported; `errors` lists each bad row."""

    def __init__(self, filename: str, errors: list[str]) -> None:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = f"\n  … and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        super().__init__(
            filename,
            f"{len(errors)} bad row(s), nothing imported:\n  " + "\n  ".join(shown) + more,
            errors=shown,
            count=len(errors),
        )
        self.errors = errors
