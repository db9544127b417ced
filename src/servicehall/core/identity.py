"""Identity documents (证件) and phone numbers: the one validator registration forms, the API and
imports use (INT-2: a progress-query secret must be a real phone or ID tail). Imports nothing from Django.

- 居民身份证 / 港澳台居民居住证 / 新版外国人永久居留身份证: 18 characters, GB 11643-1999 check digit
  (ISO 7064 MOD 11-2) and a real birth date.
- 统一社会信用代码 (legal persons): 18 characters, GB 32100-2015 check character.
- passports and the mainland travel permits of Hong Kong, Macao and Taiwan residents by their format.
- phones: a mainland mobile (1[3-9] + 9 digits, optional +86) or a landline with its area code.
"""

from __future__ import annotations

import datetime as dt
import enum
import re

from servicehall.core.errors import InputError


class IdKind(enum.StrEnum):
    """证件类型; the value is stored, the label shown."""

    RESIDENT_ID = "resident_id"
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    HMT_RESIDENCE = "hmt_residence"
    FOREIGN_PERMANENT = "foreign_permanent"
    CREDIT_CODE = "credit_code"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ID_KIND_LABELS[self]


ID_KIND_LABELS: dict[IdKind, str] = {
    IdKind.RESIDENT_ID: "居民身份证",
    IdKind.PASSPORT: "护照",
    IdKind.HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    IdKind.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    IdKind.HMT_RESIDENCE: "港澳台居民居住证",
    IdKind.FOREIGN_PERMANENT: "外国人永久居留身份证",
    IdKind.CREDIT_CODE: "统一社会信用代码",
    IdKind.OTHER: "其他证件",
}
ID_KIND_CHOICES: list[tuple[str, str]] = [(k.value, k.label) for k in IdKind]

_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_GB11643_CHECK = "10X98765432"
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_FORMATS: dict[IdKind, tuple[re.Pattern[str], str]] = {
    IdKind.PASSPORT: (re.compile(r"[A-Z0-9]{5,17}"), "护照号码应为 5–17 位字母或数字"),
    IdKind.HK_MACAO_PERMIT: (
        re.compile(r"[HM]\d{8}(\d{2})?"),
        "港澳居民来往内地通行证号码应为 H 或 M 开头加 8 位（或 10 位）数字",
    ),
    IdKind.TAIWAN_PERMIT: (re.compile(r"\d{8}|\d{10}"), "台湾居民来往大陆通行证号码应为 8 位或 10 位数字"),
    IdKind.OTHER: (re.compile(r"[A-Z0-9()（）-]{4,40}"), "证件号码应为 4–40 位字母或数字"),
}
_OLD_FOREIGN_PERMANENT = re.compile(r"[A-Z]{3}\d{12}")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?")


def gb11643_check_char(first17: str) -> str:
    """The 18th character of a citizen ID number for its first 17 digits (GB 11643, ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _GB11643_WEIGHTS, strict=True))
    return _GB11643_CHECK[total % 11]


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100)."""
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def _normalise_id(value: str) -> str:
    return re.sub(r"[\s\u3000]", "", value or "").upper()


def validate_id_number(
    kind: str, number: str, *, field: str = "applicant_id_no", today: dt.date | None = None
) -> str:
    """The normalised document number (upper-case, no spaces); InputError naming `field` if it is not
    a valid number of that kind. An empty number returns '' (the caller decides whether it is required)."""
    value = _normalise_id(number)
    if not value:
        return ""
    try:
        id_kind = IdKind(kind or IdKind.RESIDENT_ID)
    except ValueError:
        raise InputError(f"{field}_kind", f"未知的证件类型「{kind}」") from None
    if id_kind in (IdKind.RESIDENT_ID, IdKind.HMT_RESIDENCE):
        _check_gb11643(value, field, today=today, label=id_kind.label)
        if id_kind is IdKind.HMT_RESIDENCE and value[:2] not in {"81", "82", "83"}:
            raise InputError(field, "港澳台居民居住证号码应以 81、82 或 83 开头")
    elif id_kind is IdKind.FOREIGN_PERMANENT:
        if not _OLD_FOREIGN_PERMANENT.fullmatch(value):
            _check_gb11643(value, field, today=today, label=id_kind.label)
            if not value.startswith("9"):
                raise InputError(field, "外国人永久居留身份证号码应以 9 开头，或为 3 位字母加 12 位数字")
    elif id_kind is IdKind.CREDIT_CODE:
        if not re.fullmatch(f"[{_CREDIT_ALPHABET}]{{18}}", value):
            raise InputError(field, "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）")
        if credit_code_check_char(value[:17]) != value[17]:
            raise InputError(field, "统一社会信用代码校验位不正确，请核对")
    else:
        pattern, message = _FORMATS[id_kind]
        if not pattern.fullmatch(value):
            raise InputError(field, message)
    return value


def _check_gb11643(value: str, field: str, *, today: dt.date | None, label: str) -> None:
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise InputError(field, f"{label}号码应为 18 位（前 17 位为数字，末位为数字或 X）")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InputError(field, f"{label}号码中的出生日期不存在") from None
    # Applicants are registered by date, not by instant: the local calendar date is meant here.
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date; callers in the hall pass theirs
    if born > today or born.year < 1900:
        raise InputError(field, f"{label}号码中的出生日期不合理")
    if gb11643_check_char(value[:17]) != value[17]:
        raise InputError(field, f"{label}号码校验位不正确，请核对")


def normalise_phone(value: str) -> str:
    """Digits of a phone (spaces and dashes dropped, +86 / 0086 removed from a mobile)."""
    raw = re.sub(r"[\s\u3000()（）]", "", value or "")
    if raw.startswith("+86"):
        raw = raw[3:]
    elif raw.startswith("0086"):
        raw = raw[4:]
    return raw.replace("-", "") if _MOBILE.fullmatch(raw.replace("-", "")) else raw


def is_mobile(value: str) -> bool:
    return bool(_MOBILE.fullmatch(value or ""))


def is_valid_phone(value: str) -> bool:
    return bool(_MOBILE.fullmatch(value or "") or _LANDLINE.fullmatch(value or ""))


def validate_phone(value: str, *, field: str = "applicant_phone", mobile_only: bool = False) -> str:
    """The normalised phone, or InputError naming `field`; '' stays '' (the caller decides if required)."""
    phone = normalise_phone(value)
    if not phone:
        return ""
    if is_mobile(phone) or (not mobile_only and _LANDLINE.fullmatch(phone)):
        return phone
    if mobile_only:
        raise InputError(field, "请填写 11 位手机号码（1 开头）")
    raise InputError(field, "请填写 11 位手机号码，或带区号的固定电话（如 0571-87654321）")
