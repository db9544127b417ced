"""Names and values for the few statements written by hand against the models' tables (the queue's hot
path, where building the statement through the ORM cost more than the database took to answer it).

Tables and columns are read from the models, so a renamed field or table changes the SQL with it; values
go in and come out as the ORM would send and return them (SQLite keeps datetimes as UTC text).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import cache, wraps
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


def statement(build: Callable[..., str]) -> Callable[..., str]:
    """Build a hand-written statement's text once per database and shape (the builder's positional
    arguments, e.g. how many placeholders), not on every request: reading field names and quoting them
    took longer than the database took to answer the hot path's statements."""
    built = cache(lambda vendor, *args: build(*args))

    @wraps(build)
    def text(*args: Hashable) -> str:
        result: str = built(connection.vendor, *args)
        return result

    return text


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
    """A raw value of `model`'s column `name` (a concrete field's name) as the ORM returns it."""
    db = connections[DEFAULT_DB_ALIAS]
    col, convert_all = _reader(model, db.vendor).by_name[name]
    for convert in convert_all:
        value = convert(value, col, db)
    return value


def columns(model: type[models.Model], alias: str = "") -> str:
    """`model`'s concrete columns, quoted and comma-separated (prefixed `alias.`), in the order `load` reads."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + column(model, f.name) for f in model._meta.concrete_fields)


def split(row: Sequence[Any], *models: type[models.Model]) -> list[Sequence[Any]]:
    """A row of several models' `columns`, side by side in that order, cut into one part per model (a
    joined statement's row; each part goes to `load` when wanted)."""
    parts, start = [], 0
    for model in models:
        end = start + len(model._meta.concrete_fields)
        parts.append(row[start:end])
        start = end
    if start != len(row):
        raise ValueError(
            f"a row of {len(row)} columns is not {', '.join(m.__name__ for m in models)} side by side"
        )
    return parts


def load(model: type[models.Model], row: Sequence[Any]) -> Any:
    """An instance of `model` from a row of `columns(model)`, each value converted as the ORM converts it."""
    db = connections[DEFAULT_DB_ALIAS]
    reader = _reader(model, db.vendor)
    values = list(row)
    for i, col, convert_all in reader.converting:
        value = values[i]
        for convert in convert_all:
            value = convert(value, col, db)
        values[i] = value
    return model.from_db(db.alias, reader.attnames, values)


class _Reader:
    """How the ORM reads `model`'s concrete columns on one database: each field's column expression and
    converters, worked out once (the hot path reads a few rows per request)."""

    def __init__(self, model: type[models.Model]) -> None:
        fields = model._meta.concrete_fields
        self.attnames = [f.attname for f in fields]
        self.by_name: dict[str, tuple[Any, list[Any]]] = {}
        self.converting: list[tuple[int, Any, list[Any]]] = []
        for i, f in enumerate(fields):
            col = f.get_col(model._meta.db_table)
            convert_all = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
            self.by_name[f.name] = (col, convert_all)
            if convert_all:
                self.converting.append((i, col, convert_all))


@cache
def _reader(model: type[models.Model], vendor: str) -> _Reader:
    return _Reader(model)


def insert(objs: Sequence[models.Model]) -> None:
    """INSERT unsaved instances of one model in one statement, as `bulk_create` does (each field's
    `pre_save`, values prepared for the database), and give them their ids from RETURNING."""
    if not objs:
        return
    model = type(objs[0])
    fields = _insert_fields(model)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, len(objs)), params)
        ids = cursor.fetchall()
    for obj, (pk,) in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


@cache
def _insert_fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    """The fields an INSERT writes (all but the auto primary key), listed once per model."""
    return tuple(f for f in model._meta.concrete_fields if f is not model._meta.auto_field)


@statement
def _insert_sql(model: type[models.Model], rows: int) -> str:
    fields = _insert_fields(model)
    row = f"({', '.join(['%s'] * len(fields))})"
    return (
        f"INSERT INTO {table(model)} ({', '.join(column(model, f.name) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {column(model, model._meta.pk.name)}"
    )
