"""The signed-in user (登录用户), read with their staff record (工作人员) in one statement."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from servicehall.core import rawsql
from servicehall.org.models import Staff


class StaffUserBackend(ModelBackend):
    """Django's password backend, except for how a signed-in request reads its user: with the staff record
    in one hand-written statement. Every staff page and API call reads the user, then the role and the
    centre (core.roles.staff_of); through the ORM the two reads took about 15 % of a call-next's CPU
    (docs/benchmarks.md, "the queue's hot path"). A user without a staff record (a citizen, a bare
    superuser) is known as such without another query, as `select_related("staff")` would."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:  # a session from another installation: nobody signed in
            return None
        with connection.cursor() as cursor:
            cursor.execute(_user_with_staff_sql(), [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user_row, staff_row = rawsql.split(row, user_model, Staff)
        user = rawsql.load(user_model, user_row)
        staff = None if staff_row[0] is None else rawsql.load(Staff, staff_row)  # no staff record joined
        # as select_related("staff") leaves it: `user.staff` answers (or raises) without a query
        user_model._meta.get_field("staff").set_cached_value(user, staff)
        if staff is not None:
            Staff._meta.get_field("user").set_cached_value(staff, user)
        return user if self.user_can_authenticate(user) else None


@rawsql.statement
def _user_with_staff_sql() -> str:
    user_model = get_user_model()
    return (
        f"SELECT {rawsql.columns(user_model, 'u')}, {rawsql.columns(Staff, 's')} FROM {rawsql.table(user_model)} u "
        f"LEFT JOIN {rawsql.table(Staff)} s ON s.{rawsql.column(Staff, 'user')} = u.{rawsql.column(user_model, 'id')} "
        f"WHERE u.{rawsql.column(user_model, 'id')} = %s"
    )
