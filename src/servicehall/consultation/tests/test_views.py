"""Consultation pages: the to-do list and the inquiry form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servicehall.cases.tests.factories import Hall
from servicehall.cases.tests.test_views import login
from servicehall.consultation import services

pytestmark = pytest.mark.django_db


def test_ask_2__todo_page_lists_promises_and_referrals(client):
    hall = Hall(materials=0)
    services.log_inquiry(
        actor=hall.staff,
        channel="phone",
        question="变更登记多久？",
        outcome="promised",
        contact="13800000000",
    )
    login(client, hall.staff)
    html = client.get(reverse("consultation:todo")).content.decode()
    assert "变更登记多久？" in html
    assert "13800000000" in html


def test_ask_1__inquiry_form_renders_for_staff(client):
    hall = Hall(materials=0)
    login(client, hall.staff)
    assert client.get(reverse("consultation:inquiry_new")).status_code == 200
