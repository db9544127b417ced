"""Uploaded files that are not public (inspection photos, leave attachments): served by the application
after the same check as the page that links them, never by the web server's /media/ folder (INT-2).

Only the staff board photos (`media/staff/`, shown to citizens on the hall board, ORG-4) and the
catalogue's published attachments are public.
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

PUBLIC_MEDIA_FOLDERS = ("staff/",)  # the web server may serve these straight from MEDIA_ROOT


def file_response(file: FieldFile | None, *, inline: bool = False) -> FileResponse:
    """The stored file, for this viewer only: not cached by proxies, not sniffed into another type."""
    if not file:
        raise Http404("文件不存在")
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    response = FileResponse(handle, as_attachment=not inline, filename=(file.name or "").rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
