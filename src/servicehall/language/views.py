"""Pages of the service-language domain: live reply check (htmx), training list, bulk transcript review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from servicehall.core.errors import Forbidden, InputError
from servicehall.core.roles import Role, require_role
from servicehall.language.matcher import check_reply
from servicehall.language.selectors import overrides_visible_to, policy_for
from servicehall.language.transcripts import bulk_review, parse_any_transcript

REVIEW_ROLES = (Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.CHIEF_REP, Role.AUDITOR)
MAX_CHECK_CHARS = 20_000
SITUATION_LABELS = {
    "greeting": "接待问候",
    "asking_materials": "请出示材料",
    "missing_materials": "材料不全",
    "refusal": "不能办理",
    "system_failure": "系统故障",
    "complaint": "意见投诉",
    "crowding": "人多拥挤",
    "lunch_break": "午间值班",
    "farewell": "送别",
    "phone": "接听电话",
}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@login_required
@require_POST
def check_fragment(request: HttpRequest) -> HttpResponse:
    """htmx: POST the reply text (field `text`, or the field named by `field`) → a warning fragment (LANG-4)."""
    field = request.GET.get("field") or request.POST.get("field") or "text"
    text = request.POST.get(field, "")[:MAX_CHECK_CHARS]
    findings = check_reply(text, policy_for(request.user)) if text.strip() else []
    return render(request, "language/_findings.html", {"findings": findings, "text": text})


@login_required
def training(request: HttpRequest) -> HttpResponse:
    """Training list (文明用语培训): each forbidden phrase with its polite rewrite, and the phrases per situation."""
    language = policy_for(request.user).language
    return render(
        request,
        "language/training.html",
        {
            "phrases": language.active_forbidden(),
            "situations": [(SITUATION_LABELS.get(s.situation, s.situation), s) for s in language.situations],
            "voices": language.voices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    """Bulk review (会话记录抽查): upload a transcript (JSON Lines, plain text with speaker prefixes, or .xlsx); per-staff findings and three-voices coverage."""
    try:
        require_role(request.user, *REVIEW_ROLES)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    context: dict[str, object] = {"overrides": overrides_visible_to(viewer=request.user)[:20]}
    if request.method == "POST":
        upload = request.FILES.get("transcript")
        try:
            if upload is None:
                raise InputError("transcript", "请选择要上传的会话记录文件")
            if upload.size > MAX_UPLOAD_BYTES:  # type: ignore[operator]  # the uploaded file has a size
                raise InputError("transcript", f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
            turns = parse_any_transcript(upload.read(), filename=upload.name or "upload")
            context["result"] = bulk_review(turns, policy_for(request.user).language)
            context["filename"] = upload.name
        except InputError as exc:
            context["error"] = str(exc)
    return render(request, "language/review.html", context, status=400 if "error" in context else 200)
