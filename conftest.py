"""Project-wide test settings: a fixed Hypothesis profile so CI runs are repeatable."""

import pytest
from hypothesis import HealthCheck, settings

# the browser tests' `browser` and `page` fixtures (one chromium launch for every domain's tests)
pytest_plugins = ["servicehall.core.tests.browser"]

settings.register_profile(
    "ci", max_examples=60, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts without cached policies, calendar or live estimate inputs: a rolled-back row fires
    no signal, and the next test's rows reuse its ids."""
    from servicehall.queue.config import clear_policy_cache
    from servicehall.queue.selectors import forget_live_inputs
    from servicehall.workdays.selectors import forget_calendar

    for forget in (clear_policy_cache, forget_calendar, forget_live_inputs):
        forget()
    yield
    for forget in (clear_policy_cache, forget_calendar, forget_live_inputs):
        forget()


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """A cheap hasher in tests: the production hasher's cost is the point of it, and tests log in often."""
    # the production hashers stay listed: accounts a module-wide fixture made before this still log in
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
