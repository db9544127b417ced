"""Two sweeps at once on PostgreSQL (SQLite ignores row locks): each card is issued once (SUP-1)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from servicehall.cases import services as cases
from servicehall.cases.tests.factories import Hall, local
from servicehall.notifications.models import StaffNotification
from servicehall.supervision.jobs import run_sweep
from servicehall.supervision.models import Card, CardSchedule

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_sup_1__two_sweeps_at_once__each_card_issued_once():
    hall = Hall(promised_days=2)
    for n in range(40):
        case = cases.register_case(
            actor=hall.staff,
            item=hall.item,
            applicant_name=f"申请人{n}",
            window=hall.window,
            at=local(2025, 9, 30, 10),
        )
        cases.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 30, 10))
    barrier = threading.Barrier(2)
    results: list[dict] = []
    errors: list[BaseException] = []

    def sweep():
        barrier.wait()
        try:
            results.append(run_sweep(at=local(2025, 10, 20, 9), batch=7))
        except BaseException as exc:  # reported below, so a failing thread fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Card.objects.count() == 80  # 40 yellow + 40 red
    assert sum(r["issued"] for r in results) == 80
    assert not CardSchedule.objects.filter(issued=False).exists()
    assert StaffNotification.objects.filter(kind="supervision.card").count() == 80 * 2  # staff + chief rep
    assert run_sweep(at=local(2025, 10, 21, 9))["issued"] == 0
