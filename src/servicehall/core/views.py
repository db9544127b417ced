"""The operation-log search page (服务日志台账查询, CASE-9) for the auditor and the supervision office, and
/.well-known/security.txt (RFC 9116): where to report a vulnerability."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from servicehall.core import access
from servicehall.core.audit_labels import role_label, verb_label
from servicehall.core.models import AuditEntry

PAGE_SIZE = 50


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    """Filters: action (prefix), person, record type and id, request id, date range; newest first."""
    centres = access.centres_for(request.user, "audit", "read")
    if centres is not None and not centres:
        raise Http404  # the page does not exist for roles without the log (access matrix)
    qs = AuditEntry.objects.all()
    if centres is not None:
        qs = qs.filter(centre_id__in=centres)
    q = {
        k: request.GET.get(k, "").strip()[:80] for k in ("verb", "actor", "target", "target_id", "request_id")
    }
    since, until = _date(request.GET.get("from", "")), _date(request.GET.get("to", ""))
    if q["verb"]:
        qs = qs.filter(verb__startswith=q["verb"])
    if q["actor"]:
        qs = qs.filter(actor_name__icontains=q["actor"])
    if q["target"]:
        qs = qs.filter(target_type__icontains=q["target"])
    if q["target_id"]:
        qs = qs.filter(target_id=q["target_id"])
    if q["request_id"]:
        qs = qs.filter(request_id=q["request_id"])
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    page = Paginator(qs.order_by("-at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.role_label = role_label(entry.actor_role)  # type: ignore[attr-defined]
        entry.verb_label = verb_label(entry.verb)  # type: ignore[attr-defined]
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {
            "page": page,
            "q": q,
            "since": since,
            "until": until,
            "query": keep.urlencode(),
        },
    )


SECURITY_TXT_DAYS = 180  # RFC 9116 §2.5.5: Expires less than a year ahead, so a stale file is noticed


def security_contact() -> str:
    """SERVICEHALL_SECURITY_CONTACT as a URI: an address without a scheme becomes mailto:."""
    contact = settings.SERVICEHALL_SECURITY_CONTACT.strip()
    if "@" in contact and ":" not in contact:
        contact = f"mailto:{contact}"
    return contact


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: Contact and Expires (required; Expires computed, so it never lapses while the site
    runs), the languages we answer in and the canonical address of this file."""
    expires = (timezone.now() + dt.timedelta(days=SECURITY_TXT_DAYS)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    lines = [
        f"Contact: {security_contact()}",
        f"Expires: {expires.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: zh, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
