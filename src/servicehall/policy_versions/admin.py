"""Admin for policy versions: the source YAML is edited and validated by the loader on save; the
resolved policy is shown read-only."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from servicehall.core.admin import ServiceAdmin
from servicehall.core.errors import InputError
from servicehall.policy.loader import PolicyError
from servicehall.policy_versions.models import PolicyVersion
from servicehall.policy_versions.services import publish_policy_version, validate_source


class PolicyVersionForm(forms.ModelForm):
    source = forms.CharField(
        label="源文件 (YAML)",
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "style": "font-family: monospace"}),
        help_text="A preset name (e.g. yuanzhou-p2) or YAML: `extends: yuanzhou-p2` followed by overrides.",
    )

    class Meta:
        model = PolicyVersion
        fields = ("centre", "effective_from", "source")

    def clean_source(self) -> str:
        try:
            text, policy = validate_source(
                self.cleaned_data["source"], centre=self.cleaned_data.get("centre")
            )
        except PolicyError as exc:
            raise forms.ValidationError([str(p) for p in exc.problems]) from None
        except InputError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.policy = policy
        return text


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ServiceAdmin):
    """Publishing goes through `publish_policy_version`, which checks the centre (ORG-1) and audits."""

    access_cell = ("policy", "publish")
    form = PolicyVersionForm
    list_display = ("centre", "effective_from", "name", "version", "title", "created_by", "created_at")
    list_filter = ("centre", "name")
    search_fields = ("name", "version", "title", "centre__name")
    date_hierarchy = "effective_from"
    readonly_fields = ("name", "version", "title", "digest", "created_by", "created_at", "resolved")
    fieldsets = (
        (None, {"fields": ("centre", "effective_from", "source")}),
        (
            "解析结果 (read-only)",
            {"fields": ("name", "version", "title", "digest", "created_by", "created_at")},
        ),
        ("解析后的政策 Resolved policy", {"fields": ("resolved",), "classes": ("collapse",)}),
    )

    @admin.display(description="解析后的政策")
    def resolved(self, obj: PolicyVersion) -> str:
        if not obj.pk:
            return "-"
        text = yaml.safe_dump(obj.data, allow_unicode=True, sort_keys=False, width=100)
        return format_html('<pre style="max-height: 40em; overflow: auto">{}</pre>', text)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # a version is history that decisions cite (name@version): publish a new one instead
        return obj is None and super().has_change_permission(request, obj)

    def save_through_service(self, request: HttpRequest, obj: PolicyVersion, form: Any, change: bool) -> Any:
        return publish_policy_version(
            centre=obj.centre,
            source=form.cleaned_data["source"],
            effective_from=obj.effective_from,
            actor=request.user,
        )
