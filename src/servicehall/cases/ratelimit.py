"""Rate limit of the public progress query (CASE-10): per client (core.throttle.client_ip: the trusted
proxy header when configured, else REMOTE_ADDR), counted in Django's cache."""

from __future__ import annotations

from django.http import HttpRequest

from servicehall.cases.policies import policies_for
from servicehall.core.throttle import throttled

PROGRESS_NOT_FOUND = "未查询到匹配的办件。请核对办件编号和查询码（或申请人手机号、证件号码后四位）。"


def check_progress_rate(request: HttpRequest) -> str:
    """'' when the query may run; otherwise the message to show (CASE-10: guessing codes is throttled)."""
    policy = policies_for(None).cases
    rate = f"{policy.progress_query_limit}/{policy.progress_query_window_seconds}s"
    if throttled(request, group="cases:progress", rate=rate):
        minutes = max(1, policy.progress_query_window_seconds // 60)
        return f"查询过于频繁，请 {minutes} 分钟后再试 (CASE-10)。"
    return ""
