"""Personal data encrypted at rest (INT-2): ID numbers are stored as Fernet tokens, looked up by keyed hash.

Keys come from the environment: `SERVICEHALL_FIELD_KEYS` (comma-separated Fernet keys; the first encrypts,
all decrypt, so a new key is put first and `servicehall personal-data rotate-keys` re-encrypts every row
under it) and `SERVICEHALL_LOOKUP_KEY` (the HMAC-SHA256 key of the lookup columns, kept across rotations).
Without them a development key is derived from SECRET_KEY and `check --deploy` warns (servicehall.W010).

Lookups never decrypt: a column next to the token holds `lookup_hash(value)`, so "which case has this ID
number" or "does this tail open the progress query" is one HMAC and an indexed comparison.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Callable, Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

KEYS_ENV = "SERVICEHALL_FIELD_KEYS"
LOOKUP_ENV = "SERVICEHALL_LOOKUP_KEY"


def derived_key(label: str) -> str:
    """A Fernet-shaped key derived from SECRET_KEY: the development and test default only."""
    digest = hashlib.sha256(f"servicehall:{label}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def field_keys() -> tuple[str, ...]:
    keys = tuple(k.strip() for k in getattr(settings, "SERVICEHALL_FIELD_KEYS", ()) if k.strip())
    return keys or (derived_key("field-key"),)


def lookup_key() -> bytes:
    key = getattr(settings, "SERVICEHALL_LOOKUP_KEY", "") or derived_key("lookup-key")
    return key.encode()


@functools.lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, MultiFernet]:
    try:
        fernets = [Fernet(k.encode()) for k in keys]
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"{KEYS_ENV}: each key must be 32 url-safe base64-encoded bytes (Fernet.generate_key())"
        ) from exc
    return fernets[0], MultiFernet(fernets)


def encrypt(value: str) -> str:
    """A Fernet token under the first key; the empty string stays empty (nothing to protect, and
    'no ID number' must stay visible to the purge and to completeness checks)."""
    if not value:
        return value
    return _fernets(field_keys())[1].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return token
    try:
        return _fernets(field_keys())[1].decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            f"an encrypted field cannot be read with the keys in {KEYS_ENV}: keep every old key listed "
            "until `servicehall personal-data rotate-keys` has finished"
        ) from None


def is_current(token: str) -> bool:
    """Whether `token` is already encrypted under the first key (rotation skips it)."""
    try:
        _fernets(field_keys())[0].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def lookup_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of `value` under the lookup key, hex; `purpose` separates columns (a full ID number
    and a four-character tail never share digests). Empty stays empty."""
    if not value:
        return ""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(lookup_key(), message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # plain str in and out
    """A text column holding a Fernet token; Python code sees the plain value.

    Only `isnull` and `exact` with the empty string make sense in a query (a token is random), so other
    lookups are refused rather than silently finding nothing: search the lookup-hash column instead."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if isinstance(value, str) else value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"exact", "isnull", "in"}:
            raise TypeError(f"{self.name} is encrypted: filter on its lookup-hash column instead")
        return super().get_lookup(lookup_name)


def rotate_column(
    model: type[models.Model],
    field: str,
    *,
    batch: int = 500,
    refresh: Callable[[models.Model], Iterable[str]] | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Re-encrypt every non-empty `field` of `model` under the first key, `batch` rows per transaction.

    Reads the stored tokens (not the ORM's decrypted values) so rows already under the first key are
    skipped: running it twice changes nothing the second time. `refresh(obj)` recomputes the row's
    lookup hashes (e.g. after a new lookup key) and returns the changed field names; `on_batch(seen,
    written)` runs inside each batch's transaction that wrote something (the audit entry commits with
    the batch). Returns (rows seen, rows written)."""
    from django.db import connection

    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    column = qn(str(getattr(model._meta.get_field(field), "column", field)))
    pk = qn(str(getattr(model._meta.pk, "column", "id")))
    seen = written = 0
    last = None
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                where = f"{column} <> ''" + (f" AND {pk} > %s" if last is not None else "")
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s",
                    [last, batch] if last is not None else [batch],
                )
                rows = cursor.fetchall()
            if not rows:
                return seen, written
            objs = {
                o.pk: o
                for o in model._default_manager.select_for_update().filter(pk__in=[r[0] for r in rows])
            }
            changed = []
            for row_pk, token in rows:
                obj = objs[row_pk]
                fields = set(refresh(obj)) if refresh else set()
                if not is_current(token):
                    fields.add(field)
                if fields:
                    changed.append((obj, fields))
            for obj, fields in changed:
                model._default_manager.filter(pk=obj.pk).update(**{f: getattr(obj, f) for f in fields})
            seen += len(rows)
            written += len(changed)
            last = rows[-1][0]
            if changed and on_batch is not None:
                on_batch(len(rows), len(changed))


@checks.register(checks.Tags.security, deploy=True)
def field_keys_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Production must not rely on keys derived from SECRET_KEY: rotating that key would make every
    ID number unreadable, and one secret would guard both sessions and personal data."""
    out: list[checks.CheckMessage] = []
    if not getattr(settings, "SERVICEHALL_FIELD_KEYS", ()):
        out.append(
            checks.Warning(
                f"{KEYS_ENV} is not set: ID numbers are encrypted with a key derived from SECRET_KEY",
                hint="set it to one or more keys from `servicehall personal-data new-key` (INT-2)",
                id="servicehall.W010",
            )
        )
    if not getattr(settings, "SERVICEHALL_LOOKUP_KEY", ""):
        out.append(
            checks.Warning(
                f"{LOOKUP_ENV} is not set: lookup hashes of ID numbers use a key derived from SECRET_KEY",
                hint="set it once to a long random value and keep it (INT-2)",
                id="servicehall.W011",
            )
        )
    try:
        _fernets(field_keys())
    except ImproperlyConfigured as exc:
        out.append(checks.Error(str(exc), id="servicehall.E010"))
    return out
