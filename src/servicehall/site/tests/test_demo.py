"""The demo centre: realistic size, every role can log in, and building it twice changes nothing."""

import pytest
from django.contrib.auth import get_user_model

from servicehall.org.models import Centre, Post, Staff, Unit, Window
from servicehall.site.demo import DEMO_PASSWORD, build_demo

pytestmark = pytest.mark.django_db


def _counts():
    return (Centre.objects.count(), Unit.objects.count(), Window.objects.count(), Staff.objects.count(),
            Post.objects.count(), get_user_model().objects.count())  # fmt: skip


def test_demo__size_of_a_county_centre():
    build_demo(activity=False)
    county = Centre.objects.get(code="demo-county")
    assert Unit.objects.filter(centre=county).count() == 8
    assert Window.objects.filter(centre=county).count() == 30
    assert Staff.objects.filter(centre=county, unit__isnull=False).count() == 80
    assert Centre.objects.get(code="demo-town").parent == county  # ORG-1: a town centre under the county


def test_demo__idempotent():
    build_demo(activity=False)
    first = _counts()
    build_demo(activity=False)
    assert _counts() == first


def test_demo__every_role_logs_in(client):
    logins = build_demo()
    roles = set()
    for login in logins:
        assert client.login(username=login.username, password=DEMO_PASSWORD), login.username
        response = client.get("/dashboard/")
        assert response.status_code == 200
        roles.add(login.role)
        client.logout()
    assert {"中心管理办公室", "效能监察室", "首席代表", "窗口工作人员", "审计(只读)"} <= roles


def test_demo__org_3_no_post_has_one_person_as_a_and_b():
    build_demo(activity=False)
    assert not [p for p in Post.objects.all() if p.a_holder_id == p.b_holder_id]


def test_demo__catalogue_published_with_materials():
    from servicehall.catalog.models import Item, Material

    build_demo(activity=False)
    county = Centre.objects.get(code="demo-county")
    items = Item.objects.filter(centre=county, status=Item.Status.PUBLISHED)
    assert items.count() >= 60
    assert Material.objects.filter(item__centre=county).count() >= 2 * items.count()
    assert set(items.values_list("case_type", flat=True)) == {"immediate", "promised", "joint", "reported"}


def test_demo__each_centre_has_a_policy_in_force():
    from datetime import date

    from servicehall.policy_versions.selectors import policy_in_force

    build_demo(activity=False)
    for centre in Centre.objects.all():
        version, policy = policy_in_force(centre_id=centre.pk, on=date(2026, 3, 2))
        assert policy.name == version.name == "yuanzhou-p2"


def test_demo__kiosk_offers_every_unit_line(client):
    from servicehall.queue.models import ServiceLine

    build_demo(activity=False)
    county = Centre.objects.get(code="demo-county")
    lines = ServiceLine.objects.filter(centre=county)
    assert lines.count() == 8
    assert all(line.items.exists() and line.line_windows.exists() for line in lines)
    assert client.get("/kiosk/demo-county/").status_code == 200


def test_demo__centre_office_keeps_reference_data_in_admin(client):
    build_demo(activity=False)
    client.login(username="office", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/org/window/").status_code == 200
    assert client.get("/admin/workdays/calendarday/").status_code == 200
    client.logout()
    client.login(username="staff", password=DEMO_PASSWORD)
    assert client.get("/admin/org/window/").status_code == 302  # window staff: no admin
