"""The form a unit uses to propose a change (CAT-1). Materials are typed one per line:
`名称 | 形式 | 份数 | 必须/可选 | 说明` — only the name is needed, the rest have defaults."""

from __future__ import annotations

from typing import Any

from django import forms

from servicehall.catalog.models import CaseType, Item
from servicehall.core.errors import InputError
from servicehall.org.models import Unit

YES = {"是", "必须", "必需", "必交", "必", "1", "y", "yes", "true"}
NO = {"否", "可选", "非必须", "选交", "0", "n", "no", "false"}
MATERIALS_HELP = (
    "每行一项：名称 | 形式(原件/复印件/电子) | 份数 | 必须/可选 | 说明，"
    "例如：居民身份证 | 复印件 | 1 | 必须 | 正反面"
)


def parse_materials(text: str) -> list[dict[str, Any]]:
    """Parse the checklist textarea; a bad line raises InputError naming the line."""
    materials: list[dict[str, Any]] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) > 5:
            raise InputError(f"申请材料第 {lineno} 行", "最多 5 栏：名称 | 形式 | 份数 | 必须/可选 | 说明")
        parts += [""] * (5 - len(parts))
        name, form, copies_raw, required_raw, note = parts
        try:
            copies = int(copies_raw) if copies_raw else 1
        except ValueError:
            raise InputError(f"申请材料第 {lineno} 行", f"份数应为整数，收到“{copies_raw}”") from None
        flag = required_raw.lower()
        if flag and flag not in YES | NO:
            raise InputError(f"申请材料第 {lineno} 行", f"第 4 栏应为“必须”或“可选”，收到“{required_raw}”")
        materials.append(
            {"name": name, "form": form or "原件", "copies": copies, "required": flag not in NO, "note": note}
        )
    return materials


def format_materials(materials: list[dict[str, Any]]) -> str:
    return "\n".join(
        " | ".join(
            [
                m["name"],
                m.get("form") or "原件",
                str(m.get("copies", 1)),
                "必须" if m.get("required", True) else "可选",
            ]
            + ([m["note"]] if m.get("note") else [])
        )
        for m in materials
    )


class ItemChangeForm(forms.Form):
    code = forms.CharField(label="事项编码", max_length=40)
    name = forms.CharField(label="事项名称", max_length=200)
    category = forms.CharField(label="类别", max_length=60, required=False)
    case_type = forms.ChoiceField(label="办件类型", choices=CaseType.choices)
    joint_units = forms.ModelMultipleChoiceField(
        label="联办单位（联办件必填）", queryset=Unit.objects.none(), required=False
    )
    content = forms.CharField(label="办理内容", widget=forms.Textarea(attrs={"rows": 3}))
    procedure = forms.CharField(label="办理程序", widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="法律依据", widget=forms.Textarea(attrs={"rows": 3}))
    materials = forms.CharField(
        label="申请材料清单", help_text=MATERIALS_HELP, widget=forms.Textarea(attrs={"rows": 6})
    )
    promised_days = forms.IntegerField(label="承诺时限(工作日)")
    statutory_days = forms.IntegerField(label="法定时限(工作日)", required=False)
    fees = forms.CharField(label="收费标准及依据", widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="变更理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, unit: Unit, item: Item | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        joint: Any = self.fields["joint_units"]  # a ModelMultipleChoiceField
        joint.queryset = Unit.objects.filter(centre_id=unit.centre_id).exclude(pk=unit.pk)
        if item is not None:
            self.fields["code"].disabled = True

    def changes(self) -> dict[str, Any]:
        """The proposed state as the service expects it; raises InputError for a bad materials line."""
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "category": data.get("category") or "",
            "case_type": data["case_type"],
            "joint_unit_ids": sorted(u.pk for u in data.get("joint_units") or []),
            "content": data["content"],
            "procedure": data["procedure"],
            "legal_basis": data["legal_basis"],
            "materials": parse_materials(data["materials"]),
            "promised_days": data["promised_days"],
            "statutory_days": data.get("statutory_days"),
            "fees": data["fees"],
        }


def initial_from_state(state: dict[str, Any]) -> dict[str, Any]:
    initial = {k: v for k, v in state.items() if k not in {"materials", "joint_unit_ids"}}
    initial["materials"] = format_materials(state.get("materials") or [])
    initial["joint_units"] = state.get("joint_unit_ids") or []
    return initial
