"""Names and values for the few statements written by hand against the models' tables (the queue's hot
path, where building the statement through the ORM cost more than the database took to answer it).

Tables and columns are read from the models, so a renamed field or table changes the SQL with it; values
go in and come out as the ORM would send and return them (SQLite keeps datetimes as UTC text).
"""

from __future__ import annotations

from typing import Any, cast

from django.db import connection, models


def table(model: type[models.Model]) -> str:
    """The quoted table of `model`."""
    return connection.ops.quote_name(model._meta.db_table)


def field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A concrete field of `model`."""
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def column(model: type[models.Model], name: str) -> str:
    """The quoted column of a concrete field of `model`."""
    return connection.ops.quote_name(cast(str, field(model, name).column))


def to_db(model: type[models.Model], name: str, value: Any) -> Any:
    """`value` as the database stores `model`'s field `name`."""
    return field(model, name).get_db_prep_save(value, connection)


def from_db(model: type[models.Model], name: str, value: Any) -> Any:
    """A raw value of `model`'s column `name` as the ORM returns it."""
    col = field(model, name).get_col(model._meta.db_table)
    for convert in [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]:
        value = convert(value, col, connection)
    return value
