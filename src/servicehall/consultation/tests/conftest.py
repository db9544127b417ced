"""Consultation tests run at the case tests' fixed 'now' (the deadline of a promise is counted in working days)."""

from servicehall.cases.tests.conftest import _fixed_now

__all__ = ["_fixed_now"]
