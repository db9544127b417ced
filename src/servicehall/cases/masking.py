"""Masking of applicants' personal data for anything the public can see (INT-2). Pure functions."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; a company name keeps its first two characters."""
    name = (name or "").strip()
    if not name:
        return ""
    keep = 2 if len(name) > 6 else 1
    return name[:keep] + "*" * min(len(name) - keep, 6)


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id(id_no: str) -> str:
    """An ID number keeps only its first two and last two characters."""
    raw = (id_no or "").strip()
    if len(raw) <= 4:
        return "*" * len(raw)
    return raw[:2] + "*" * (len(raw) - 4) + raw[-2:]


def last4(value: str) -> str:
    """The last four characters of a phone or ID number, upper-cased (an ID may end in X)."""
    raw = "".join(c for c in (value or "") if c.isalnum())
    return raw[-4:].upper() if len(raw) >= 4 else ""
