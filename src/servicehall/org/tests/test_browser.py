"""Browser check of the htmx pause form (ORG-6) and the public board it updates."""

from __future__ import annotations

import pytest

from servicehall.org.models import Window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_org_6__window_staff_pauses_own_window_in_place__board_shows_redirect(world, live_server, page):
    world.clerk_a.user.set_password("Clerk-pass-2026")
    world.clerk_a.user.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.clerk_a.user.username)
    page.fill("input[name=password]", "Clerk-pass-2026")
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{live_server.url}/org/windows/")
    row = page.locator(f"#window-{world.window_a.pk}")
    row.get_by_text("暂停服务").click()
    form_row = page.locator(f"#window-{world.window_a.pk} form")
    form_row.wait_for()
    form_row.locator("select[name=redirect_window]").select_option(str(world.window_a2.pk))
    form_row.locator("button[type=submit]").click()
    page.locator(f"#window-{world.window_a.pk}").get_by_text("恢复服务").wait_for()
    assert Window.objects.get(pk=world.window_a.pk).status == Window.Status.PAUSED

    page.goto(f"{live_server.url}/windows/county/")
    sign = page.locator("#w-1 .org-pause-sign")
    assert "2号窗口" in sign.inner_text()
