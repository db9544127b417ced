"""The site shell: public front page, login, per-role dashboard and navigation, API docs."""

import pytest

from servicehall.site.demo import DEMO_PASSWORD, build_demo

pytestmark = pytest.mark.django_db


def test_home_and_login__public_in_chinese(client):
    home = client.get("/")
    assert home.status_code == 200
    assert 'lang="zh-Hans"' in home.content.decode()
    assert "工作人员登录" in client.get("/accounts/login/").content.decode()


def test_dashboard__needs_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_api_docs__served(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "servicehall API"


@pytest.mark.parametrize(
    ("username", "panel", "admin_link"),
    [("office", "中心管理", True), ("supervisor", "效能监察", False), ("chief", "本单位", False),
     ("staff", "我的窗口", False), ("auditor", "只读审计", False)],
)  # fmt: skip
def test_dashboard__panel_and_navigation_per_role(client, username, panel, admin_link):
    build_demo(activity=False)
    client.login(username=username, password=DEMO_PASSWORD)
    page = client.get("/dashboard/").content.decode()
    assert panel in page
    assert ('href="/admin/"' in page) is admin_link


def test_dashboard__centre_office_sees_centre_figures(client):
    build_demo(activity=False)
    client.login(username="office", password=DEMO_PASSWORD)
    figures = {f.label: f.value for f in client.get("/dashboard/").context["figures"]}
    assert figures["窗口单位"] == 8
    assert figures["窗口"] == 30
    assert figures["公开事项"] >= 60


def test_dashboard__window_staff_sees_only_own_figures(client):
    build_demo(activity=False)
    client.login(username="staff", password=DEMO_PASSWORD)
    labels = [f.label for f in client.get("/dashboard/").context["figures"]]
    assert "我的在办件" in labels
    assert "窗口单位" not in labels


def test_navigation__bare_superuser_sees_admin_not_staff_pages(client):
    build_demo(activity=False)
    client.login(username="admin", password=DEMO_PASSWORD)
    page = client.get("/dashboard/").content.decode()
    assert 'href="/admin/"' in page
    assert 'href="/cases/"' not in page  # case pages need a Staff record
