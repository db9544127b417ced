"""Rate limit of the public progress query (CASE-10): per client address, in Django's cache."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from servicehall.cases.policies import policies_for

PROGRESS_NOT_FOUND = "未查询到匹配的办件。请核对办件编号和查询码（或申请人手机号、证件号码后四位）。"


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check_progress_rate(request: HttpRequest) -> str:
    """'' when the query may run; otherwise the message to show (CASE-10: guessing codes is throttled)."""
    policy = policies_for(None).cases
    key = f"servicehall:cases:progress:{client_address(request)}"
    cache.add(key, 0, timeout=policy.progress_query_window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=policy.progress_query_window_seconds)
        count = 1
    if count > policy.progress_query_limit:
        minutes = max(1, policy.progress_query_window_seconds // 60)
        return f"查询过于频繁，请 {minutes} 分钟后再试 (CASE-10)。"
    return ""
