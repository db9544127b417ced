"""Forms of the organisation pages."""

from __future__ import annotations

from typing import Any

from django import forms

from servicehall.org.models import Window


class PauseForm(forms.Form):
    """ORG-6: the 暂停服务 sign: where visitors should go, or when the window opens again."""

    message = forms.CharField(
        label="提示语", max_length=200, required=False, help_text="留空时按引导窗口和恢复时间自动生成"
    )
    redirect_window = forms.ModelChoiceField(label="请至窗口", queryset=Window.objects.none(), required=False)
    resume_at = forms.DateTimeField(
        label="预计恢复时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, window: Window, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        redirect: Any = self.fields["redirect_window"]  # a ModelChoiceField
        redirect.queryset = (
            Window.objects.filter(centre_id=window.centre_id, status=Window.Status.OPEN)
            .exclude(pk=window.pk)
            .order_by("number")
        )

    def clean(self):
        data = super().clean() or {}
        if not data.get("redirect_window") and not data.get("resume_at"):
            raise forms.ValidationError("ORG-6: 暂停服务须告知办事群众到哪个窗口办理或何时恢复服务")
        return data
