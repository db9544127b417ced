"""The admin validates the source YAML through the loader and stores the resolved policy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servicehall.org.tests.factories import CentreFactory
from servicehall.policy_versions.models import PolicyVersion

pytestmark = pytest.mark.django_db


def test_admin_add__valid_source__stored_resolved(admin_client):
    centre = CentreFactory()
    response = admin_client.post(
        reverse("admin:policy_policyversion_add"),
        {"centre": centre.pk, "effective_from": "2026-01-01", "source": "yuanzhou-p1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = PolicyVersion.objects.get()
    assert version.ref.startswith("yuanzhou-p1@")
    assert version.source == "extends: yuanzhou-p1\n"
    assert version.created_by is not None
    page = admin_client.get(reverse("admin:policy_policyversion_change", args=[version.pk]))
    assert "非常满意" in page.content.decode()  # the resolved policy is displayed


def test_admin_add__invalid_source__form_error_with_path_and_rule_nothing_stored(admin_client):
    centre = CentreFactory()
    source = "extends: yuanzhou-p2\nsupervision:\n  yellow_card_lead_working_days: -1\n"
    response = admin_client.post(
        reverse("admin:policy_policyversion_add"),
        {"centre": centre.pk, "effective_from": "2026-01-01", "source": source},
    )
    assert response.status_code == 200
    assert "supervision.yellow_card_lead_working_days: -1 is negative (SUP-1)" in response.content.decode()
    assert not PolicyVersion.objects.exists()
