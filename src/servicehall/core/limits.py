"""Input limits read from settings (SERVICEHALL_UPLOAD_*, SERVICEHALL_MAX_REQUEST_MB); see docs/security.md."""

from __future__ import annotations

from django.conf import settings

from servicehall.core.uploads import UploadLimits


def upload_limits() -> UploadLimits:
    """The limits one uploaded file must keep (web form, API); the command line uses its own."""
    return UploadLimits(**getattr(settings, "SERVICEHALL_UPLOAD_LIMITS", {}))
