"""Case API (/api/cases/): register, transition, materials, notices (PDF), progress query.

Staff endpoints use the session (with CSRF); `POST /progress` is public and rate-limited (CASE-10).
Errors come back as JSON with the rule ID (see servicehall.api).
"""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.security import django_auth

from servicehall.cases import selectors, services
from servicehall.cases.actions import ActionInput, apply_action
from servicehall.cases.enums import Action, CaseStatus
from servicehall.cases.models import Case, UnitStep
from servicehall.cases.pdf import notice_pdf
from servicehall.cases.ratelimit import PROGRESS_NOT_FOUND, check_progress_rate
from servicehall.cases.schemas import (
    CaseOut,
    ExtensionIn,
    MaterialsIn,
    ProgressIn,
    ProgressOut,
    RefusalReportIn,
    RegisterIn,
    TransitionIn,
)
from servicehall.cases.services import MaterialCheck
from servicehall.catalog.models import Item
from servicehall.core.errors import Forbidden, InputError, NotFound
from servicehall.core.roles import WRITERS, require_role
from servicehall.org.models import Staff, Window

router = Router(tags=["cases 办件"])


def _actor(request: HttpRequest) -> Staff:
    staff = require_role(request.user, *WRITERS)
    if staff is None:
        raise Forbidden("需要工作人员账号")
    return staff


def case_out(case: Case, *, full: bool = True) -> dict:
    out = {
        "id": case.pk,
        "number": case.number,
        "item": case.item.name,
        "case_type": case.case_type,
        "status": case.status,
        "status_label": CaseStatus(case.status).label,
        "outcome": case.outcome,
        "responsible": case.responsible.name,
        "window": str(case.window) if case.window else "",
        "registered_at": case.registered_at,
        "accepted_at": case.accepted_at,
        "due_on": case.due_on,
        "due_provisional": case.due_provisional,
        "overdue": selectors.is_overdue(case),
        "urgent": case.urgent,
        "current_step": case.current_step,
        "policy_ref": case.policy_ref,
    }
    if full:
        out["materials"] = [
            {"id": m.pk, "position": m.position, "name": m.name, "state": m.state, "problem": m.problem}
            for m in case.materials.all()
        ]
        out["steps"] = [
            {"id": s.pk, "unit": str(s.unit), "done": s.done_at is not None} for s in case.steps.all()
        ]
        out["events"] = [
            {
                "at": e.at, "actor": e.actor.name if e.actor else "", "kind": e.kind, "action": e.action,
                "from_status": e.from_status, "to_status": e.to_status, "rule_id": e.rule_id, "reason": e.reason,
            }
            for e in case.events.select_related("actor")
        ]  # fmt: skip
    return out


def _visible(request: HttpRequest, case_id: int) -> Case:
    return selectors.get_case(viewer=request.user, case_id=case_id)


@router.post("/", response={201: CaseOut}, auth=django_auth, summary="申报登记 (CASE-1, CASE-2)")
def register(request: HttpRequest, payload: RegisterIn):
    actor = _actor(request)
    item = Item.objects.filter(pk=payload.item_id, centre_id=actor.centre_id).first()
    if item is None:
        raise InputError("item_id", "事项不存在")
    window = None
    if payload.window_id is not None:
        window = Window.objects.filter(pk=payload.window_id, centre_id=actor.centre_id).first()
        if window is None:
            raise InputError("window_id", "窗口不存在")
    checks = {c.material_id: MaterialCheck(c.state, c.note) for c in payload.checks}
    case = services.register_case(
        actor=actor, item=item, applicant_name=payload.applicant_name, applicant_id_no=payload.applicant_id_no,
        applicant_id_kind=payload.applicant_id_kind, applicant_phone=payload.applicant_phone, applicant_address=payload.applicant_address, checks=checks,
        window=window, urgent_reason=payload.urgent_reason,
    )  # fmt: skip
    return Status(201, case_out(case))


@router.get("/mine", response=list[CaseOut], auth=django_auth, summary="我的办件 (due soonest first)")
def mine(request: HttpRequest):
    return [case_out(c, full=False) for c in selectors.my_cases(viewer=request.user)[:200]]


@router.get("/{int:case_id}", response=CaseOut, auth=django_auth, summary="办件详情与日志 (CASE-9)")
def detail(request: HttpRequest, case_id: int):
    return case_out(_visible(request, case_id))


@router.post("/{int:case_id}/transition", response=CaseOut, auth=django_auth, summary="办件状态变更")
def transition(request: HttpRequest, case_id: int, payload: TransitionIn):
    actor = _actor(request)
    case = _visible(request, case_id)
    try:
        action = Action(payload.action)
    except ValueError:
        raise InputError("action", f"未知操作 {payload.action!r}; 可选: {', '.join(Action.values)}") from None
    if action == Action.CONCLUDE and not payload.outcome:
        raise InputError("outcome", "办结须给出结果: approved | not_approved")
    if action == Action.DELIVER and not payload.method:
        raise InputError("method", "送达方式: window | post")
    given = ActionInput(
        reason=payload.reason, outcome=payload.outcome, method=payload.method,
        postal_address=payload.postal_address, tracking_no=payload.tracking_no,
    )  # fmt: skip
    if not apply_action(action, case_id=case.pk, actor=actor, given=given):
        raise InputError("action", "申报登记请使用 POST /api/cases/")
    return case_out(Case.objects.get(pk=case.pk))


@router.post(
    "/{int:case_id}/materials", response=CaseOut, auth=django_auth, summary="补正/第二次来办 (CASE-3, CASE-4)"
)
def materials(request: HttpRequest, case_id: int, payload: MaterialsIn):
    actor = _actor(request)
    case = _visible(request, case_id)
    services.record_materials(
        case_id=case.pk, actor=actor, fixed=payload.fixed, second_visit=payload.second_visit,
        problems={p.material_id: MaterialCheck(p.state, p.note) for p in payload.problems},
    )  # fmt: skip
    return case_out(Case.objects.get(pk=case.pk))


@router.post(
    "/{int:case_id}/steps/{step_id}/complete",
    response=CaseOut,
    auth=django_auth,
    summary="完成单位环节 (CAT-2)",
)
def complete_step(request: HttpRequest, case_id: int, step_id: int):
    actor = _actor(request)
    step = UnitStep.objects.filter(pk=step_id, case_id=case_id).first()
    if step is None:
        raise NotFound("办理环节不存在", step_id=step_id)
    services.complete_unit_step(step_id=step.pk, actor=actor)
    return case_out(Case.objects.get(pk=case_id))


@router.post(
    "/{int:case_id}/refusal-report", response={201: dict}, auth=django_auth, summary="否定事项报备 (CASE-7)"
)
def refusal_report(request: HttpRequest, case_id: int, payload: RefusalReportIn):
    actor = _actor(request)
    case = _visible(request, case_id)
    report = services.report_refusal(
        case_id=case.pk,
        actor=actor,
        kind=payload.kind,
        reasons=payload.reasons,
        legal_basis=payload.legal_basis,
    )
    return Status(201, {"id": report.pk, "kind": report.kind, "reported_at": report.reported_at.isoformat()})


@router.post(
    "/refusal-reports/{report_id}/acknowledge", response=dict, auth=django_auth, summary="中心确认报备"
)
def acknowledge(request: HttpRequest, report_id: int):
    report = services.acknowledge_refusal_report(report_id=report_id, actor=_actor(request))
    assert report.acknowledged_at is not None  # set by the service
    return {"id": report.pk, "acknowledged_at": report.acknowledged_at.isoformat()}


@router.post("/{int:case_id}/extensions", response=CaseOut, auth=django_auth, summary="延期 (CASE-5)")
def extend(request: HttpRequest, case_id: int, payload: ExtensionIn):
    actor = _actor(request)
    case = _visible(request, case_id)
    services.extend_deadline(
        case_id=case.pk, actor=actor, working_days=payload.working_days, reason=payload.reason,
        consent_note=payload.consent_note,
    )  # fmt: skip
    return case_out(Case.objects.get(pk=case.pk))


@router.get(
    "/{int:case_id}/notices/{kind}.pdf",
    auth=django_auth,
    summary="告知书 PDF: acceptance|correction|refusal|completion",
)
def notice(request: HttpRequest, case_id: int, kind: str):
    case = _visible(request, case_id)
    try:
        name, data = notice_pdf(case, kind)
    except LookupError as exc:
        raise NotFound(str(exc), kind=kind) from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@router.post(
    "/progress", response={200: ProgressOut, 429: ProgressOut}, auth=None, summary="办件进度查询 (CASE-10)"
)
def progress(request: HttpRequest, payload: ProgressIn):
    limited = check_progress_rate(request)
    if limited:
        return Status(429, {"found": False, "message": limited})
    found = selectors.progress_lookup(number=payload.number, code=payload.code)
    if found is None:
        return Status(200, {"found": False, "message": PROGRESS_NOT_FOUND})
    return Status(200, {
        "found": True, "message": "", "number": found.number, "item": found.item, "status": found.status,
        "current_step": found.current_step, "due_on": found.due_on,
        "due_provisional": found.due_provisional, "applicant": found.applicant,
        "window": found.window, "window_location": found.window_location, "responsible": found.responsible,
        "stages": [asdict(s) for s in found.stages],
    })  # fmt: skip
