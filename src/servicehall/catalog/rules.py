"""Rules for a catalogue item's published content: the six publics (六公开, CAT-1) and case types (CAT-2).

Pure: plain dicts in, a normalised dict out or an error naming the field and the rule. No Django import.
An item's *state* is a dict with the keys in `FIELDS`; a *change* is a partial state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from servicehall.catalog.errors import BadChangePayload, InvalidItemChange

CASE_TYPES = ("immediate", "promised", "joint", "reported")  # 即办件 承诺件 联办件 上报件 (CAT-2)
TEXT_LIMITS: dict[str, int | None] = {
    "code": 40, "name": 200, "category": 60,
    "content": None, "procedure": None, "legal_basis": None, "fees": None,
}  # fmt: skip
FIELDS = (
    "code", "name", "category", "case_type", "joint_unit_ids",
    "content", "procedure", "legal_basis", "materials", "promised_days", "statutory_days", "fees",
)  # fmt: skip
FIELD_LABELS = {
    "code": "事项编码",
    "name": "事项名称",
    "category": "类别",
    "case_type": "办件类型",
    "joint_unit_ids": "联办单位",
    "content": "办理内容",
    "procedure": "办理程序",
    "legal_basis": "法律依据",
    "materials": "申请材料",
    "promised_days": "承诺时限",
    "statutory_days": "法定时限",
    "fees": "收费标准",
}
# The six publics (六公开) that every published item must fill in (CAT-1).
SIX_PUBLIC_TEXTS = ("content", "procedure", "legal_basis", "fees")
MATERIAL_KEYS = ("name", "form", "copies", "required", "note")
MATERIAL_LIMITS = {"name": 200, "form": 40, "note": 300}
MAX_COPIES = 99
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _text(field: str, value: Any, limit: int | None) -> str:
    if not isinstance(value, str):
        raise BadChangePayload(field, f"应为文本，收到 {type(value).__name__}")
    text: str = value.strip()
    if limit is not None and len(text) > limit:
        raise BadChangePayload(field, f"不能超过 {limit} 个字符（现有 {len(text)} 个）")
    return text


def _int(field: str, value: Any, *, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadChangePayload(field, f"应为整数，收到 {value!r}")
    if value < 0:
        raise InvalidItemChange(
            "CAT-1", field, f"{FIELD_LABELS[field]}不能为负数（收到 {value}）", value=value
        )
    return value


def _material(index: int, raw: Any) -> dict[str, Any]:
    where = f"materials[{index}]"
    if not isinstance(raw, Mapping):
        raise BadChangePayload(where, "每项材料应为对象 {name, form, copies, required, note}")
    unknown = sorted(set(raw) - set(MATERIAL_KEYS))
    if unknown:
        raise BadChangePayload(f"{where}.{unknown[0]}", "未知的材料字段")
    if "name" not in raw:
        raise BadChangePayload(f"{where}.name", "材料名称必填")
    out: dict[str, Any] = {}
    for key in ("name", "form", "note"):
        out[key] = _text(
            f"{where}.{key}", raw.get(key, "原件" if key == "form" else ""), MATERIAL_LIMITS[key]
        )
    if not out["name"]:
        raise InvalidItemChange("CAT-1", f"{where}.name", "材料名称不能为空")
    copies = raw.get("copies", 1)
    if isinstance(copies, bool) or not isinstance(copies, int):
        raise BadChangePayload(f"{where}.copies", f"份数应为整数，收到 {copies!r}")
    if not 1 <= copies <= MAX_COPIES:
        raise InvalidItemChange(
            "CAT-1", f"{where}.copies", f"份数应在 1 到 {MAX_COPIES} 之间（收到 {copies}）"
        )
    out["copies"] = copies
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise BadChangePayload(f"{where}.required", f"应为 true/false，收到 {required!r}")
    out["required"] = required
    return out


def normalize_change(change: Mapping[str, Any]) -> dict[str, Any]:
    """Type-check a (partial) change and return it trimmed, with material defaults filled in."""
    if not isinstance(change, Mapping):
        raise BadChangePayload("changes", "应为对象")
    unknown = sorted(set(change) - set(FIELDS))
    if unknown:
        raise BadChangePayload(unknown[0], f"未知字段；可修改的字段：{', '.join(FIELDS)}")
    out: dict[str, Any] = {}
    for field, value in change.items():
        if field in TEXT_LIMITS:
            out[field] = _text(field, value, TEXT_LIMITS[field])
        elif field == "case_type":
            if value not in CASE_TYPES:
                raise BadChangePayload(field, f"应为 {'/'.join(CASE_TYPES)} 之一，收到 {value!r}")
            out[field] = value
        elif field == "promised_days":
            out[field] = _int(field, value)
        elif field == "statutory_days":
            out[field] = _int(field, value, nullable=True)
        elif field == "joint_unit_ids":
            if not isinstance(value, list | tuple) or any(
                isinstance(v, bool) or not isinstance(v, int) for v in value
            ):
                raise BadChangePayload(field, "应为单位编号(整数)列表")
            out[field] = sorted(set(value))
        elif field == "materials":
            if not isinstance(value, list | tuple):
                raise BadChangePayload(field, "应为材料列表")
            out[field] = [_material(i, m) for i, m in enumerate(value)]
    if "code" in out and out["code"] and not CODE_RE.match(out["code"]):
        raise BadChangePayload("code", "事项编码只能包含字母、数字、点、下划线和连字符")
    return out


def merge(state: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    merged = {field: state.get(field) for field in FIELDS}
    merged.update(change)
    return merged


def check_item(state: Mapping[str, Any], *, lead_unit_id: int | None) -> None:
    """Raise the first broken rule of a full item state; return None when it may be published."""
    for field in ("code", "name"):
        if not state.get(field):
            raise InvalidItemChange("CAT-1", field, f"{FIELD_LABELS[field]}必填")
    for field in SIX_PUBLIC_TEXTS:  # 六公开: each of the six must be published (CAT-1)
        if not (state.get(field) or "").strip():
            raise InvalidItemChange("CAT-1", field, f"六公开内容“{FIELD_LABELS[field]}”不能为空")
    if not state.get("materials"):
        raise InvalidItemChange("CAT-1", "materials", "六公开内容“申请材料”不能为空，至少列出一项材料")
    names = [m["name"] for m in state["materials"]]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise InvalidItemChange("CAT-1", f"materials[{i}].name", f"材料“{name}”重复列出")
    promised = state.get("promised_days")
    if promised is None:
        raise InvalidItemChange("CAT-1", "promised_days", "六公开内容“承诺时限”必填")
    statutory = state.get("statutory_days")
    if statutory is not None and promised > statutory:
        raise InvalidItemChange(
            "CAT-1",
            "promised_days",
            f"承诺时限（{promised} 个工作日）不得超过法定时限（{statutory} 个工作日）",
        )
    case_type = state.get("case_type")
    joint = list(state.get("joint_unit_ids") or [])
    if case_type == "immediate" and promised != 0:
        raise InvalidItemChange(
            "CAT-2", "promised_days", f"即办件当场办结，承诺时限必须为 0 个工作日（收到 {promised}）"
        )
    if case_type == "promised" and promised < 1:
        raise InvalidItemChange(
            "CAT-2", "promised_days", "承诺件须承诺至少 1 个工作日；当场办结的事项请设为即办件"
        )
    if case_type == "joint":
        if not joint:
            raise InvalidItemChange("CAT-2", "joint_unit_ids", "联办件（并联审批）须至少指定一个联办单位")
        if lead_unit_id is not None and lead_unit_id in joint:
            raise InvalidItemChange("CAT-2", "joint_unit_ids", "主办单位不能同时作为联办单位")
    elif joint:
        raise InvalidItemChange(
            "CAT-2", "joint_unit_ids", "只有联办件可以指定联办单位；请清空联办单位或改为联办件"
        )


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return [field for field in FIELDS if before.get(field) != after.get(field)]
