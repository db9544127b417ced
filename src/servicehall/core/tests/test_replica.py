"""Read replica router: report reads go to the replica, everything else and every write to the primary."""

from __future__ import annotations

from servicehall.core import replica
from servicehall.core.replica import ReplicaRouter, reading_replica, reads_replica


def test_reads_inside_a_report_block_go_to_the_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    router = ReplicaRouter()
    assert router.db_for_read(object) is None
    with reading_replica():
        assert router.db_for_read(object) == "replica"
        assert router.db_for_write(object) == "default"
    assert router.db_for_read(object) is None
    assert router.allow_migrate("replica", "queue") is False
    assert router.allow_migrate("default", "queue") is True


def test_without_a_replica_nothing_moves():
    with reading_replica():
        assert ReplicaRouter().db_for_read(object) is None


def test_report_view_decorator_reads_from_the_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)

    @reads_replica
    def view() -> str | None:
        return ReplicaRouter().db_for_read(object)

    assert view() == "replica"
    assert ReplicaRouter().db_for_read(object) is None
