"""All writes of the case domain (办件), one module per stage; every service is keyword-only and atomic,
status changes go through `lifecycle.transition_case`, other steps through `lifecycle.log_event`, so the
timeline (CASE-9) is complete. Consultation (ASK-*) is `servicehall.consultation`.
"""

from servicehall.cases.services.clock import (
    extend_deadline,
    flag_urgent,
    note_outreach,
    pause_clock,
    reassign_case,
    resume_clock,
)
from servicehall.cases.services.common import (
    CENTRE_OFFICE,
    MaterialCheck,
    case_unit_ids,
    compute_due,
    compute_due_date,
    ensure_may_handle,
    recompute_provisional_due_dates,
)
from servicehall.cases.services.processing import (
    approve_by_default,
    complete_on_the_spot,
    complete_unit_step,
    conclude_case,
    deliver_case,
    report_up,
    start_processing,
    urge_case,
)
from servicehall.cases.services.refusal import (
    acknowledge_refusal_report,
    refuse_case,
    report_refusal,
    return_case,
)
from servicehall.cases.services.registration import (
    QUERY_CODE_ALPHABET,
    QUERY_CODE_LENGTH,
    accept_case,
    deem_accepted,
    issue_one_time_notice,
    new_query_code,
    notice_last_day,
    record_materials,
    register_case,
)

__all__ = [
    "CENTRE_OFFICE",
    "QUERY_CODE_ALPHABET",
    "QUERY_CODE_LENGTH",
    "MaterialCheck",
    "accept_case",
    "acknowledge_refusal_report",
    "approve_by_default",
    "case_unit_ids",
    "complete_on_the_spot",
    "complete_unit_step",
    "compute_due",
    "compute_due_date",
    "conclude_case",
    "deem_accepted",
    "deliver_case",
    "ensure_may_handle",
    "extend_deadline",
    "flag_urgent",
    "issue_one_time_notice",
    "new_query_code",
    "note_outreach",
    "notice_last_day",
    "pause_clock",
    "reassign_case",
    "recompute_provisional_due_dates",
    "record_materials",
    "refuse_case",
    "register_case",
    "report_refusal",
    "report_up",
    "resume_clock",
    "return_case",
    "start_processing",
    "urge_case",
]
