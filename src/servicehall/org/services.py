"""Writes for centres, units, windows, staff and A/B posts (ORG-1..6).

Every write is atomic, validates with `full_clean()` and leaves an audit entry. Model validation errors
become `RuleViolation` (when the message cites a rule) or `InputError` naming the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from servicehall.core import access
from servicehall.core.audit import diff, record_audit, snapshot
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation
from servicehall.core.models import CentreGrant
from servicehall.core.roles import Role, role_of
from servicehall.org import permissions
from servicehall.org.errors import (
    ChiefRepNotOfUnit,
    ChiefRepWithoutUnit,
    PauseRefused,
    PostingRefused,
    SamePersonAB,
    WindowOfAnotherUnit,
    WindowOutsideCentre,
)
from servicehall.org.models import Centre, Post, Staff, Unit, Window
from servicehall.org.rules import DEFAULT_MIN_POSTING_YEARS, PostingCheck, PostingOrderError, check_posting
from servicehall.policy.in_force import policy_in_force

_RULE_PREFIX = ("ORG-",)


# --- helpers -----------------------------------------------------------------------------------


def _validated_save(obj: models.Model, **save_kwargs: Any) -> None:
    """`full_clean()` then `save()`; a ValidationError becomes a domain error naming rule or field."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise _domain_error(exc, where=str(obj._meta.verbose_name)) from None
    try:
        obj.save(**save_kwargs)
    except IntegrityError as exc:  # a race past full_clean(): still a clear message, never a traceback
        raise InputError(obj._meta.model_name or "record", f"数据冲突:{exc}") from None


def _domain_error(exc: ValidationError, *, where: str) -> InputError | RuleViolation:
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
    for field, messages in items:
        for message in messages:
            head = message.split(":", 1)[0]
            if head.startswith(_RULE_PREFIX):
                return RuleViolation(head, message.split(":", 1)[1].strip(), field=field)
    field, messages = next(iter(items))
    return InputError(where if field == "__all__" else f"{where}.{field}", ";".join(messages))


def _get(model: type[models.Model], pk: int | None, label: str) -> Any:
    try:
        return model.objects.get(pk=pk)  # type: ignore[attr-defined]  # every model here has `objects`
    except model.DoesNotExist:  # type: ignore[attr-defined]
        raise NotFound(f"{label}不存在", id=pk) from None


def _set_fields(obj: models.Model, fields: dict[str, Any], allowed: frozenset[str]) -> list[str]:
    unknown = set(fields) - allowed
    if unknown:
        raise InputError(", ".join(sorted(unknown)), "不能修改的字段")
    changed = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _update_reference(
    obj: models.Model, *, actor: Any, centre_id: int, fields: dict[str, Any], allowed: frozenset[str]
) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    """The centre office edits `allowed` fields of a reference row; returns the names that changed and
    their values before and after, for the audit entry (CASE-9)."""
    permissions.ensure_centre_admin(actor, centre_id=centre_id)
    before = snapshot(obj, list(fields))
    changed = _set_fields(obj, fields, allowed)
    _validated_save(obj)
    was, now = diff(before, snapshot(obj, list(fields)))
    return changed, was, now


@dataclass(frozen=True)
class PostingMinimum:
    """The ORG-5 minimum used for a decision and where it came from (`policy_ref` is kept in the audit)."""

    years: int
    policy_ref: str


@lru_cache(maxsize=8)
def _preset_min_posting_years(preset: str) -> int | None:
    """Only the `organisation` section is read and validated, so this does not depend on other sections."""
    from pydantic import ValidationError as PydanticValidationError

    from servicehall.policy.loader import PolicyError, resolve_policy_data
    from servicehall.policy.schema import SECTIONS

    try:
        raw = resolve_policy_data(preset).get("organisation") or {}
        section = SECTIONS["organisation"].model_validate(raw)
    except (PolicyError, PydanticValidationError):
        return None
    return section.rotation.min_posting_years  # type: ignore[attr-defined]  # the organisation section


def posting_minimum(*, centre_id: int, on: dt.date) -> PostingMinimum:
    """ORG-5 minimum posting: `organisation.rotation.min_posting_years` of the centre's policy in force on
    `on`; without a published version, the default preset's value; failing that 1 year (002/篇1 §十.5)."""
    found = policy_in_force(centre_id=centre_id, on=on)
    if found is None:
        preset = settings.SERVICEHALL_DEFAULT_PRESET
        years = _preset_min_posting_years(preset)
        if years is None:
            return PostingMinimum(DEFAULT_MIN_POSTING_YEARS, "ORG-5 default")
        return PostingMinimum(years, f"preset {preset}")
    return PostingMinimum(found.policy.organisation.rotation.min_posting_years, found.ref)


def _apply_posting_check(staff: Staff) -> tuple[PostingCheck, PostingMinimum]:
    """The posting is judged under the policy in force on its first day (today when it has none)."""
    minimum = posting_minimum(centre_id=staff.centre_id, on=staff.posted_from or timezone.localdate())
    try:
        result = check_posting(
            posted_from=staff.posted_from, posted_until=staff.posted_until, min_years=minimum.years
        )
    except PostingOrderError as exc:
        raise PostingRefused(str(exc)) from None
    staff.posting_note = result.note
    return result, minimum


# --- centres and units -------------------------------------------------------------------------

CENTRE_FIELDS = frozenset({"name", "kind", "address", "phone", "complaint_phone"})


@transaction.atomic
def create_centre(
    *,
    code: str,
    name: str,
    kind: str = Centre.Kind.COUNTY,
    parent_id: int | None = None,
    address: str = "",
    phone: str = "",
    complaint_phone: str = "",
    actor: Any,
) -> Centre:
    """ORG-1: a new centre of this installation (a county centre, or a town's 便民服务中心 under it)."""
    permissions.ensure_installation_admin(actor)
    parent = _get(Centre, parent_id, "上级服务中心") if parent_id is not None else None
    centre = Centre(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        address=address,
        phone=phone,
        complaint_phone=complaint_phone,
    )
    _validated_save(centre)
    record_audit(actor=actor, verb="org.centre.create", target=centre, centre_id=centre.pk)
    return centre


@transaction.atomic
def update_centre(*, centre_id: int, actor: Any, **fields: Any) -> Centre:
    centre = _get(Centre, centre_id, "服务中心")
    changed, was, now = _update_reference(
        centre, actor=actor, centre_id=centre.pk, fields=fields, allowed=CENTRE_FIELDS
    )
    record_audit(
        actor=actor, verb="org.centre.update", target=centre, data={"changed": changed}, before=was, after=now
    )
    return centre


UNIT_FIELDS = frozenset({"name", "short_name", "phone"})


@transaction.atomic
def create_unit(*, centre_id: int, name: str, short_name: str = "", phone: str = "", actor: Any) -> Unit:
    """A stationed unit (窗口单位, ORG-1). Its chief representative is set with `set_chief_rep`."""
    centre = _get(Centre, centre_id, "服务中心")
    permissions.ensure_centre_admin(actor, centre_id=centre.pk)
    unit = Unit(centre=centre, name=name, short_name=short_name, phone=phone)
    _validated_save(unit)
    record_audit(actor=actor, verb="org.unit.create", target=unit)
    return unit


@transaction.atomic
def update_unit(*, unit_id: int, actor: Any, chief_rep_id: int | None = None, **fields: Any) -> Unit:
    unit = _get(Unit, unit_id, "窗口单位")
    changed, was, now = _update_reference(
        unit, actor=actor, centre_id=unit.centre_id, fields=fields, allowed=UNIT_FIELDS
    )
    if chief_rep_id is not None and chief_rep_id != unit.chief_rep_id:
        _make_chief_rep(unit=unit, staff=_get(Staff, chief_rep_id, "工作人员"))
        changed.append("chief_rep")
    record_audit(
        actor=actor, verb="org.unit.update", target=unit, data={"changed": changed}, before=was, after=now
    )
    return unit


@transaction.atomic
def set_chief_rep(*, unit_id: int, staff_id: int, actor: Any) -> Unit:
    """ORG-1: appoint the unit's chief representative (首席代表); the previous one becomes window staff."""
    unit = _get(Unit, unit_id, "窗口单位")
    permissions.ensure_centre_admin(actor, centre_id=unit.centre_id)
    previous_id = unit.chief_rep_id
    _make_chief_rep(unit=unit, staff=_get(Staff, staff_id, "工作人员"))
    record_audit(
        actor=actor,
        verb="org.unit.chief_rep",
        target=unit,
        data={"staff_id": staff_id, "previous_id": previous_id},
    )
    return unit


def _make_chief_rep(*, unit: Unit, staff: Staff) -> None:
    if staff.centre_id != unit.centre_id or staff.unit_id != unit.pk:
        raise ChiefRepNotOfUnit(unit_id=unit.pk, staff_id=staff.pk)
    previous = unit.chief_rep
    if previous is not None and previous.pk != staff.pk and previous.role == Role.CHIEF_REP:
        previous.role = Role.WINDOW_STAFF
        _validated_save(previous, update_fields=["role"])
    if staff.role != Role.CHIEF_REP:
        staff.role = Role.CHIEF_REP
        _validated_save(staff, update_fields=["role"])
    unit.chief_rep = staff
    _validated_save(unit, update_fields=["chief_rep"])


# --- windows -----------------------------------------------------------------------------------

WINDOW_FIELDS = frozenset({"number", "name", "business_scope", "floor", "location"})


@transaction.atomic
def create_window(
    *,
    centre_id: int,
    unit_id: int,
    number: str,
    name: str,
    business_scope: str = "",
    floor: str = "",
    location: str = "",
    actor: Any,
) -> Window:
    centre = _get(Centre, centre_id, "服务中心")
    permissions.ensure_centre_admin(actor, centre_id=centre.pk)
    unit = _get(Unit, unit_id, "窗口单位")
    window = Window(
        centre=centre,
        unit=unit,
        number=number,
        name=name,
        business_scope=business_scope,
        floor=floor,
        location=location,
    )
    _validated_save(window)
    record_audit(actor=actor, verb="org.window.create", target=window)
    return window


@transaction.atomic
def update_window(*, window_id: int, actor: Any, **fields: Any) -> Window:
    """Reference data of a window; its open/paused status changes only through pause/resume (ORG-6)."""
    window = _get(Window, window_id, "窗口")
    changed, was, now = _update_reference(
        window, actor=actor, centre_id=window.centre_id, fields=fields, allowed=WINDOW_FIELDS
    )
    record_audit(
        actor=actor, verb="org.window.update", target=window, data={"changed": changed}, before=was, after=now
    )
    return window


@transaction.atomic
def pause_window(
    *,
    window_id: int,
    actor: Any,
    message: str,
    redirect_window_id: int | None = None,
    resume_at: dt.datetime | None = None,
) -> Window:
    """ORG-6: put up the 暂停服务 sign; it must tell visitors which window to go to or when service resumes.

    The redirect window must be open and in the same centre. A window that paused windows send
    visitors to cannot itself pause until they are redirected elsewhere. A blank message is written
    from the redirect and resume time.
    """
    window = _locked_window(window_id)
    permissions.ensure_can_pause_window(actor, window=window)
    if redirect_window_id is None and resume_at is None:
        raise PauseRefused("暂停服务须告知办事群众到哪个窗口办理或何时恢复服务", window_id=window.pk)
    redirect = None
    if redirect_window_id is not None:
        redirect = Window.objects.filter(pk=redirect_window_id).first()
        if redirect is None or redirect.centre_id != window.centre_id:
            raise PauseRefused("引导窗口必须是本服务中心的窗口", redirect_window_id=redirect_window_id)
        if redirect.pk == window.pk:
            raise PauseRefused("不能引导至本窗口", redirect_window_id=redirect_window_id)
        if redirect.status != Window.Status.OPEN:
            raise PauseRefused(
                f"{redirect.number}号窗口也在暂停服务,不能作为引导窗口", redirect_window_id=redirect.pk
            )
    if resume_at is not None:
        if timezone.is_naive(resume_at):
            raise InputError("resume_at", "恢复服务时间须带时区")
        if resume_at <= timezone.now():
            raise InputError("resume_at", "恢复服务时间必须晚于当前时间")
    senders = list(
        Window.objects.filter(redirect_window=window, status=Window.Status.PAUSED).values_list(
            "number", flat=True
        )
    )
    if senders:
        raise PauseRefused(
            f"{'、'.join(senders)}号窗口正引导群众到本窗口办理,请先调整其引导窗口", window_id=window.pk
        )
    message = (message or "").strip()
    window.status = Window.Status.PAUSED
    window.paused_message = message
    window.redirect_window = redirect
    window.resume_at = resume_at
    _validated_save(window, update_fields=["status", "paused_message", "redirect_window", "resume_at"])
    record_audit(
        actor=actor,
        verb="org.window.pause",
        target=window,
        reason=message,
        data={
            "redirect_window_id": redirect.pk if redirect else None,
            "resume_at": resume_at and resume_at.isoformat(),
        },
    )
    return window


@transaction.atomic
def resume_window(*, window_id: int, actor: Any) -> Window:
    """ORG-6: take the 暂停服务 sign down; the message, redirect and resume time are cleared."""
    window = _locked_window(window_id)
    permissions.ensure_can_pause_window(actor, window=window)
    if window.status == Window.Status.OPEN:
        return window  # idempotent: resuming an open window changes nothing and logs nothing
    window.status = Window.Status.OPEN
    window.paused_message = ""
    window.redirect_window = None
    window.resume_at = None
    _validated_save(window, update_fields=["status", "paused_message", "redirect_window", "resume_at"])
    record_audit(actor=actor, verb="org.window.resume", target=window)
    return window


def _locked_window(window_id: int) -> Window:
    try:
        return Window.objects.select_for_update().select_related("unit", "centre").get(pk=window_id)
    except Window.DoesNotExist:
        raise NotFound("窗口不存在", id=window_id) from None


# --- staff -------------------------------------------------------------------------------------

STAFF_FIELDS = frozenset({"name", "title", "post_title", "phone", "badge_no", "is_active", "staff_no"})


@dataclass(frozen=True)
class StaffResult:
    """A staff write and its ORG-5 posting check (`posting.short`: allowed but flagged)."""

    staff: Staff
    posting: PostingCheck
    policy_ref: str


@transaction.atomic
def create_staff(
    *,
    centre_id: int,
    name: str,
    staff_no: str,
    role: str = Role.WINDOW_STAFF,
    unit_id: int | None = None,
    title: str = "",
    post_title: str = "",
    phone: str = "",
    badge_no: str = "",
    posted_from: dt.date | None = None,
    posted_until: dt.date | None = None,
    username: str | None = None,
    password: str | None = None,
    actor: Any,
) -> StaffResult:
    """A person of the centre, optionally with a login. A chief_rep becomes the unit's chief rep."""
    centre = _get(Centre, centre_id, "服务中心")
    permissions.ensure_centre_admin(actor, centre_id=centre.pk)
    if role not in Role.values:
        raise InputError("role", f"未知角色 {role!r};可选:{', '.join(Role.values)}")
    unit = _get(Unit, unit_id, "窗口单位") if unit_id is not None else None
    staff = Staff(
        centre=centre,
        unit=unit,
        name=name,
        staff_no=staff_no,
        role=role,
        title=title,
        post_title=post_title,
        phone=phone,
        badge_no=badge_no,
        posted_from=posted_from,
        posted_until=posted_until,
    )
    posting, minimum = _apply_posting_check(staff)
    if username:
        staff.user = _create_user(username=username, password=password, name=name)
    _validated_save(staff)
    if role == Role.CHIEF_REP and unit is not None:
        _make_chief_rep(unit=unit, staff=staff)
    record_audit(
        actor=actor,
        verb="org.staff.create",
        target=staff,
        data={
            "role": role,
            "login": bool(username),
            "posting_note": staff.posting_note,
            "policy": minimum.policy_ref,
        },
    )
    return StaffResult(staff=staff, posting=posting, policy_ref=minimum.policy_ref)


def _create_user(*, username: str, password: str | None, name: str) -> Any:
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise InputError("username", f"登录名 {username} 已被使用")
    if not password:
        raise InputError("password", "创建登录账号须设置密码")
    user = user_model(username=username, first_name=name[:150])
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InputError("password", ";".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def update_staff(*, staff_id: int, actor: Any, **fields: Any) -> Staff:
    """Contact, badge (挂牌, ORG-4) and on-duty data; `is_active` also (de)activates the login.

    Role and posting change through their own services."""
    staff = _get(Staff, staff_id, "工作人员")
    changed, was, now = _update_reference(
        staff, actor=actor, centre_id=staff.centre_id, fields=fields, allowed=STAFF_FIELDS
    )
    if "is_active" in changed and staff.user is not None:
        # someone rotated out (ORG-5) must not keep their login; returning staff get it back
        staff.user.is_active = staff.is_active
        staff.user.save(update_fields=["is_active"])
    record_audit(
        actor=actor, verb="org.staff.update", target=staff, data={"changed": changed}, before=was, after=now
    )
    return staff


@transaction.atomic
def set_staff_role(*, staff_id: int, role: str, actor: Any) -> Staff:
    staff = _get(Staff, staff_id, "工作人员")
    permissions.ensure_centre_admin(actor, centre_id=staff.centre_id)
    old_role = staff.role
    if role not in Role.values:
        raise InputError("role", f"未知角色 {role!r};可选:{', '.join(Role.values)}")
    if role == Role.CHIEF_REP:
        if staff.unit is None:
            raise ChiefRepWithoutUnit(staff_id=staff.pk)
        _make_chief_rep(unit=staff.unit, staff=staff)
    else:
        if staff.unit is not None and staff.unit.chief_rep_id == staff.pk:
            staff.unit.chief_rep = None
            _validated_save(staff.unit, update_fields=["chief_rep"])
        staff.role = role
        _validated_save(staff, update_fields=["role"])
    record_audit(
        actor=actor, verb="org.staff.role", target=staff, data={"role": role},
        before={"role": old_role}, after={"role": role},
    )  # fmt: skip
    return staff


@transaction.atomic
def set_posting(
    *, staff_id: int, posted_from: dt.date | None, posted_until: dt.date | None, actor: Any
) -> StaffResult:
    """ORG-5: record the posting period. End before start is refused; shorter than the minimum is flagged."""
    staff = _get(Staff, staff_id, "工作人员")
    permissions.ensure_centre_admin(actor, centre_id=staff.centre_id)
    staff.posted_from, staff.posted_until = posted_from, posted_until
    posting, minimum = _apply_posting_check(staff)
    _validated_save(staff, update_fields=["posted_from", "posted_until", "posting_note"])
    record_audit(
        actor=actor,
        verb="org.staff.posting",
        target=staff,
        data={
            "posted_from": posted_from and posted_from.isoformat(),
            "posted_until": posted_until and posted_until.isoformat(),
            "short": posting.short,
            "min_years": posting.min_years,
            "policy": minimum.policy_ref,
        },
    )
    return StaffResult(staff=staff, posting=posting, policy_ref=minimum.policy_ref)


@transaction.atomic
def assign_windows(*, staff_id: int, window_ids: list[int], actor: Any) -> Staff:
    """Seat a person at windows of their own unit (replaces the previous set)."""
    staff = _get(Staff, staff_id, "工作人员")
    permissions.ensure_can_manage_unit(actor, centre_id=staff.centre_id, unit_id=staff.unit_id)
    windows = list(Window.objects.filter(pk__in=set(window_ids)))
    missing = set(window_ids) - {w.pk for w in windows}
    if missing:
        raise NotFound("窗口不存在", ids=",".join(str(i) for i in sorted(missing)))
    for window in windows:
        if window.centre_id != staff.centre_id:
            raise WindowOutsideCentre(window_number=window.number, window_id=window.pk)
        if window.unit_id != staff.unit_id:
            raise WindowOfAnotherUnit(window_number=window.number, window_id=window.pk)
    staff.windows.set(windows)
    record_audit(
        actor=actor,
        verb="org.staff.windows",
        target=staff,
        data={"window_ids": sorted(w.pk for w in windows)},
    )
    return staff


# --- A/B posts ---------------------------------------------------------------------------------


@transaction.atomic
def create_post(
    *,
    unit_id: int,
    name: str,
    a_holder_id: int,
    b_holder_id: int,
    window_id: int | None = None,
    actor: Any,
) -> Post:
    """ORG-3: a post with an A (主办) and a B (辅办) holder: two different people of the post's unit."""
    unit = _get(Unit, unit_id, "窗口单位")
    permissions.ensure_can_manage_unit(actor, centre_id=unit.centre_id, unit_id=unit.pk)
    _refuse_same_person(a_holder_id, b_holder_id)
    post = Post(
        centre_id=unit.centre_id,
        unit=unit,
        name=name,
        window=_get(Window, window_id, "窗口") if window_id is not None else None,
        a_holder=_get(Staff, a_holder_id, "A角"),
        b_holder=_get(Staff, b_holder_id, "B角"),
    )
    _validated_save(post)
    record_audit(
        actor=actor,
        verb="org.post.create",
        target=post,
        data={"a_holder_id": a_holder_id, "b_holder_id": b_holder_id},
    )
    return post


@transaction.atomic
def update_post(
    *,
    post_id: int,
    actor: Any,
    name: str | None = None,
    a_holder_id: int | None = None,
    b_holder_id: int | None = None,
    window_id: int | None = None,
) -> Post:
    post = _get(Post, post_id, "岗位")
    permissions.ensure_can_manage_unit(actor, centre_id=post.centre_id, unit_id=post.unit_id)
    if name is not None:
        post.name = name
    if a_holder_id is not None:
        post.a_holder = _get(Staff, a_holder_id, "A角")
    if b_holder_id is not None:
        post.b_holder = _get(Staff, b_holder_id, "B角")
    if window_id is not None:
        post.window = _get(Window, window_id, "窗口")
    _refuse_same_person(post.a_holder_id, post.b_holder_id)
    _validated_save(post)
    record_audit(
        actor=actor,
        verb="org.post.update",
        target=post,
        data={"a_holder_id": post.a_holder_id, "b_holder_id": post.b_holder_id},
    )
    return post


def _refuse_same_person(a_holder_id: int | None, b_holder_id: int | None) -> None:
    if a_holder_id is not None and a_holder_id == b_holder_id:
        raise SamePersonAB(staff_id=a_holder_id)


# --- management of one centre by another (ORG-1) -----------------------------------------------------


@transaction.atomic
def grant_centre_management(
    *, centre_id: int, grantee_centre_id: int, actor: Any, note: str = ""
) -> CentreGrant:
    """A centre lets another centre's office manage its records (e.g. a town lets the county office).

    Off by default; only the granting centre's own office (or the installation admin) may grant it."""
    centre = _get(Centre, centre_id, "服务中心")
    grantee = _get(Centre, grantee_centre_id, "被授权服务中心")
    if centre.pk == grantee.pk:
        raise InputError("grantee_centre_id", "不能授权给本中心")
    if not access.allows(actor, "org", "grant", access.Target.of(centre_id=centre.pk)):
        raise Forbidden("只有本中心管理办公室可以授权其他中心管理本中心", role=role_of(actor) or "anonymous")
    grant = CentreGrant.objects.filter(
        centre_id=centre.pk, grantee_centre_id=grantee.pk, revoked_at__isnull=True
    ).first()
    if grant is None:
        user = getattr(actor, "user", actor)
        grant = CentreGrant.objects.create(
            centre_id=centre.pk,
            grantee_centre_id=grantee.pk,
            granted_by=user if getattr(user, "is_authenticated", False) else None,
            note=note,
        )
        record_audit(
            actor=actor, verb="org.centre.grant", target=grant, centre_id=centre.pk,
            data={"grantee_centre_id": grantee.pk, "note": note},
        )  # fmt: skip
    return grant


@transaction.atomic
def revoke_centre_management(*, centre_id: int, grantee_centre_id: int, actor: Any) -> int:
    """End a grant; returns how many active grants were revoked (0 or 1)."""
    centre = _get(Centre, centre_id, "服务中心")
    if not access.allows(actor, "org", "grant", access.Target.of(centre_id=centre.pk)):
        raise Forbidden("只有本中心管理办公室可以撤销授权", role=role_of(actor) or "anonymous")
    user = getattr(actor, "user", actor)
    revoked = 0
    for grant in CentreGrant.objects.select_for_update().filter(
        centre_id=centre.pk, grantee_centre_id=grantee_centre_id, revoked_at__isnull=True
    ):
        grant.revoked_at = timezone.now()
        grant.revoked_by = user if getattr(user, "is_authenticated", False) else None
        grant.save(update_fields=["revoked_at", "revoked_by"])
        record_audit(
            actor=actor, verb="org.centre.revoke", target=grant, centre_id=centre.pk,
            data={"grantee_centre_id": grantee_centre_id},
        )  # fmt: skip
        revoked += 1
    return revoked
