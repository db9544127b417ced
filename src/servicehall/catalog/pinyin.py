"""Pinyin initials (拼音首字母) for catalogue search: 营业执照 → YYZZ. Pure: no Django import."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def pinyin_initials(text: str) -> str:
    """Upper-case initials of each Chinese character; letters and digits of other runs are kept as they are.

    Polyphonic characters take pypinyin's most common reading (重庆 → CQ), which is what people type.
    """
    out: list[str] = []
    for token in lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default"):
        out.append("".join(ch for ch in token if ch.isascii() and ch.isalnum()))
    return "".join(out).upper()
