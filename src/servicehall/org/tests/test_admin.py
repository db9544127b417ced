"""Admin for organisation data: lists render, and the A/B post form shows the ORG-3 error."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from servicehall.org.models import Post


@pytest.fixture
def admin_client_(world) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", password="Root-pass-2026"))
    return client


@pytest.mark.parametrize("model", ["centre", "unit", "window", "staff", "post"])
def test_admin__changelists_render_with_filters(admin_client_, model):
    response = admin_client_.get(f"/admin/org/{model}/?q=1")
    assert response.status_code == 200


def test_org_3__admin_post_form__same_person__error_shown_and_nothing_saved(admin_client_, world):
    response = admin_client_.post(
        "/admin/org/post/add/",
        {
            "centre": world.centre.pk,
            "unit": world.unit_a.pk,
            "name": "企业登记",
            "a_holder": world.clerk_a.pk,
            "b_holder": world.clerk_a.pk,
        },
    )
    assert response.status_code == 200
    assert "ORG-3: A角和B角不能是同一人" in response.content.decode()
    assert not Post.objects.exists()
