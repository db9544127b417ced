"""Organisation pages: public window board (ORG-4, ORG-6), staff directory and pause form scoped by role."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from servicehall.org import services
from servicehall.org.models import Window


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_org_4__board_page__shows_badge_and_complaint_phone(world):
    response = Client().get(reverse("org:board", args=["county"]))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ("张敏", "科员", "企业登记受理", "企业设立、变更、注销登记", "0954-12345"):
        assert shown in html
    assert world.clerk_a.staff_no not in html
    assert world.clerk_b.phone not in html


def test_org_6__board_page__paused_window_tells_where_to_go(world):
    services.pause_window(
        window_id=world.window_a.pk,
        actor=world.user("clerk_a"),
        message="外出送达",
        redirect_window_id=world.window_a2.pk,
    )
    html = Client().get(reverse("org:board", args=["county"])).content.decode()
    assert "外出送达" in html
    assert "2号窗口" in html


def test_org_1__board_page__other_centre_windows_not_listed(world):
    html = Client().get(reverse("org:board", args=["town"])).content.decode()
    assert "民政综合" in html
    assert "企业登记" not in html


def test_board_page__htmx_refresh_returns_fragment(world):
    html = Client().get(reverse("org:board", args=["county"]), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert "org-board" in html


def test_roles__staff_pages__need_login(world):
    response = Client().get(reverse("org:staff_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_roles__window_staff_of_unit_a__unit_b_staff_detail_page__404(world):
    response = client_for(world.user("clerk_a")).get(reverse("org:staff_detail", args=[world.clerk_b.pk]))
    assert response.status_code == 404


def test_roles__chief_rep__staff_page_lists_own_unit_only(world):
    html = client_for(world.user("chief_a")).get(reverse("org:staff_list")).content.decode()
    assert world.clerk_a.staff_no in html
    assert world.clerk_a2.staff_no in html
    assert world.clerk_b.staff_no not in html


def test_roles__centre_admin__staff_page_lists_all_units_of_own_centre(world):
    html = client_for(world.user("admin")).get(reverse("org:staff_list")).content.decode()
    assert world.clerk_a.staff_no in html
    assert world.clerk_b.staff_no in html
    assert world.other_clerk.staff_no not in html


def test_roles__window_staff_of_unit_a__pause_form_for_unit_b__403(world):
    client = client_for(world.user("clerk_a"))
    url = reverse("org:window_pause", args=[world.window_b.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"redirect_window": world.window_a.pk}).status_code == 403
    world.window_b.refresh_from_db()
    assert world.window_b.status == Window.Status.OPEN


def test_roles__auditor__pause_form__403(world):
    response = client_for(world.user("auditor")).post(
        reverse("org:window_pause", args=[world.window_a.pk]), {"redirect_window": world.window_a2.pk}
    )
    assert response.status_code == 403


def test_org_6__pause_form_without_redirect_or_resume__error_shown_and_window_open(world):
    response = client_for(world.user("clerk_a")).post(
        reverse("org:window_pause", args=[world.window_a.pk]), {"message": "离开一下"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "ORG-6" in response.content.decode()
    world.window_a.refresh_from_db()
    assert world.window_a.status == Window.Status.OPEN


def test_org_6__pause_form_htmx__returns_updated_row(world):
    response = client_for(world.user("clerk_a")).post(
        reverse("org:window_pause", args=[world.window_a.pk]),
        {"redirect_window": world.window_a2.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert f'id="window-{world.window_a.pk}"' in html
    assert "恢复服务" in html
    world.window_a.refresh_from_db()
    assert world.window_a.status == Window.Status.PAUSED


def test_org_6__pause_form_offers_only_open_windows_of_same_centre(world):
    html = (
        client_for(world.user("admin"))
        .get(reverse("org:window_pause", args=[world.window_a.pk]))
        .content.decode()
    )
    assert f'value="{world.window_b.pk}"' in html
    assert f'value="{world.other_window.pk}"' not in html
    assert f'value="{world.window_a.pk}"' not in html


def test_window_list__pause_button_only_where_allowed(world):
    html = client_for(world.user("clerk_a")).get(reverse("org:windows")).content.decode()
    assert reverse("org:window_pause", args=[world.window_a.pk]) in html
    assert reverse("org:window_pause", args=[world.window_a2.pk]) not in html  # same unit, not their window
    assert f'id="window-{world.window_b.pk}"' not in html  # another unit's window is not listed


def test_nav__public_board_link_for_everyone(world):
    html = Client().get("/").content.decode()
    assert reverse("org:board_index") in html


def test_int_2__auditor__staff_phones_masked_on_list_detail_and_api(world):
    """INT-2: the auditor checks staff records but has no need to call anyone — phones masked; the centre
    office sees them in full."""
    auditor = client_for(world.user("auditor"))
    full, masked = "13900000002", "139****0002"
    pages = [reverse("org:staff_list"), reverse("org:staff_detail", args=[world.clerk_b.pk])]
    for url in pages:
        html = auditor.get(url).content.decode()
        assert masked in html, url
        assert full not in html, url
    api = auditor.get(f"/api/org/staff/{world.clerk_b.pk}").json()
    assert api["phone"] == masked
    admin = client_for(world.user("admin"))
    assert full in admin.get(pages[1]).content.decode()
    assert admin.get(f"/api/org/staff/{world.clerk_b.pk}").json()["phone"] == full
