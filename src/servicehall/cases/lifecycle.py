"""The case state machine (办件流程): every allowed step in one table, one door to change a status.

申报登记 → 受理 / 补正 (一次性告知) / 不予受理 → 办理 (unit steps; 联办件 in parallel) → 上报 → 办结 → 送达;
退回 (退件) from any open status with a detailed reason; 即办件 registered and finished in one visit.
A (status, action) pair missing from `TRANSITIONS` is refused citing the rule of that action.
Business preconditions (materials complete, refusal reported, all unit steps done) are checked by the
services before they call `transition_case`, inside the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from servicehall.cases.enums import Action, CaseStatus, EventKind
from servicehall.cases.errors import IllegalTransition
from servicehall.cases.models import Case, CaseEvent
from servicehall.core.audit import record_audit
from servicehall.org.models import Staff

S, A = CaseStatus, Action


@dataclass(frozen=True, slots=True)
class Transition:
    source: CaseStatus | None  # None: the case does not exist yet
    action: Action
    target: CaseStatus
    rule_id: str
    note: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(None, A.REGISTER, S.REGISTERED, "CASE-1", "申报收件登记，首位受理人为第一责任人"),
    Transition(S.REGISTERED, A.ACCEPT, S.ACCEPTED, "CASE-1", "材料齐全、符合法定形式，出具受理通知书"),
    Transition(S.REGISTERED, A.REQUEST_CORRECTION, S.CORRECTION, "CASE-2", "一次性告知需补正的全部内容"),
    Transition(S.REGISTERED, A.REFUSE, S.REFUSED, "CASE-7", "报备后书面不予受理"),
    Transition(S.REGISTERED, A.COMPLETE_ON_SPOT, S.DONE, "CAT-2", "即办件当场办结"),
    Transition(
        S.REGISTERED, A.DEEM_ACCEPT, S.ACCEPTED, "CASE-2", "逾期不告知的，自收到申请材料之日起即为受理"
    ),
    Transition(S.CORRECTION, A.ACCEPT, S.ACCEPTED, "CASE-3", "第二次来办：补正齐全，予以受理"),
    Transition(S.CORRECTION, A.REQUEST_CORRECTION, S.CORRECTION, "CASE-3", "再次告知仅限首次告知的内容"),
    Transition(S.CORRECTION, A.REFUSE, S.REFUSED, "CASE-7", "第二次来办：报备后书面不予受理"),
    Transition(S.ACCEPTED, A.START, S.IN_PROGRESS, "CASE-5", "开始办理，承诺时限计时"),
    Transition(S.IN_PROGRESS, A.REPORT_UP, S.REPORTED, "CAT-2", "上报件报上级决定"),
    Transition(S.IN_PROGRESS, A.CONCLUDE, S.DONE, "CASE-5", "办结（准予或不予许可）"),
    Transition(S.REPORTED, A.CONCLUDE, S.DONE, "CASE-5", "上级决定后办结"),
    Transition(S.DONE, A.DELIVER, S.DELIVERED, "CASE-8", "窗口领取或邮寄送达"),
    *(
        Transition(s, A.DEFAULT_APPROVE, S.DONE, "CASE-6", "超时默认：中心直接督促办理并核发证照")
        for s in (S.ACCEPTED, S.IN_PROGRESS, S.REPORTED)
    ),
    *(
        Transition(s, A.RETURN, S.RETURNED, "CASE-7", "退件须详细说明理由")
        for s in (S.REGISTERED, S.CORRECTION, S.ACCEPTED, S.IN_PROGRESS, S.REPORTED)
    ),
)

_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}
_RULE_OF_ACTION: dict[Action, str] = {}
for _t in TRANSITIONS:  # the first row of an action names the rule that governs it
    _RULE_OF_ACTION.setdefault(_t.action, _t.rule_id)


def allowed_actions(status: str | None) -> list[Transition]:
    """The transitions open from `status`, in table order (drives the buttons on the case page)."""
    return [t for t in TRANSITIONS if t.source == status]


def find_transition(status: str | None, action: str) -> Transition:
    """The table row for (status, action), or IllegalTransition citing the rule of `action`."""
    try:
        action = Action(action)
    except ValueError:
        raise IllegalTransition(
            rule_id="CASE-9", status=str(status), action=str(action), message=f"未知的办件操作: {action}"
        ) from None
    found = _BY_KEY.get((CaseStatus(status) if status else None, action))
    if found is None:
        label = CaseStatus(status).label if status else "未登记"
        allowed = [t.source.label for t in TRANSITIONS if t.action == action and t.source is not None]
        where = f"只能在「{'、'.join(allowed)}」状态下进行" if allowed else "不能重复进行"
        raise IllegalTransition(
            rule_id=_RULE_OF_ACTION[action],
            status=str(status),
            action=action.value,
            message=f"办件当前为「{label}」，不能「{action.label}」：{action.label}{where}",
        )
    return found


@transaction.atomic
def transition_case(
    *,
    case: Case,
    action: str,
    actor: Staff | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    update_fields: tuple[str, ...] = (),
) -> CaseEvent:
    """Move `case` along one row of the table, save it, and log the step with actor, time, reason (CASE-9).

    The caller has locked the row (`select_for_update`) and set any other fields it changes; they are
    saved here together with the status (`update_fields`).
    """
    step = find_transition(case.status if case.pk else None, action)
    before = case.status if case.pk else ""
    case.status = step.target
    if case.pk:
        case.save(update_fields=["status", *update_fields])
    else:
        case.save()
    event = CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        actor=actor,
        kind=EventKind.TRANSITION,
        action=step.action.value,
        from_status=before,
        to_status=step.target.value,
        rule_id=step.rule_id,
        reason=reason,
        data=data or {},
    )
    record_audit(
        actor=actor,
        verb=f"cases.{step.action.value}",
        target=case,
        reason=reason,
        data={"from": before, "to": step.target.value, "rule": step.rule_id, **(data or {})},
    )
    return event


def log_event(
    *,
    case: Case,
    kind: str,
    actor: Staff | None,
    reason: str = "",
    rule_id: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Log a step that does not change the status (reassignment, pause, unit step ...; CASE-9)."""
    event = CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        actor=actor,
        kind=kind,
        from_status=case.status,
        to_status=case.status,
        rule_id=rule_id,
        reason=reason,
        data=data or {},
    )
    record_audit(
        actor=actor, verb=f"cases.{kind}", target=case, reason=reason, data={"rule": rule_id, **(data or {})}
    )
    return event
