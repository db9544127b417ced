"""The page may reach the ID-card agent and nothing else (INT-2: CSP connect-src), and knows its address."""

from __future__ import annotations

from django.conf import settings
from django.test import RequestFactory

from servicehall.devices.context import id_agent


def test_int_2__csp_connect_src_allows_self_and_the_id_agent_only():
    sources = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"]
    assert sources == ["'self'", settings.SERVICEHALL_ID_AGENT_URL]
    assert settings.SERVICEHALL_ID_AGENT_URL.startswith("http://127.0.0.1:")


def test_case_1__templates_get_the_agent_address(settings):
    settings.SERVICEHALL_ID_AGENT_URL = "http://127.0.0.1:9999"
    assert id_agent(RequestFactory().get("/")) == {"id_agent_url": "http://127.0.0.1:9999"}
