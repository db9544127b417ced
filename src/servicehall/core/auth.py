"""Login lockout (登录锁定) per account with django-axes, and the signed-in user read with their staff record."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
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


class StaffUserBackend(ModelBackend):
    """Django's password backend, except that a signed-in request reads the user together with their
    staff record (one join instead of two queries): every staff page and API call asks for the role and
    the centre (core.roles.staff_of), and a user without one (a citizen, a bare superuser) is known as
    such without another query."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("staff").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
