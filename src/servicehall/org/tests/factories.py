"""Factories for centres, units, windows and staff; other domains' tests build on these."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from servicehall.org.models import Centre, Post, Staff, Unit, Window


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"centre-{n}")
    name = factory.Sequence(lambda n: f"第{n}政务服务中心")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"单位{n}")


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    unit = factory.SubFactory(UnitFactory)
    centre = factory.SelfAttribute("unit.centre")
    number = factory.Sequence(lambda n: str(n + 1))
    name = factory.Sequence(lambda n: f"综合受理{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-servicehall")


class StaffFactory(factory.django.DjangoModelFactory):
    """Window staff by default (`role=Staff.Role.CHIEF_REP` etc.); `with_user=True` adds a login."""

    class Meta:
        model = Staff
        skip_postgeneration_save = True

    class Params:
        with_user = factory.Trait(user=factory.SubFactory(UserFactory))

    unit = factory.SubFactory(UnitFactory)
    centre = factory.SelfAttribute("unit.centre")
    name = factory.Sequence(lambda n: f"员工{n}")
    staff_no = factory.Sequence(lambda n: f"S{n:05d}")
    badge_no = factory.LazyAttribute(lambda o: f"B{o.staff_no}")
    role = Staff.Role.WINDOW_STAFF


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    unit = factory.SubFactory(UnitFactory)
    centre = factory.SelfAttribute("unit.centre")
    name = factory.Sequence(lambda n: f"岗位{n}")
    a_holder = factory.SubFactory(StaffFactory, unit=factory.SelfAttribute("..unit"))
    b_holder = factory.SubFactory(StaffFactory, unit=factory.SelfAttribute("..unit"))


class CentreStaffFactory(StaffFactory):
    """Centre office staff (no unit): `CentreStaffFactory(role=Staff.Role.AUDITOR, with_user=True)`."""

    unit = None
    centre = factory.SubFactory(CentreFactory)
    role = Staff.Role.CENTRE_ADMIN
