"""The Chinese font every generated PDF embeds (notices, guides). A TrueType font from the system is embedded
(subset) so any reader draws it; the built-in CID font is only a last resort, as readers without Adobe's
Asian font pack show it as missing-glyph boxes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_CANDIDATES = (
    ("WenQuanYiZenHei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("WenQuanYiMicroHei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("DroidSansFallback", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", None),
    ("ArPlUMing", "/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)
CID_FALLBACK = "STSong-Light"


@cache
def cjk_font() -> str:
    """Register and return the name of a font that can draw Chinese."""
    for name, path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            try:
                font = TTFont(name, path, subfontIndex=index) if index is not None else TTFont(name, path)
                pdfmetrics.registerFont(font)
                return name
            except Exception:  # unreadable or CFF-flavoured font: try the next one
                continue
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK
