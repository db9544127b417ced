"""Published versions: selection by effective date, atomic publishing, the CLI (database)."""

from __future__ import annotations

import datetime as dt

import pytest

from servicehall.core.errors import DomainError, InputError
from servicehall.core.models import AuditEntry
from servicehall.core.runtime import command_runner
from servicehall.org.tests.factories import CentreFactory
from servicehall.policy.loader import PolicyError, load_policy
from servicehall.policy_versions import commands
from servicehall.policy_versions.models import PolicyVersion
from servicehall.policy_versions.selectors import parsed_policy, policy_in_force
from servicehall.policy_versions.services import ensure_centre_policy, publish_policy_version

main = command_runner(commands)  # `servicehall ...` with this domain's commands

pytestmark = pytest.mark.django_db

OVERRIDE = (
    "extends: yuanzhou-p2\nname: county\nversion: '2026.2'\n"
    "supervision:\n  yellow_card_lead_working_days: 3\n"
)


@pytest.fixture
def centre():
    return CentreFactory(code="yz", name="原州区政务服务中心")


def publish(centre, source: str, day: dt.date) -> PolicyVersion:
    return publish_policy_version(centre=centre, source=source, effective_from=day, actor=None)


def test_policy_in_force__latest_version_on_or_before_the_day(centre):
    first = publish(centre, "yuanzhou-p2", dt.date(2026, 1, 1))
    second = publish(centre, OVERRIDE, dt.date(2026, 7, 1))
    assert policy_in_force(centre_id=centre.pk, on=dt.date(2026, 6, 30))[0] == first
    version, policy = policy_in_force(centre_id=centre.pk, on=dt.date(2026, 7, 1))
    assert version == second
    assert policy.ref == version.ref == "county@2026.2"
    assert policy.supervision.yellow_card_lead_working_days == 3
    assert policy_in_force(centre_id=centre.pk, on=dt.date(2030, 1, 1))[0] == second


def test_policy_in_force__other_centres_versions_ignored(centre):
    other = CentreFactory(code="town")
    publish(other, "centre-000", dt.date(2025, 1, 1))
    publish(centre, "yuanzhou-p1", dt.date(2026, 1, 1))
    assert policy_in_force(centre_id=centre.pk, on=dt.date(2026, 3, 1))[1].name == "yuanzhou-p1"


def test_policy_in_force__none_yet__error_names_centre_and_date(centre):
    publish(centre, "yuanzhou-p2", dt.date(2026, 1, 1))
    with pytest.raises(DomainError) as err:
        policy_in_force(centre_id=centre.pk, on=dt.date(2025, 12, 31))
    assert "原州区政务服务中心" in str(err.value)
    assert "2025-12-31" in str(err.value)


def test_publish__stores_resolved_data_source_and_audit(centre):
    version = publish(centre, "centre-000", dt.date(2026, 1, 1))
    assert version.source == "extends: centre-000\n"
    assert (version.name, version.version) == ("centre-000", load_policy("centre-000").version)
    assert version.data == load_policy("centre-000").model_dump(mode="json")
    assert len(version.digest) == 64
    entry = AuditEntry.objects.get(verb="policy.version.publish")
    assert entry.target_id == str(version.pk)
    assert entry.centre_id == centre.pk


def test_publish__invalid_policy__writes_nothing(centre):
    bad = "extends: yuanzhou-p2\nname: x\nversion: '1'\nsupervision:\n  yellow_card_lead_working_days: -1\n"
    with pytest.raises(PolicyError):
        publish(centre, bad, dt.date(2026, 1, 1))
    assert not PolicyVersion.objects.exists()
    assert not AuditEntry.objects.exists()


def test_publish__second_version_same_day__refused_and_first_kept(centre):
    first = publish(centre, "yuanzhou-p2", dt.date(2026, 1, 1))
    with pytest.raises(InputError, match="2026-01-01"):
        publish(centre, OVERRIDE, dt.date(2026, 1, 1))
    assert list(PolicyVersion.objects.all()) == [first]


def test_parsed_policy__parsed_once_per_version(centre):
    version = publish(centre, "yuanzhou-p2", dt.date(2026, 1, 1))
    reloaded = PolicyVersion.objects.get(pk=version.pk)
    assert parsed_policy(version) is parsed_policy(reloaded)


def test_ensure_centre_policy__idempotent(centre):
    first = ensure_centre_policy(centre=centre)
    assert ensure_centre_policy(centre=centre) == first
    assert PolicyVersion.objects.count() == 1


def test_cli_publish__preset_and_file(centre, tmp_path, capsys):
    assert main(["policy", "publish", "--centre", "yz", "--effective", "2026-01-01", "yuanzhou-p2"]) == 0
    path = tmp_path / "county.yaml"
    path.write_text(OVERRIDE, encoding="utf-8")
    assert main(["policy", "publish", "--centre", "yz", "--effective", "2026-07-01", str(path)]) == 0
    out = capsys.readouterr().out
    assert "published county@2026.2" in out
    assert "2026-07-01" in out
    assert PolicyVersion.objects.filter(centre=centre).count() == 2


def test_cli_publish__invalid_file__exit_1_nothing_written(centre, tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "extends: yuanzhou-p2\nsupervision: {yellow_card_lead_working_days: -2}\n", encoding="utf-8"
    )
    assert main(["policy", "publish", "--centre", "yz", "--effective", "2026-01-01", str(path)]) == 1
    assert "supervision.yellow_card_lead_working_days: -2 is negative (SUP-1)" in capsys.readouterr().out
    assert not PolicyVersion.objects.exists()


def test_cli_publish__unknown_centre__exit_2(capsys):
    assert main(["policy", "publish", "--centre", "nope", "--effective", "2026-01-01", "yuanzhou-p2"]) == 2
    assert "nope" in capsys.readouterr().err
