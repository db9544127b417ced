"""CAT-1 under concurrency: two centre admins deciding the same change at once (needs PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from servicehall.catalog import services
from servicehall.catalog.errors import RevisionAlreadyDecided
from servicehall.catalog.models import ItemRevision
from servicehall.catalog.tests.factories import ItemFactory
from servicehall.core.models import AuditEntry
from servicehall.org.models import Staff
from servicehall.org.tests.factories import StaffFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cat_1__two_admins_decide_same_change_at_once__exactly_one_wins():
    item = ItemFactory(with_materials=1)
    rep = StaffFactory(unit=item.unit, role=Staff.Role.CHIEF_REP)
    admins = [StaffFactory(unit=None, centre=item.centre, role=Staff.Role.CENTRE_ADMIN) for _ in range(2)]
    revision = services.propose_item_change(
        item_id=item.pk, unit_id=item.unit_id, proposer=rep, changes={"fees": "工本费 10 元"}
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(admin: Staff, approve: bool) -> None:
        try:
            barrier.wait()
            if approve:
                services.approve_item_revision(revision_id=revision.pk, approver=admin)
            else:
                services.reject_item_revision(revision_id=revision.pk, approver=admin, note="材料不全")
            outcomes.append("decided")
        except RevisionAlreadyDecided:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(a, i == 0)) for i, a in enumerate(admins)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["decided", "refused"]
    revision.refresh_from_db()
    decisions = AuditEntry.objects.filter(
        target_id=str(revision.pk), verb__in=["catalog.revision.approve", "catalog.revision.reject"]
    )
    assert decisions.count() == 1
    item.refresh_from_db()
    assert (item.fees == "工本费 10 元") == (revision.status == ItemRevision.Status.APPROVED)
