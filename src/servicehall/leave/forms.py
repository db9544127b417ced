"""Leave forms: the leave slip (请假条) with optional cover, a step decision, the return (销假)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, cast

from django import forms

from servicehall.leave.models import Half, LeaveKind


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label="假别", choices=LeaveKind.choices)
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    start_half = forms.ChoiceField(label="自", choices=Half.choices, initial=Half.AM)
    end_date = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_half = forms.ChoiceField(label="至", choices=Half.choices, initial=Half.PM)
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attachment = forms.FileField(label="附件（请假条扫描件等）", required=False)
    certificate_provided = forms.BooleanField(label="已提供医院诊断证明书（病假）", required=False)
    certificate_date = forms.DateField(
        label="诊断证明日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    training_document = forms.FileField(label="培训书面文件（一周以上培训免计限额）", required=False)
    training_document_ref = forms.CharField(label="培训文件文号", required=False, max_length=120)
    cover_staff = forms.ChoiceField(label="顶岗人员", required=False)
    cover_name = forms.CharField(label="单位另派人员姓名", required=False, max_length=40)
    cover_phone = forms.CharField(label="单位另派人员电话", required=False, max_length=40)
    cover_start = forms.DateField(
        label="顶岗开始", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cover_end = forms.DateField(
        label="顶岗结束", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    # Fields that belong to one kind of leave only; the page shows them for that kind (leave/apply.js).
    KIND_FIELDS: ClassVar[dict[str, str]] = {
        "certificate_provided": LeaveKind.SICK,
        "certificate_date": LeaveKind.SICK,
        "training_document": LeaveKind.TRAINING,
        "training_document_ref": LeaveKind.TRAINING,
    }
    OTHER_COVER = "other"

    def __init__(self, *args: Any, candidates: Sequence[tuple[Any, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(s.pk): s for s, _note in candidates}
        choices = [("", "不安排 / 暂不安排")]
        choices += [(str(s.pk), f"{s.name}（{s.staff_no}，{note}）") for s, note in candidates]
        choices.append((self.OTHER_COVER, "单位另派人员（不在名单中）"))
        cast("forms.ChoiceField", self.fields["cover_staff"]).choices = choices
        for name, kind in self.KIND_FIELDS.items():
            self.fields[name].widget.attrs["data-leave-kind"] = kind

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = data.get("cover_staff") or ""
        if picked == self.OTHER_COVER and not data.get("cover_name"):
            self.add_error("cover_name", "请填写单位另派顶岗人员的姓名")
        if picked not in ("", self.OTHER_COVER):
            data["cover_person"] = self.candidates[picked]  # the choices are the candidates
        else:
            data["cover_person"] = None  # an outside cover by name (the page hides the name unless picked)
        if (data["cover_person"] or data.get("cover_name")) and not (
            data.get("cover_start") and data.get("cover_end")
        ):
            self.add_error("cover_start", "请填写顶岗起止日期")
        for name, kind in self.KIND_FIELDS.items():
            if data.get("kind") != kind and name in data:  # a hidden field of another kind is not sent on
                data[name] = {"certificate_provided": False, "training_document_ref": ""}.get(name)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "同意"), ("reject", "不同意")])
    note = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    signer_name = forms.CharField(label="签批人（纸质签字）", required=False, max_length=60)
    signed_on = forms.DateField(
        label="签批日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReturnForm(forms.Form):
    certificate_provided = forms.BooleanField(label="销假时提供诊断证明书", required=False)
    certificate_date = forms.DateField(
        label="诊断证明日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
