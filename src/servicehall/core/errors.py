"""Domain errors shared by every domain; imports nothing from Django so rule engines may raise them."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

E = TypeVar("E", bound=Enum)


class DomainError(Exception):
    """Something the user asked for cannot be done; `message` is shown to people, `facts` to machines."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, **facts: object) -> None:
        super().__init__(message)
        self.message = message
        self.facts = facts

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The viewer may not see or change this object (role or unit scope)."""

    status = 403
    code = "forbidden"


class RuleViolation(DomainError):
    """The regulations forbid this action; `rule_id` names the rule (see REGULATIONS.md)."""

    status = 409
    code = "rule_violation"

    def __init__(self, rule_id: str, message: str, **facts: object) -> None:
        super().__init__(message, **facts)
        self.rule_id = rule_id

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.message}"


class InputError(DomainError):
    """Bad input from a file, form or API call; `where` names the file/row/column or field."""

    code = "bad_input"

    def __init__(self, where: str, message: str, **facts: object) -> None:
        super().__init__(message, where=where, **facts)
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def parse_choice(enum: type[E], value: object, where: str) -> E:
    """`value` as a member of `enum`, or InputError naming the field and the allowed values."""
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum)
        raise InputError(where, f"无效的取值 {value!r}；可选: {allowed}") from None


class Throttled(DomainError):
    """Too many requests from one client, phone or account in a short time (HTTP 429)."""

    status = 429
    code = "throttled"
