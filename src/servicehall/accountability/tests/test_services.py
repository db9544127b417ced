from datetime import date

import pytest

from servicehall.accountability.selectors import events_in_period
from servicehall.accountability.services import record_accountability_event, withdraw_accountability_event
from servicehall.core.models import AuditEntry
from servicehall.org.models import Centre, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    centre = Centre.objects.create(code="c1", name="县政务服务中心")
    return Staff.objects.create(centre=centre, name="张三", staff_no="001")


def test_eval5_event_recorded_once_per_source_and_audited(staff):
    """EVAL-5: a source record produces one event, however often it is reported."""
    kwargs = dict(
        source=staff,
        kind="complaint",
        occurred_on=date(2026, 3, 2),
        rule="EVAL-2",
        centre_id=staff.centre_id,
        staff_id=staff.pk,
    )
    first = record_accountability_event(**kwargs)
    second = record_accountability_event(**kwargs)
    assert first.pk == second.pk
    assert AuditEntry.objects.filter(verb="accountability.record").count() == 1


def test_eval5_withdrawn_event_stays_on_record_but_stops_counting(staff):
    """EVAL-5: an overturned source withdraws its event; the period's events no longer include it."""
    record_accountability_event(
        source=staff,
        kind="finding",
        occurred_on=date(2026, 3, 2),
        rule="EVAL-3",
        centre_id=staff.centre_id,
        staff_id=staff.pk,
        level="street",
    )
    period = dict(centre_id=staff.centre_id, start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert [e.level for e in events_in_period(**period)] == ["street"]
    assert withdraw_accountability_event(source=staff, kind="finding", actor=None, reason="申诉成立") == 1
    assert list(events_in_period(**period)) == []
    assert staff.centre.accountabilityevent_set.count() == 1
    outside = dict(centre_id=staff.centre_id, start=date(2026, 4, 1), end=date(2026, 6, 30))
    assert list(events_in_period(**outside)) == []
