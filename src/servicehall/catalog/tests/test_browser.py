"""Headless check that the public list searches live (htmx) as a citizen types pinyin initials."""

from __future__ import annotations

import pytest

from servicehall.catalog.tests.factories import ItemFactory
from servicehall.core.tests.browser import chromium, new_page
from servicehall.org.tests.factories import CentreFactory, UnitFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_catalog__typing_pinyin_initials__filters_list_without_reload(live_server):
    from playwright.sync_api import expect

    unit = UnitFactory(centre=CentreFactory(code="county"), name="市场监督管理局")
    ItemFactory(unit=unit, code="SJ-001", name="营业执照变更登记")
    ItemFactory(unit=unit, code="SJ-002", name="食品经营许可")
    with chromium() as browser:
        page = new_page(browser)
        page.goto(f"{live_server.url}/catalog/county/")
        rows = page.locator("#catalog-results li.item-card")
        assert rows.count() == 2
        page.evaluate("window.__marker = 1")  # survives only if the page is not reloaded
        page.fill("#q", "yyzz")
        expect(rows).to_have_count(1)  # polled from outside: the page's CSP forbids evaluated strings
        assert "营业执照变更登记" in rows.first.inner_text()
        assert page.evaluate("window.__marker") == 1
