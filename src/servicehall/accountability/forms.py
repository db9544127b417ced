"""Forms of the accountability pages: public criticism and off-post training (EVAL-6)."""

from __future__ import annotations

from django import forms


class CriticismForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label="被通报人")  # type: ignore[var-annotated]  # Optional narrowing left to the domain's owner
    issued_on = forms.DateField(label="通报日期", widget=forms.DateInput(attrs={"type": "date"}))
    rule = forms.CharField(label="违反规定", max_length=200)
    facts = forms.CharField(label="事实", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, staff_qs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_qs  # type: ignore[attr-defined]  # Optional narrowing left to the domain's owner


class TrainingForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label="人员")  # type: ignore[var-annotated]  # Optional narrowing left to the domain's owner
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    complaint_ref = forms.CharField(label="投诉编号", max_length=64, required=False)
    reason = forms.CharField(label="事由（造成负面影响的投诉）", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, staff_qs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_qs  # type: ignore[attr-defined]  # Optional narrowing left to the domain's owner
