"""Real-browser walk through the supervision office pages (SUP-1, SUP-2, CASE-6, EVAL-4): dashboard
link, today's cards, card detail with reply, appeal and decision, unit ranking with its chart, fee ledger."""

from __future__ import annotations

import pytest

from servicehall.cases import services as cases
from servicehall.cases.tests.factories import Hall, local
from servicehall.catalog.models import FeeScheduleLine
from servicehall.core.tests.browser import new_page
from servicehall.core.tests.browser import sign_in as browser_sign_in
from servicehall.org.models import Staff
from servicehall.org.tests.factories import UserFactory
from servicehall.supervision import services
from servicehall.supervision.jobs import run_sweep
from servicehall.supervision.models import Card, CardStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Supervise-pass-2026"


def with_login(staff: Staff, username: str) -> None:
    staff.user = UserFactory(username=username)
    staff.user.set_password(PASSWORD)
    staff.user.save()
    staff.save(update_fields=["user"])


def sign_in(browser, live_server, username: str):
    page = new_page(browser)
    browser_sign_in(page, live_server.url, username, PASSWORD)
    return page


def test_sup_1__supervision_office_pages_in_a_real_browser(live_server, browser):
    hall = Hall(promised_days=2)
    hall.office.role = Staff.Role.SUPERVISOR
    hall.office.save()
    with_login(hall.office, "jiancha")
    with_login(hall.staff, "chuangkou")
    FeeScheduleLine.objects.create(
        item=hall.item, position=1, name="工本费", legal_basis="收费依据文件", amount="10.00"
    )
    case = cases.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", window=hall.window, at=local(2025, 9, 30, 10)
    )
    cases.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 30, 10))
    cases.start_processing(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 30, 11))
    services.charge_fee(
        case_id=case.pk,
        actor=hall.staff,
        name="加急费",
        amount="30",
        receipt_no="R-9",
        at=local(2025, 9, 30, 11),
    )
    run_sweep(at=local(2025, 10, 11, 0, 0))
    red = Card.objects.get(case=case, colour="red", trigger="deadline")
    yellow = Card.objects.get(case=case, colour="yellow", trigger="deadline")

    # the window staff replies in writing to the red card and appeals the yellow one
    staff_page = sign_in(browser, live_server, "chuangkou")
    staff_page.goto(f"{live_server.url}/supervision/cards/{red.pk}/")
    staff_page.fill(
        "#card-actions textarea[name=text] >> nth=0", "节假日后材料流转延误，已督促当日办结并整改。"
    )
    staff_page.get_by_role("button", name="提交回复").click()
    staff_page.locator("#card-status").get_by_text("已书面回复").wait_for()
    staff_page.goto(f"{live_server.url}/supervision/cards/{yellow.pk}/")
    staff_page.locator("form", has_text="申诉理由").locator("textarea").fill(
        "申请人要求暂缓，非窗口原因，有记录为证。"
    )
    staff_page.get_by_role("button", name="提交申诉").click()
    staff_page.locator("#card-status").get_by_text("申诉中").wait_for()

    # the supervisor follows the dashboard link to today's cards
    page = sign_in(browser, live_server, "jiancha")
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#panel-supervision").get_by_role("link", name="黄牌/红牌预警").click()
    page.wait_for_url("**/supervision/")
    page.fill("input[name=day]", "2025-10-11")
    page.get_by_role("button", name="查看").click()
    # deadline yellow and red, the off-schedule fee (red) and the unit step past its own limit (yellow)
    assert page.locator("#cards-today tbody tr").count() == 4
    page.locator("#cards-today").get_by_role("link", name="红牌").first.click()
    page.locator("#card-detail").wait_for()
    # decision: uphold the red card, withdraw the yellow one; urge the overdue case (CASE-6)
    page.goto(f"{live_server.url}/supervision/cards/{red.pk}/")
    page.get_by_role("button", name="督促立即办理").click()
    page.get_by_text("已督促窗口立即办理").wait_for()
    page.locator("form", has_text="决定意见").locator("textarea").fill("核实属实，维持")
    page.get_by_role("button", name="维持").click()
    page.locator("#card-status").get_by_text("维持").wait_for()
    page.goto(f"{live_server.url}/supervision/cards/{yellow.pk}/")
    page.locator("form", has_text="决定意见").locator("textarea").fill("申诉成立，撤销")
    page.get_by_role("button", name="撤销").click()
    page.locator("#card-status").get_by_text("已撤销").wait_for()
    assert Card.objects.get(pk=red.pk).status == CardStatus.UPHELD
    assert Card.objects.get(pk=yellow.pk).status == CardStatus.WITHDRAWN

    # unit ranking with its chart: the withdrawn yellow card does not count
    page.goto(f"{live_server.url}/supervision/ranking/?period=2025-10")
    assert page.locator("#ranking-chart svg").count() == 1
    row = page.locator("#unit-ranking tbody tr", has_text=hall.unit.name)
    cells = row.locator("td").all_inner_texts()
    assert cells[3:5] == [
        "1",
        "2",
    ]  # the step yellow (the withdrawn one does not count); deadline and fee red

    # the fee ledger of the day shows the off-schedule fee
    page.goto(f"{live_server.url}/supervision/fees/?day=2025-09-30")
    ledger = page.locator("#fee-ledger")
    assert "加急费" in ledger.inner_text()
    assert "不符合收费标准" in ledger.inner_text()
