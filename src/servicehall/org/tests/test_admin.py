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


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        ("centre", "原州区", lambda w: [w.centre]),
        ("unit", "市场监督", lambda w: [w.unit_a]),
        ("window", "社保参保", lambda w: [w.window_b]),
        ("staff", "张敏", lambda w: [w.clerk_a]),
        ("post", "企业登记", lambda w: list(Post.objects.filter(name="企业登记"))),
    ],
)
def test_admin__changelist_search_finds_exactly_the_matching_rows(
    admin_client_, world, model, query, expected
):
    if model == "post":
        for name, a, b in (
            ("企业登记", world.clerk_a, world.clerk_a2),
            ("食品许可", world.clerk_a2, world.clerk_a),
        ):
            Post.objects.create(centre=world.centre, unit=world.unit_a, name=name, a_holder=a, b_holder=b)
    response = admin_client_.get(f"/admin/org/{model}/", {"q": query})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == expected(world)


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
