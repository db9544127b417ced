"""Text transformations used to prove the matcher survives evasions (LANG-4, LANG-5)."""

from __future__ import annotations

from functools import cache

from servicehall.policy.sections.language import LanguagePolicy

IGNORABLES = [" ", "，", "*", "\u200b", "😀", "\u3000", "~", "、", "\t", "—"]


@cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _s2t().convert(text)


HALF_PUNCT = str.maketrans({"，": ",", "。": ".", "！": "!", "？": "?", "；": ";", "：": ":"})


def full_width(text: str) -> str:
    """Half-width ASCII and punctuation → full-width forms (U+FF01..U+FF5E, U+3000 for space)."""
    text = text.translate(HALF_PUNCT)
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in text
    )


def spaced(text: str, count: int, offset: int = 0) -> str:
    """`count` ignorable characters between every two characters of `text`."""
    out = [text[0]]
    for i, c in enumerate(text[1:]):
        out.append("".join(IGNORABLES[(offset + i + k) % len(IGNORABLES)] for k in range(count)))
        out.append(c)
    return "".join(out)


@cache
def language() -> LanguagePolicy:
    return LanguagePolicy()
