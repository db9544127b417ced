"""The signed-in user is read with their staff record in one statement (org.auth.StaffUserBackend)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from servicehall.core.roles import Role, role_of, staff_of
from servicehall.org.auth import StaffUserBackend
from servicehall.org.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_user_comes_with_role_and_centre_in_one_query(django_assert_num_queries):
    """ORG-1: every staff request asks for the role and the centre; they come with the user."""
    staff = StaffFactory(with_user=True, role=Role.CHIEF_REP)
    with django_assert_num_queries(1):
        user = StaffUserBackend().get_user(staff.user.pk)
        assert staff_of(user).pk == staff.pk
        assert role_of(user) == Role.CHIEF_REP
        assert staff_of(user).centre_id == staff.centre_id
        assert staff_of(user).user is user
    assert user.username == staff.user.username
    assert user.check_password("pw-servicehall")  # the password hash is read as the ORM reads it


def test_user_without_staff_record_is_known_without_another_query(django_assert_num_queries):
    """A superuser without a staff record is the centre office (core.roles); a citizen account has no role."""
    admin = get_user_model().objects.create_superuser("root", password="x")
    plain = UserFactory()
    with django_assert_num_queries(2):
        assert role_of(StaffUserBackend().get_user(admin.pk)) == Role.CENTRE_ADMIN
        assert staff_of(StaffUserBackend().get_user(plain.pk)) is None


def test_inactive_absent_or_malformed_user_is_nobody():
    user = UserFactory(is_active=False)
    backend = StaffUserBackend()
    assert backend.get_user(user.pk) is None
    assert backend.get_user(user.pk + 1000) is None
    assert backend.get_user("not-a-number") is None


def test_signed_in_request_uses_it(client):
    """Through the session: the dashboard sees the staff member's role without reading the user twice."""
    staff = StaffFactory(with_user=True, role=Role.CENTRE_ADMIN)
    client.force_login(staff.user)
    assert client.get("/dashboard/").status_code == 200
    assert client.session["_auth_user_backend"] == "servicehall.org.auth.StaffUserBackend"
