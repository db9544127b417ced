"""`servicehall init`: the first centre of a fresh installation (ORG-1), its office's admin account and
its policy from a preset, in one transaction. Optionally an installation superuser for the admin site."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from servicehall.core.errors import InputError
from servicehall.org.models import Centre, Staff
from servicehall.org.services import create_centre, create_staff
from servicehall.policy.loader import preset_names
from servicehall.policy_versions.services import ensure_centre_policy


@dataclass(frozen=True)
class InitResult:
    centre: Centre
    admin: Staff
    policy_ref: str
    superuser: str | None


@transaction.atomic
def init_installation(
    *,
    centre_code: str,
    centre_name: str,
    admin_username: str,
    admin_name: str,
    admin_password: str,
    preset: str,
    kind: str = Centre.Kind.COUNTY,
    superuser: str | None = None,
    superuser_password: str | None = None,
) -> InitResult:
    """All or nothing: a bad preset or a weak password leaves the database as it was."""
    if preset not in preset_names():
        raise InputError("--preset", f"unknown preset {preset!r}; choose one of {', '.join(preset_names())}")
    if Centre.objects.filter(code=centre_code).exists():
        raise InputError("--centre-code", f"centre {centre_code!r} already exists")
    centre = create_centre(code=centre_code, name=centre_name, kind=kind, actor=None)
    version = ensure_centre_policy(centre=centre, preset=preset)
    admin = create_staff(
        centre_id=centre.pk, name=admin_name, staff_no=f"{centre_code}-admin", role=Staff.Role.CENTRE_ADMIN,
        username=admin_username, password=admin_password, actor=None,
    ).staff  # fmt: skip
    made_superuser = None
    if superuser:
        user_model = get_user_model()
        if user_model.objects.filter(username=superuser).exists():
            raise InputError("--superuser", f"login {superuser!r} already exists")
        if not superuser_password:
            raise InputError("--superuser-password", "the superuser needs a password")
        user_model.objects.create_superuser(username=superuser, password=superuser_password, email="")
        made_superuser = superuser
    return InitResult(centre, admin, version.ref, made_superuser)
