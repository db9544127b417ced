"""Findings of the attack on the demo, one test each (ORG-1, INT-2, CASE-9): writes never cross into
another centre or unit, window staff see only their own cases, another unit's record answers 404."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from servicehall.cases import selectors as case_selectors
from servicehall.cases import services as case_services
from servicehall.cases.models import CaseExtension
from servicehall.core.errors import DomainError, Forbidden, NotFound
from servicehall.core.models import AuditEntry
from servicehall.org import services as org_services
from servicehall.org.models import Staff, Window
from servicehall.policy_versions.models import PolicyVersion
from servicehall.policy_versions.services import publish_policy_version
from tests.security.world import SecurityWorld, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> SecurityWorld:
    return build()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- finding 2: writes cross into another centre ----------------------------------------------------------


def test_org_1__county_office_in_admin__cannot_rename_a_town_window(w):
    """ORG-1: the county office's admin login neither sees nor changes a town centre's window."""
    client = _client(w.office.user)
    url = f"/admin/org/window/{w.t.window.pk}/change/"
    assert client.get(url).status_code in (302, 403, 404)
    client.post(url, {"number": "T1", "name": "被改名", "unit": w.t.unit.pk, "centre": w.town.pk})
    w.t.window.refresh_from_db()
    assert w.t.window.name != "被改名"
    listing = client.get("/admin/org/window/").content.decode()
    assert "三营镇民政办窗口" not in listing
    assert "区市场监督管理局窗口" in listing


def test_org_1__county_office_in_admin__cannot_edit_town_staff_or_publish_town_policy(w):
    """ORG-1: town staff and town policy are the town office's; the county's admin forms refuse them."""
    client = _client(w.office.user)
    client.post(
        f"/admin/org/staff/{w.t.clerk.pk}/change/",
        {"name": "被改名", "staff_no": w.t.clerk.staff_no, "role": "centre_admin", "is_active": "on"},
    )
    w.t.clerk.refresh_from_db()
    assert (w.t.clerk.name, w.t.clerk.role) != ("被改名", "centre_admin")
    before = PolicyVersion.objects.filter(centre=w.town).count()
    client.post(
        "/admin/policy/policyversion/add/",
        {"centre": w.town.pk, "effective_from": "2030-01-01", "source": "yuanzhou-p1"},
    )
    assert PolicyVersion.objects.filter(centre=w.town).count() == before
    with pytest.raises(Forbidden):  # the service refuses too, whatever the caller
        publish_policy_version(centre=w.town, source="yuanzhou-p1", effective_from=_day(), actor=w.office)


def _day():
    import datetime as dt

    return dt.date(2030, 1, 1)


def test_org_1__admin_save__goes_through_the_service_and_is_audited(w):
    """ORG-1, CASE-9: the county office renames its own window in the admin; the service audits it with
    before/after, and the pause fields (ORG-6) are not editable there."""
    client = _client(w.office.user)
    url = f"/admin/org/window/{w.a.window.pk}/change/"
    response = client.post(
        url, {"number": "A1", "name": "企业开办", "business_scope": "", "floor": "", "location": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    w.a.window.refresh_from_db()
    assert w.a.window.name == "企业开办"
    entry = AuditEntry.objects.filter(verb="org.window.update", target_id=str(w.a.window.pk)).get()
    assert entry.after == {"name": "企业开办"}
    assert entry.before == {"name": "区市场监督管理局窗口"}
    client.post(url, {"number": "A1", "name": "企业开办", "status": "paused", "paused_message": "x"})
    w.a.window.refresh_from_db()
    assert w.a.window.status == Window.Status.OPEN


def test_org_1__town_grants_county_management__explicit_audited_and_revocable(w):
    """ORG-1: a county office manages a town's records only after the town's own office grants it; the
    grant and its revocation are audited."""
    with pytest.raises(DomainError):  # Forbidden before the grant
        org_services.update_window(window_id=w.t.window.pk, actor=w.office, name="县代管")
    with pytest.raises(DomainError):  # the county cannot grant itself
        org_services.grant_centre_management(
            centre_id=w.town.pk, grantee_centre_id=w.county.pk, actor=w.office
        )
    org_services.grant_centre_management(
        centre_id=w.town.pk, grantee_centre_id=w.county.pk, actor=w.town_office
    )
    org_services.update_window(window_id=w.t.window.pk, actor=w.office, name="县代管")
    w.t.window.refresh_from_db()
    assert w.t.window.name == "县代管"
    assert AuditEntry.objects.filter(verb="org.centre.grant", centre_id=w.town.pk).exists()
    org_services.revoke_centre_management(
        centre_id=w.town.pk, grantee_centre_id=w.county.pk, actor=w.town_office
    )
    with pytest.raises(DomainError):
        org_services.update_window(window_id=w.t.window.pk, actor=w.office, name="再改")
    assert AuditEntry.objects.filter(verb="org.centre.revoke", centre_id=w.town.pk).exists()


def test_org_1__void_punch_of_a_town_centre__404_and_punch_untouched(w):
    """ORG-1 (ATT-2): the county office cannot void a town punch; the page answers 404."""
    response = _client(w.office.user).post(f"/attendance/punches/{w.t.punch.pk}/void/", {"reason": "误打"})
    assert response.status_code == 404
    w.t.punch.refresh_from_db()
    assert not w.t.punch.voided
    response = _client(w.office.user).post(f"/attendance/punches/{w.a.punch.pk}/void/", {"reason": "误打"})
    w.a.punch.refresh_from_db()
    assert response.status_code == 302
    assert w.a.punch.voided


def test_org_1__chief_rep_priority__other_centre_404__other_unit_403__own_unit_ok(w):
    """ORG-1 (Q-2): a chief rep sets priority only on tickets of their own unit's lines."""
    client = _client(w.a.chief.user)

    def set_priority(ticket):
        return client.post(
            f"/api/queue/tickets/{ticket.pk}/priority",
            data=json.dumps({"group": "disabled"}),
            content_type="application/json",
        )

    assert set_priority(w.t.ticket).status_code == 404
    assert set_priority(w.b.ticket).status_code == 403
    for ticket in (w.t.ticket, w.b.ticket):
        ticket.refresh_from_db()
        assert ticket.priority == ""
    assert set_priority(w.a.ticket).status_code == 200


# -- finding 7: window staff see colleagues' cases --------------------------------------------------------


def test_int_2__window_staff__colleagues_case_is_404_in_page_api_and_list(w):
    """INT-2 (policy access.window_staff_cases = own): a window clerk sees only their own cases."""
    client = _client(w.a.clerk.user)
    assert client.get(f"/cases/{w.a.colleague_case.pk}/").status_code == 404
    assert client.get(f"/api/cases/{w.a.colleague_case.pk}").status_code == 404
    assert client.get(f"/cases/{w.a.case.pk}/").status_code == 200
    visible = set(case_selectors.cases_visible_to(viewer=w.a.clerk.user).values_list("pk", flat=True))
    assert visible == {w.a.case.pk}


def test_int_2__window_staff__cannot_extend_a_colleagues_case(w):
    """INT-2, CASE-5: extending a colleague's case is refused and writes nothing."""
    case_services.accept_case(case_id=w.a.colleague_case.pk, actor=w.a.colleague)
    with pytest.raises(NotFound):
        case_services.extend_deadline(
            case_id=w.a.colleague_case.pk, actor=w.a.clerk, working_days=2, reason="材料复杂需要核实",
            consent_note="申请人同意",
        )  # fmt: skip
    assert not CaseExtension.objects.filter(case=w.a.colleague_case).exists()


def test_int_2__policy_own_unit__widens_window_staff_to_their_units_cases(w):
    """INT-2: the scope is a policy value; a centre that sets own_unit lets window staff see colleagues'."""
    source = "extends: yuanzhou-p2\nname: own-unit\nversion: '1'\naccess:\n  window_staff_cases: own_unit\n"
    import datetime as dt

    publish_policy_version(centre=w.county, source=source, effective_from=dt.date(2001, 1, 1), actor=None)
    assert case_selectors.window_staff_case_scope(w.county.pk) == "own_unit"
    visible = set(case_selectors.cases_visible_to(viewer=w.a.clerk.user).values_list("pk", flat=True))
    assert visible == {w.a.case.pk, w.a.colleague_case.pk}
    assert w.b.case.pk not in visible


def test_int_2__auditor_and_supervisor_see_id_and_phone_masked(w):
    """INT-2: roles that do not handle the case see the applicant's ID number and phone masked."""
    for user in (w.auditor.user, w.supervisor.user):
        page = _client(user).get(f"/cases/{w.a.case.pk}/").content.decode()
        assert "110101199003074514" not in page
        assert "13812345678" not in page
        assert "138****5678" in page
    page = _client(w.a.clerk.user).get(f"/cases/{w.a.case.pk}/").content.decode()
    assert "13812345678" in page


def test_org_1__staff_role_is_not_changed_by_another_centre(w):
    """ORG-1: set_staff_role for a town clerk by the county office is refused."""
    with pytest.raises(DomainError):
        org_services.set_staff_role(staff_id=w.t.clerk.pk, role=Staff.Role.CHIEF_REP, actor=w.office)
    w.t.clerk.refresh_from_db()
    assert w.t.clerk.role == Staff.Role.WINDOW_STAFF
