"""Template context: where the page finds the ID-card local agent (docs/id-reader.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def id_agent(request: HttpRequest) -> dict[str, str]:
    return {"id_agent_url": getattr(settings, "SERVICEHALL_ID_AGENT_URL", "")}
