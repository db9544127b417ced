"""Throttles (限流) for public endpoints, counted in Django's cache with django-ratelimit.

`client_ip()` is the one answer to "who is asking": REMOTE_ADDR, unless the app runs behind trusted
proxies (SERVICEHALL_TRUSTED_PROXY_COUNT ≥ 1), in which case it is the address the outermost trusted
proxy saw, taken from the right of SERVICEHALL_TRUSTED_PROXY_HEADER (default X-Forwarded-For). Entries a
client writes itself sit further left and are ignored, so the header cannot be used to dodge a limit.
Rates come from settings (SERVICEHALL_THROTTLE_*); per-phone and per-account limits live with their rules
(queue appointments, django-axes login lockout). See docs/security.md.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited  # type: ignore[import-untyped]  # Optional narrowing left to the domain's owner

from servicehall.core.errors import Throttled


def client_ip(request: HttpRequest) -> str:
    proxies = int(getattr(settings, "SERVICEHALL_TRUSTED_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if proxies <= 0:
        return remote
    header = getattr(settings, "SERVICEHALL_TRUSTED_PROXY_HEADER", "HTTP_X_FORWARDED_FOR")
    hops = [h.strip() for h in request.META.get(header, "").split(",") if h.strip()]
    if len(hops) < proxies:
        return remote  # not through the proxy chain we were told about: fall back to the socket
    return hops[-proxies]  # type: ignore[no-any-return]  # Optional narrowing left to the domain's owner


def client_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit key function."""
    return client_ip(request)


def axes_client_ip(request: HttpRequest) -> str:
    """django-axes AXES_CLIENT_IP_CALLABLE."""
    return client_ip(request)


def rate_for(name: str, default: str) -> str:
    return str(getattr(settings, "SERVICEHALL_THROTTLES", {}).get(name, default))


def throttled(request: HttpRequest, *, group: str, rate: str, key: str | None = None) -> bool:
    """Count this request against `group` for this client (or `key`); True once over `rate` ("20/m")."""
    return is_ratelimited(  # type: ignore[no-any-return]  # Optional narrowing left to the domain's owner
        request,
        group=f"servicehall:{group}",
        key=(lambda g, r: key) if key is not None else client_key,
        rate=rate,
        increment=True,
    )


def wait_message(rate: str) -> str:
    """'请求过于频繁，请 N 分钟后再试。' for a rate such as '20/10m'."""
    period = rate.partition("/")[2] or "m"
    digits = "".join(c for c in period if c.isdigit())
    unit = period[len(digits) :] or "m"
    seconds = int(digits or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit[0], 60)
    minutes = max(1, -(-seconds // 60))
    return f"请求过于频繁，请 {minutes} 分钟后再试。"


TICKETS_RATE = "20/m"  # a kiosk issues a ticket every few seconds at most; a script issues hundreds
APPOINTMENTS_RATE = "10/h"


def check_anonymous_tickets(request: HttpRequest) -> None:
    """Anonymous ticket issue (kiosk, public API) per client; staff at a window are not limited."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return
    rate = rate_for("tickets", TICKETS_RATE)
    if throttled(request, group="queue:tickets", rate=rate):
        raise Throttled("取号过于频繁。" + wait_message(rate), rate=rate)


def check_booking_rate(request: HttpRequest) -> None:
    rate = rate_for("appointments", APPOINTMENTS_RATE)
    if throttled(request, group="queue:appointments", rate=rate):
        raise Throttled("预约过于频繁。" + wait_message(rate), rate=rate)
