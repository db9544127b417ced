"""Catalogue pages. Public (no login): the service guide list with live search, each item's six publics
(CAT-1), guide PDF and attachment downloads (CAT-3). Staff: propose a change, the review queue, stock."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from servicehall.catalog import selectors, services
from servicehall.catalog.errors import InvalidItemChange
from servicehall.catalog.forms import ItemChangeForm, initial_from_state
from servicehall.catalog.guide_pdf import GuideData, render_guide_pdf
from servicehall.catalog.models import CaseType, Item, ItemRevision
from servicehall.catalog.rules import FIELD_LABELS, FIELDS
from servicehall.core.errors import DomainError, Forbidden, InputError, NotFound
from servicehall.core.private_files import file_response
from servicehall.core.roles import Role, role_of, staff_of
from servicehall.org.models import Unit


def _staff_or_403(request: HttpRequest):
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("需要工作人员身份")
    return staff


# ---- public pages -------------------------------------------------------------------------------------


def item_list(request: HttpRequest) -> HttpResponse:
    """/catalog/: the only centre's guide, or a choice of centres when one installation hosts several."""
    centres = list(selectors.centres())
    if len(centres) == 1:
        return centre_items(request, centres[0].code)
    return render(request, "catalog/centres.html", {"centres": centres})


def centre_items(request: HttpRequest, centre_code: str) -> HttpResponse:
    try:
        centre = selectors.centre_by_code(centre_code)
    except NotFound:
        raise Http404("服务中心不存在") from None
    q = request.GET.get("q", "").strip()
    case_type = request.GET.get("case_type") or None
    if case_type not in CaseType.values:
        case_type = None
    try:
        unit_id = int(request.GET.get("unit") or 0) or None
    except ValueError:
        unit_id = None
    items = selectors.published_items(centre_id=centre.pk, q=q, unit_id=unit_id, case_type=case_type)
    context = {
        "centre": centre,
        "items": items,
        "q": q,
        "unit_id": unit_id,
        "case_type": case_type,
        "units": selectors.units_with_items(centre_id=centre.pk),
        "case_types": CaseType.choices,
    }
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_results.html", context)
    return render(request, "catalog/item_list.html", context)


def _published(centre_code: str, code: str) -> Item:
    try:
        centre = selectors.centre_by_code(centre_code)
        return selectors.item_detail(centre_id=centre.pk, code=code)
    except NotFound:
        raise Http404("事项不存在或尚未公开") from None


def item_detail(request: HttpRequest, centre_code: str, code: str) -> HttpResponse:
    item = _published(centre_code, code)
    return render(request, "catalog/item_detail.html", {"item": item, "centre": item.centre})


def guide_pdf(request: HttpRequest, centre_code: str, code: str) -> HttpResponse:
    """CAT-3: the guide is always downloadable, generated from the published six publics."""
    item = _published(centre_code, code)
    data = GuideData(
        centre=item.centre.name,
        code=item.code,
        name=item.name,
        unit=item.unit.name,
        case_type=item.get_case_type_display(),
        promised_days=item.promised_days,
        statutory_days=item.statutory_days,
        content=item.content,
        procedure=item.procedure,
        legal_basis=item.legal_basis,
        fees=item.fees,
        joint_units=[u.name for u in item.joint_units.all()],
        materials=[(m.position, m.name, m.form, m.copies, m.required, m.note) for m in item.materials.all()],
        phone=item.unit.phone or item.centre.phone,
    )
    response = HttpResponse(render_guide_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=guide-{item.code}.pdf"
    return response


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    try:
        att = selectors.public_attachment(attachment_id=pk)
    except NotFound:
        raise Http404("附件不存在") from None
    return file_response(att.file)


# ---- staff pages --------------------------------------------------------------------------------------


def _map_error(form: ItemChangeForm, exc: DomainError) -> None:
    field = getattr(exc, "field", None) or getattr(exc, "where", None) or ""
    base = field.split("[")[0].split(".")[0]
    base = {"joint_unit_ids": "joint_units"}.get(base, base)
    if base not in form.fields:
        base = "materials" if field.startswith("申请材料") else None
    form.add_error(base, str(exc))


@login_required
def propose(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    """CAT-1: a unit's chief rep or window staff propose a change (or new item) for the centre to approve."""
    staff = _staff_or_403(request)
    if staff.role not in services.PROPOSER_ROLES or not staff.unit_id:
        raise PermissionDenied("只有窗口单位的首席代表和窗口工作人员可以提交事项变更")
    unit = Unit.objects.get(pk=staff.unit_id)
    item = None
    if item_id is not None:
        item = selectors.items_for_proposer(viewer=request.user).filter(pk=item_id).first()
        if item is None:
            raise Http404("事项不存在")
    initial = initial_from_state(services.item_state(item)) if item else {"case_type": CaseType.PROMISED}
    form = ItemChangeForm(request.POST or None, initial=initial, unit=unit, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            changes = form.changes()
            if item is not None:
                changes["code"] = item.code
            revision = services.propose_item_change(
                item_id=item.pk if item else None,
                unit_id=unit.pk,
                proposer=staff,
                changes=changes,
                reason=form.cleaned_data.get("reason") or "",
            )
        except (InputError, InvalidItemChange) as exc:
            _map_error(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已提交，待中心审核通过后对外公开（CAT-1）")
            return redirect("catalog:review_detail", pk=revision.pk)
    own_items = selectors.items_for_proposer(viewer=request.user)
    return render(
        request, "catalog/propose.html", {"form": form, "item": item, "unit": unit, "own_items": own_items}
    )


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """The centre office's approval queue; a unit sees its own changes (CAT-1)."""
    if staff_of(request.user) is None and role_of(request.user) != Role.CENTRE_ADMIN:
        raise PermissionDenied("需要工作人员身份")
    pending = selectors.revisions_for_viewer(viewer=request.user)
    recent = selectors.revisions_for_viewer(viewer=request.user, status=None).exclude(
        status=ItemRevision.Status.PENDING
    )[:30]
    return render(
        request,
        "catalog/review.html",
        {
            "pending": pending,
            "recent": recent,
            "can_decide": role_of(request.user) == Role.CENTRE_ADMIN,
            "low_stock": selectors.low_stock_attachments(viewer=request.user)[:50],
        },
    )


def _diff_rows(revision: ItemRevision) -> list[dict[str, object]]:
    unit_names = dict(Unit.objects.filter(centre_id=revision.centre_id).values_list("pk", "name"))
    case_labels = dict(CaseType.choices)

    def shown(field: str, value: object) -> object:
        if field == "joint_unit_ids" and isinstance(value, list):
            return [unit_names.get(pk, str(pk)) for pk in value]
        if field == "case_type" and value is not None:
            return case_labels.get(str(value), value)
        return value

    return [
        {
            "field": field,
            "label": FIELD_LABELS[field],
            "before": shown(field, revision.before.get(field)) if revision.before else None,
            "after": shown(field, revision.changes[field]),
        }
        for field in FIELDS
        if field in revision.changes
    ]


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        revision = selectors.revision_for_viewer(viewer=request.user, revision_id=pk)
    except NotFound:
        raise Http404("事项变更申请不存在") from None
    return render(
        request,
        "catalog/review_detail.html",
        {
            "revision": revision,
            "rows": _diff_rows(revision),
            "can_decide": role_of(request.user) == Role.CENTRE_ADMIN
            and revision.status == ItemRevision.Status.PENDING,
            "can_cancel": revision.status == ItemRevision.Status.PENDING
            and staff_of(request.user) is not None
            and staff_of(request.user).unit_id == revision.unit_id,  # type: ignore[union-attr]  # staff-only page
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff_or_403(request)
    action = request.POST.get("action")
    note = request.POST.get("note", "")
    try:
        if action == "approve":
            services.approve_item_revision(revision_id=pk, approver=staff, note=note)
            messages.success(request, "已批准并公开")
        elif action == "reject":
            services.reject_item_revision(revision_id=pk, approver=staff, note=note)
            messages.success(request, "已退回申请单位")
        elif action == "cancel":
            services.cancel_item_revision(revision_id=pk, actor=staff)
            messages.success(request, "已撤回")
        else:
            raise InputError("action", "未知操作")
    except NotFound:
        raise Http404("事项变更申请不存在") from None
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("catalog:review_detail", pk=pk)


@login_required
def stock(request: HttpRequest) -> HttpResponse:
    """CAT-3: count printed guides and sample forms; low ones are flagged for reprinting (不断档)."""
    staff = _staff_or_403(request)
    if request.method == "POST":
        try:
            count = int(request.POST.get("in_stock", ""))
            attachment_id = int(request.POST.get("attachment", ""))
        except ValueError:
            messages.error(request, "in_stock: 现存份数应为非负整数")
        else:
            try:
                services.count_attachment_stock(attachment_id=attachment_id, actor=staff, in_stock=count)
                messages.success(request, "已记录盘点数")
            except Forbidden as exc:
                raise PermissionDenied(str(exc)) from None
            except DomainError as exc:
                messages.error(request, str(exc))
        return redirect("catalog:stock")
    return render(
        request, "catalog/stock.html", {"attachments": selectors.stock_for_viewer(viewer=request.user)}
    )
