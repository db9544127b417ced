"""Rotation forms (ORG-5)."""

from __future__ import annotations

from django import forms

from servicehall.rotation.services import CANDIDATE_FIELDS


class ApplicationForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label="单位")  # type: ignore[var-annotated]  # Optional narrowing left to the domain's owner
    letter_no = forms.CharField(label="来函文号", max_length=60)
    submitted_on = forms.DateField(label="来函日期", widget=forms.DateInput(attrs={"type": "date"}))
    handover_on = forms.DateField(label="拟交接日期", widget=forms.DateInput(attrs={"type": "date"}))
    outgoing = forms.ModelChoiceField(queryset=None, label="轮换回原单位人员", required=False)  # type: ignore[var-annotated]  # Optional narrowing left to the domain's owner
    reason = forms.CharField(label="轮换原因", widget=forms.Textarea(attrs={"rows": 2}))
    special_letter = forms.BooleanField(label="附部门主要领导签发的特别函件", required=False)
    special_letter_signer = forms.CharField(label="签发领导", max_length=40, required=False)

    def __init__(self, *args, unit_qs, staff_qs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_qs  # type: ignore[attr-defined]  # Optional narrowing left to the domain's owner
        self.fields["outgoing"].queryset = staff_qs  # type: ignore[attr-defined]  # Optional narrowing left to the domain's owner
        for key, label in CANDIDATE_FIELDS.items():
            self.fields[f"candidate_{key}"] = forms.CharField(label=f"拟选派人员{label}", max_length=60)


class ReplyForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="意见", choices=[("1", "同意"), ("0", "不同意")], coerce=lambda v: v == "1"
    )
    reply_no = forms.CharField(label="函复文号", max_length=60)
    replied_on = forms.DateField(label="函复日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="函复意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class UnfitForm(forms.Form):
    returned_on = forms.DateField(label="清退日期", widget=forms.DateInput(attrs={"type": "date"}))
    reasons = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))
