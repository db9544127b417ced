"""Cross-domain records: the audit log (服务日志台账, CASE-9) that every service writes to, and the
per-centre management grants the access matrix reads (ORG-1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One logged action: who did what to which record, when, from where, and why (CASE-9).

    Append-only: a database trigger refuses UPDATE (and, on PostgreSQL, DELETE outside `audit archive`).
    `before` / `after` hold masked values of the fields that changed (INT-2)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # no database constraint and no cascade: deleting a user must not rewrite the log
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=30, blank=True)
    centre_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    verb = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True, db_index=True)
    ip = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.target_type}#{self.target_id}"


class CentreGrant(models.Model):
    """A centre (`centre_id`, e.g. a town 便民服务中心) lets another (`grantee_centre_id`, e.g. the county
    centre office) manage its records (ORG-1). Off by default; granted and revoked only through
    `org.services.grant_centre_management` / `revoke_centre_management`, both audited."""

    centre_id = models.BigIntegerField(db_index=True)
    grantee_centre_id = models.BigIntegerField(db_index=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "跨中心管理授权"
        constraints = [
            models.UniqueConstraint(
                fields=["centre_id", "grantee_centre_id"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_grant_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"centre {self.centre_id} → {self.grantee_centre_id}"
