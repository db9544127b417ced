"""Forms of the study pages (ATT-11)."""

from __future__ import annotations

from django import forms

from servicehall.study.models import Session


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Session.Kind.choices)
    starts_at = forms.DateTimeField(
        label="开始时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    topic = forms.CharField(label="主题", max_length=200)
    plan = forms.CharField(label="学习/培训计划", widget=forms.Textarea(attrs={"rows": 3}), required=False)
