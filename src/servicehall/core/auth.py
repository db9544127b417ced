"""Login lockout (登录锁定) per account with django-axes."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # Optional narrowing left to the domain's owner
    """django-axes' check, skipped when there is no request (the command line, `manage.py shell`):
    lockout protects the login page and API, where every attempt comes with a request."""

    def authenticate(  # type: ignore[no-untyped-def]  # Optional narrowing left to the domain's owner
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
