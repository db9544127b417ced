"""One door from a lifecycle action name (the case page's form, the API's `action`) to its service.

The page and the API parse their input differently; what an action does is written once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from servicehall.cases import services
from servicehall.cases.enums import Action
from servicehall.org.models import Staff


@dataclass(frozen=True, slots=True)
class ActionInput:
    """The free fields an action may use; each action reads only its own."""

    reason: str = ""
    outcome: str = ""
    method: str = ""
    postal_address: str = ""
    tracking_no: str = ""


def apply_action(action: str, *, case_id: int, actor: Staff, given: ActionInput) -> bool:
    """Run `action` on the case through its service; False when it is not a lifecycle action."""
    kwargs: dict[str, Any] = {"case_id": case_id, "actor": actor}
    if action == Action.ACCEPT:
        services.accept_case(**kwargs)
    elif action == Action.REQUEST_CORRECTION:
        services.issue_one_time_notice(note=given.reason, **kwargs)
    elif action == Action.REFUSE:
        services.refuse_case(**kwargs)
    elif action == Action.START:
        services.start_processing(**kwargs)
    elif action == Action.REPORT_UP:
        services.report_up(reason=given.reason, **kwargs)
    elif action == Action.CONCLUDE:
        services.conclude_case(outcome=given.outcome, note=given.reason, **kwargs)
    elif action == Action.COMPLETE_ON_SPOT:
        services.complete_on_the_spot(note=given.reason, **kwargs)
    elif action == Action.DELIVER:
        services.deliver_case(
            method=given.method, postal_address=given.postal_address, tracking_no=given.tracking_no, **kwargs
        )
    elif action == Action.RETURN:
        services.return_case(reason=given.reason, **kwargs)
    else:
        return False
    return True
