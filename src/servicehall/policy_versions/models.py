"""Published policy versions (政策版本): which policy a centre applies from which day.

A decision (a late punch, a leave approval, a bonus deduction) is taken under the version in force on
its day and keeps a `policy_version` foreign key or its `policy_ref` ("name@version").
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import models

from servicehall.org.models import CentreScoped
from servicehall.policy.loader import validate_policy_data
from servicehall.policy.schema import Policy

_PARSED: dict[tuple[int, str], Policy] = {}
_PARSED_LOCK = threading.Lock()


class PolicyVersion(CentreScoped):
    """One validated policy of a centre, in force from `effective_from` until the next version starts."""

    effective_from = models.DateField("生效日期", db_index=True)
    name = models.CharField("政策名称", max_length=80)
    version = models.CharField("版本", max_length=40)
    title = models.CharField("标题", max_length=200, blank=True)
    data = models.JSONField("解析后的政策", help_text="The resolved, validated policy (extends applied).")
    digest = models.CharField("摘要", max_length=64, help_text="SHA-256 of the resolved policy.")
    source = models.TextField(
        "源文件 (YAML)", help_text="The YAML text as published (may `extends:` a preset)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="发布人"
    )
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        ordering = ["centre", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "effective_from"], name="policy_version_one_per_day"),
        ]
        verbose_name = verbose_name_plural = "政策版本"

    def __str__(self) -> str:
        return f"{self.ref} ({self.effective_from:%Y-%m-%d})"

    @property
    def ref(self) -> str:
        """`name@version`, the label records keep."""
        return f"{self.name}@{self.version}"

    def policy(self) -> Policy:
        """The parsed policy, parsed once: the cache key includes the digest, so an edited row is re-parsed."""
        key = (self.pk, self.digest)
        cached = _PARSED.get(key)
        if cached is None:
            cached = validate_policy_data(dict(self.data), source=f"policy version {self.ref}")
            with _PARSED_LOCK:
                _PARSED[key] = cached
        return cached
