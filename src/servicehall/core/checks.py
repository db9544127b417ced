"""Start-up checks: a production server without collected static files fails clearly at start
(`servicehall check --deploy` and the WSGI/ASGI entry points), instead of a 500 on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MANIFEST_MISSING = (
    "静态文件尚未收集：找不到 {path}。请先运行 `servicehall collectstatic --noinput`"
    "（生产环境 SERVICEHALL_DEBUG=0 使用带哈希的静态文件清单），再启动服务。"
)


def missing_static_manifest() -> Path | None:
    """The manifest path when production static storage needs one and it is absent, else None."""
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if "Manifest" not in backend:
        return None
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    return None if manifest.is_file() else manifest


# A deploy check under its own tag: `collectstatic` runs the staticfiles-tagged checks and `migrate` runs
# the ordinary ones, and both must work on a fresh installation before the manifest exists.
@checks.register("servicehall_static", deploy=True)
def static_manifest_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    path = missing_static_manifest()
    if path is None:
        return []
    return [checks.Error(MANIFEST_MISSING.format(path=path), id="servicehall.E001")]


def require_static_manifest() -> None:
    """Called by the WSGI/ASGI entry points: refuse to serve without the manifest."""
    path = missing_static_manifest()
    if path is not None:
        raise ImproperlyConfigured(MANIFEST_MISSING.format(path=path))
