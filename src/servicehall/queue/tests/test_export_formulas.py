"""Queue statistics exports keep a line name such as `=1+2` as text (INT-2: spreadsheet formula injection)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from servicehall.org.models import Staff
from servicehall.org.tests.factories import StaffFactory, UserFactory
from servicehall.queue import services


@pytest.fixture
def office_client(client, hall):
    line = hall.lines[0]
    line.name = "=1+2"
    line.save(update_fields=["name"])
    hall.lines[1].name = '@SUM(A1:A9)+HYPERLINK("http://x")'
    hall.lines[1].save(update_fields=["name"])
    admin = StaffFactory(centre=hall.centre, unit=hall.unit, role=Staff.Role.CENTRE_ADMIN, user=UserFactory())
    services.issue_ticket(item_ids=[hall.items[0].pk])
    services.issue_ticket(item_ids=[hall.items[1].pk])
    client.force_login(admin.user)
    return client


def test_int_2__queue_stats_xlsx__line_name_stays_text(office_client):
    body = office_client.get("/queue/stats/?hall=hall&format=xlsx").content
    ws = load_workbook(io.BytesIO(body)).active
    names = [ws.cell(row=r, column=2) for r in range(2, ws.max_row + 1)]
    assert {c.value for c in names} >= {"'=1+2", '\'@SUM(A1:A9)+HYPERLINK("http://x")'}
    assert all(c.data_type == "s" for c in names)


def test_int_2__queue_stats_csv__no_cell_starts_with_a_formula_character(office_client):
    text = office_client.get("/queue/stats/?hall=hall&format=csv").content.decode("utf-8-sig")
    assert "'=1+2" in text
    assert "'@SUM(A1:A9)" in text
    for line in text.splitlines():
        for cell in line.split(","):
            assert not cell.strip('"').startswith(("=", "+", "@", "-")), line
