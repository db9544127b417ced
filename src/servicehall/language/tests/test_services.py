"""Vetting replies before they are sent (ASK-3, LANG-4) and the override record."""

from __future__ import annotations

import pytest

from servicehall.core.models import AuditEntry
from servicehall.language.errors import FlaggedReply, OverrideReasonRequired
from servicehall.language.models import FlaggedReplyOverride
from servicehall.language.services import record_override, vet_reply
from servicehall.language.tests.helpers import language
from servicehall.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_lang_4__clean_reply__no_findings_nothing_written():
    staff = StaffFactory()
    assert vet_reply(staff=staff, text="您好，请您先备齐资料。", policy=language()) == []
    assert not FlaggedReplyOverride.objects.exists()


def test_lang_4__flagged_reply_without_reason__refused_nothing_written():
    staff = StaffFactory()
    with pytest.raises(FlaggedReply) as err:
        vet_reply(staff=staff, text="都在办事须知上写着，你不会看吗？", policy=language())
    assert err.value.rule_id == "LANG-4"
    assert err.value.facts["findings"][0]["phrase_id"] == "read-notice-yourself"
    assert not FlaggedReplyOverride.objects.exists()


def test_lang_4__flagged_reply_with_reason__override_recorded_and_audited():
    staff = StaffFactory()
    findings = vet_reply(
        staff=staff,
        text="群众原话是“别来烦我”，已转交督查室。",
        policy=language(),
        override_reason="引用群众原话，不是对群众说的",
        context="consultation:7",
    )
    assert [f.phrase_id for f in findings] == ["too-busy-dont-bother"]
    override = FlaggedReplyOverride.objects.get()
    assert override.staff == staff
    assert override.centre_id == staff.centre_id
    assert override.findings[0]["matched"] == "别来烦我"
    assert override.context == "consultation:7"
    assert AuditEntry.objects.filter(verb="language.reply.override", target_id=str(override.pk)).exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_lang_4__record_override_with_blank_reason__refused(reason):
    staff = StaffFactory()
    with pytest.raises(OverrideReasonRequired) as err:
        record_override(staff=staff, text="别来烦我", findings=[], reason=reason)
    assert err.value.rule_id == "LANG-4"
    assert not FlaggedReplyOverride.objects.exists()
