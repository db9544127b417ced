"""Personal data in pages, exports and the API (个人信息脱敏, INT-2): every GET route — spreadsheets, CSV,
PDF notices, JSON — is requested as the auditor and as a window clerk, and its text searched for the
applicants' and citizens' full ID numbers and phones. Only what the role may see (access matrix cell
`cases.personal_data`: a clerk their own applicant's) may appear in full.

The routes come from the URL resolver, not from a list here, so a new export is walked as soon as it
exists. Each response is read as what it is (xlsx cells, PDF text, CSV/JSON/HTML text).
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from servicehall.core.access import ROUTES
from servicehall.evaluation.models import Complaint
from servicehall.queue.models import Appointment
from tests.security.test_access_matrix import _fill, _foreign_ids, all_routes
from tests.security.world import SecurityWorld, build

pytestmark = pytest.mark.django_db

# Variants of routes whose output depends on a query parameter (the same view renders a file).
EXTRA_QUERIES = {
    "queue/stats/": ["?format=csv", "?format=xlsx"],
    "evaluation/": ["?format=csv", "?format=xlsx"],
}
NOTICE_KINDS = ("acceptance", "correction", "refusal", "completion")


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    ctype = response.get("Content-Type", "")
    if "pdf" in ctype:
        return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages).replace(
            " ", ""
        )
    if "spreadsheetml" in ctype:
        with zipfile.ZipFile(io.BytesIO(body)) as z:  # every cell string, shared or inline
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", "replace")


def _paths(w: SecurityWorld) -> list[str]:
    ids = _foreign_ids(w, w.a)  # the role's own unit: the records it may open
    out = []
    for route in all_routes():
        entry = ROUTES.get(route)
        if entry is None or entry.domain == "account" or "logout" in route:
            continue
        if "<kind>" in route or "<str:kind>" in route:
            out += [
                p
                for k in NOTICE_KINDS
                if (p := _fill(route.replace("<str:kind>", k).replace("<kind>", k), ids))
            ]
            continue
        path = _fill(route, ids)
        if path is None:
            continue
        out.append(path)
        out += [path + q for q in EXTRA_QUERIES.get(route, [])]
    return out


def _secrets(w: SecurityWorld) -> dict[str, str]:
    """Every full ID number and phone of a citizen in the world, by where it comes from."""
    found: dict[str, str] = {}
    for label, place in (("a", w.a), ("b", w.b), ("t", w.t)):
        for name in ("case", "colleague_case"):
            case = getattr(place, name)
            found[f"{label}.{name}.id"] = case.applicant_id_no
            found[f"{label}.{name}.phone"] = case.applicant_phone
    found["appointment.phone"] = "13700001111"
    found["complaint.phone"] = "13600002222"
    return found


def _world() -> SecurityWorld:
    w = build()
    Appointment.objects.create(
        centre=w.county, line=w.a.line, day=timezone.localdate(), slot_start="09:00", code="AP000001",
        name="王五", phone="13700001111",
    )  # fmt: skip
    Complaint.objects.create(
        centre=w.county, tracking_code="TS0001", channel=Complaint.Channel.WEB, received_at=timezone.now(),
        complainant_name="赵六", complainant_phone="13600002222", content="等候太久", unit=w.a.unit,
        policy_ref="x", step_due_on=timezone.localdate() + timedelta(days=5),
    )  # fmt: skip
    return w


def _leaks(w: SecurityWorld, user, allowed: set[str]) -> tuple[list[str], int]:
    cache.clear()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    every = _secrets(w)
    # the world gives each place's applicant the same numbers: a value the role may see is not a leak
    allowed_values = {every[k] for k in allowed}
    secrets = {k: v for k, v in every.items() if v and v not in allowed_values}
    leaks, served = [], 0
    for path in _paths(w):
        response = client.get(path)
        if response.status_code != 200:
            continue
        served += 1
        text = _text(response)
        leaks += [f"{path}: {k}" for k, v in secrets.items() if v in text]
    return leaks, served


@pytest.mark.parametrize("role", ["auditor", "window_staff"])
def test_int_2__every_page_export_and_api_route__no_full_id_or_phone_beyond_the_role(role):
    """INT-2: the auditor sees no applicant's or citizen's full ID number or phone anywhere; a window clerk
    only their own case's applicant (the access matrix `cases.personal_data` = own)."""
    w = _world()
    allowed = {"a.case.id", "a.case.phone"} if role == "window_staff" else set()
    leaks, served = _leaks(w, w.role_user(role), allowed)
    assert served > 30  # the walk reached real pages and files, not only refusals
    assert not leaks, "\n".join(leaks)


def test_int_2__walk_can_see_a_leak__centre_office_reads_the_full_numbers():
    """INT-2, control: the centre office may see personal data, and the same walk finds it in full —
    so the test above would notice a leak."""
    w = _world()
    leaks, _ = _leaks(w, w.role_user("centre_admin"), set())
    assert any("a.case.id" in line for line in leaks)
