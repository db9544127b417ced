"""Model validation and database constraints (ORG-3, ORG-5, ORG-6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from servicehall.org.models import Post, Window
from servicehall.org.tests.factories import PostFactory, StaffFactory, UnitFactory, WindowFactory


def test_org_3__model_clean__same_person_as_a_and_b__error_on_b(db):
    post = PostFactory()
    post.b_holder = post.a_holder
    with pytest.raises(ValidationError) as err:
        post.full_clean()
    assert err.value.message_dict["b_holder"] == ["ORG-3: A角和B角不能是同一人"]


def test_org_3__model_clean__b_from_another_unit__error_on_b(db):
    post = PostFactory()
    post.b_holder = StaffFactory(unit=UnitFactory(centre=post.centre))
    with pytest.raises(ValidationError) as err:
        post.full_clean()
    assert "ORG-3" in err.value.message_dict["b_holder"][0]


def test_org_3__database_constraint__same_person_as_a_and_b__refused(db):
    person = StaffFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            centre=person.centre, unit=person.unit, name="岗", a_holder=person, b_holder=person
        )
    assert not Post.objects.filter(a_holder=person).exists()


def test_org_6__model_clean__paused_without_redirect_or_resume_time__refused(db):
    window = WindowFactory(status=Window.Status.PAUSED, paused_message="暂停服务")
    with pytest.raises(ValidationError) as err:
        window.full_clean()
    assert "ORG-6" in err.value.message_dict["paused_message"][0]


def test_org_6__model_clean__redirect_to_another_centre__refused(db):
    window = WindowFactory()
    window.status = Window.Status.PAUSED
    window.redirect_window = WindowFactory()  # its own new centre
    with pytest.raises(ValidationError) as err:
        window.full_clean()
    assert "ORG-6" in err.value.message_dict["redirect_window"][0]


def test_org_5__model_clean__posting_end_before_start__refused(db):
    person = StaffFactory(posted_from=dt.date(2025, 6, 1), posted_until=dt.date(2025, 5, 31))
    with pytest.raises(ValidationError) as err:
        person.full_clean()
    assert "ORG-5" in err.value.message_dict["posted_until"][0]
