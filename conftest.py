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
def _fresh_policy_cache():
    """Each test starts without cached policies: a rolled-back version fires no signal."""
    from servicehall.queue.config import clear_policy_cache

    clear_policy_cache()
    yield
    clear_policy_cache()
