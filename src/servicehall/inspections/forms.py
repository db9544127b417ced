"""The inspector's phone form (EVAL-3): choices come from the centre's policy (CON list, kinds)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from servicehall.inspections.models import Finding
from servicehall.inspections.services import KIND_LABELS


class FindingForm(forms.Form):
    staff: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="当事人")
    window: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="窗口", required=False)
    prohibition_code = forms.ChoiceField(label="问题")
    inspection_kind = forms.ChoiceField(label="检查方式")
    finder_level = forms.ChoiceField(label="发现层级", choices=Finding.Level.choices)
    found_at = forms.DateTimeField(
        label="发现时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    off_post_minutes = forms.IntegerField(label="脱岗分钟", min_value=0, initial=0, required=False)
    note = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photo = forms.FileField(
        label="照片",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, staff_qs, window_qs, policy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields  # ModelChoiceField / ChoiceField, whose querysets and choices are set here
        fields["staff"].queryset = staff_qs
        fields["window"].queryset = window_qs
        fields["prohibition_code"].choices = [
            (p.code, p.label) for p in (*policy.conduct.prohibitions, *policy.conduct.integrity_prohibitions)
        ]
        fields["inspection_kind"].choices = [
            (k, KIND_LABELS.get(k, k)) for k in policy.evaluation.inspection_kinds
        ]
        self.fields["found_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class ContestForm(forms.Form):
    reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label="处理结果",
        choices=[("1", "驳回申诉，维持记录"), ("0", "申诉成立，撤销记录")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 3}))
