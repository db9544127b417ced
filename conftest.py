"""Project-wide test settings: a fixed Hypothesis profile so CI runs are repeatable."""

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")
