"""The supervisor dashboard shows bad ratings waiting for rectification and overdue ones (差评整改, EVAL-1)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from servicehall.evaluation import services
from servicehall.evaluation.tests.conftest import make_voice
from servicehall.site.dashboard import dashboard_figures


def test_eval_1__overdue_rectification_shows_on_the_supervisor_dashboard(db, client):
    voice = make_voice()
    at = timezone.now() - timedelta(days=30)
    services.submit_rating(
        centre_id=voice.centre.pk, ticket_id=voice.finished_ticket(at=at).pk, level="dissatisfied", at=at
    )
    figures = {f.label: f for f in dashboard_figures(voice.supervisor.user)}
    assert figures["超期未整改差评"].value == 1
    assert figures["超期未整改差评"].alert
    assert figures["待整改差评"].value == 1
    chief = {f.label: f.value for f in dashboard_figures(voice.chief_b.user)}
    assert chief["本单位待整改差评"] == 0
    client.force_login(voice.supervisor.user)
    page = client.get(reverse("evaluation:rectifications") + "?overdue=1")
    assert "已超期" in page.content.decode()
