"""Masking of personal data (INT-2): the one helper pages, API, exports and the audit log use. Pure functions.

Who sees a value unmasked is decided by the access matrix cell ("cases", "personal_data"); everyone
else, the auditor included, gets `mask_id` / `mask_phone`."""

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


SENSITIVE_KEYS = ("id_no", "id_number", "phone", "mobile", "password", "secret", "token")


def is_sensitive(key: str) -> bool:
    key = key.lower()
    return any(part in key for part in SENSITIVE_KEYS)


def mask_value(key: str, value: object) -> object:
    """Mask one value by the name of its field: ID numbers and phones keep their ends, secrets vanish."""
    if value is None or value == "":
        return value
    low = key.lower()
    if any(p in low for p in ("password", "secret", "token")):
        return "***"
    if "phone" in low or "mobile" in low:
        return mask_phone(str(value))
    if "id_no" in low or "id_number" in low:
        return mask_id(str(value))
    return value


def mask_mapping(data: dict[str, object]) -> dict[str, object]:
    """A copy of `data` (nested mappings too) with every sensitive field masked."""
    out: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out[key] = mask_mapping(value)
        else:
            out[key] = mask_value(str(key), value)
    return out


# What a required name field holds once personal data is purged after its retention period (INT-2).
PURGED_NAME = "（已清除）"
