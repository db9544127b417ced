"""A page's write: call the service, then tell the person what happened, in one place.

Every staff form that posts to a service does the same three things: run the service, flash a sentence on
success, and turn a refusal (`DomainError`) into words on the page — beside the field it names when the
form has that field, above the form otherwise. A rule's refusal ends with its rule ID, which the page shows
as a badge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from servicehall.core.errors import DomainError, InputError, RuleViolation


def show_error(
    request: HttpRequest, exc: DomainError, form: Any = None, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on the page: on the form field it names (`fields` renames the service's
    names to the form's), else as a message; a rule refusal keeps its rule ID for the badge."""
    if isinstance(exc, InputError) and form is not None:
        where = exc.where.split("[")[0]
        field = (fields or {}).get(where, where.split(".")[0])
        if field in form.fields:
            form.add_error(field, exc.message)
            return
    if isinstance(exc, RuleViolation):
        text = getattr(exc, "message_zh", exc.message)
        messages.error(request, text if exc.rule_id in text else f"{text} {exc.rule_id}")
        return
    messages.error(request, exc.message)


def perform(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    done: str,
    form: Any = None,
    fields: Mapping[str, str] | None = None,
) -> bool:
    """Run `action`; on success flash `done` and answer True, on a refusal show it (see `show_error`)."""
    try:
        action()
    except DomainError as exc:
        show_error(request, exc, form, fields=fields)
        return False
    if done:
        messages.success(request, done)
    return True


def perform_form(
    request: HttpRequest, form: Any, action: Callable[[dict[str, Any]], object], *, done: str, invalid: str
) -> bool:
    """A small posted form (a reason, a decision): `invalid` when it does not validate, else `perform`."""
    if not form.is_valid():
        messages.error(request, invalid)
        return False
    return perform(request, lambda: action(form.cleaned_data), done=done, form=form)
