"""What catalogue search matches (事项检索): an item's name, its pinyin initials (营业执照 → yyzz) and full
pinyin (yingyezhizhao), the documents it issues (核发营业执照 → 营业执照) and everyday words people use for
them (开公司 → 企业设立). Pure: no Django import; the kiosk matches the same text in the browser."""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

# "核发营业执照" / "颁发《药品经营许可证》": the document an item issues is what many visitors ask for.
_ISSUES = re.compile(r"(?:核发|颁发|换发|补发|制发|发放|出具|发给)《?([^，。；、,;（()》\"]{2,16})》?")
_NOT_DOCUMENTS = ("结果", "全部结果", "受理通知书", "查询结果", "时")

# Everyday word → words of the catalogue it stands for. One line per synonym; both sides in Simplified.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "营业执照": ("企业设立", "个体工商户", "企业开办"),
    "开公司": ("企业设立", "企业开办"),
    "开店": ("个体工商户", "食品经营"),
    "执照": ("营业执照",),
    "房产证": ("不动产",),
    "房本": ("不动产",),
    "过户": ("转移登记",),
    "社保": ("社会保险", "养老保险", "医疗保险", "社会保障卡"),
    "医保": ("医疗保险",),
    "社保卡": ("社会保障卡",),
    "退休": ("养老金",),
    "失业金": ("失业保险金",),
    "驾照": ("驾驶证",),
    "身份证": ("居民身份证",),
    "户口": ("户籍", "户口"),
    "准生证": ("生育服务",),
    "出生证": ("出生医学证明",),
    "健康证": ("健康证明",),
    "发票": ("发票",),
    "报税": ("纳税申报",),
    "公积金": ("住房公积金",),
    "盖房": ("建设工程规划", "乡村建设规划"),
}


def issued_documents(content: str) -> list[str]:
    """The documents an item's content says it issues (核发X / 颁发《X》)."""
    found = []
    for match in _ISSUES.finditer(content or ""):
        doc = match.group(1).strip()
        if doc and not doc.startswith(_NOT_DOCUMENTS) and doc not in found:
            found.append(doc)
    return found


def _pinyin_forms(text: str) -> tuple[str, str]:
    syllables = [s for s in lazy_pinyin(text, errors="ignore") if s.isascii()]
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


def search_text(*, name: str, content: str = "", extra: tuple[str, ...] = ()) -> str:
    """One lower-case string that a query word must be a substring of: name, documents, synonyms, pinyin."""
    terms = [name, *issued_documents(content), *extra]
    joined = " ".join(terms)
    terms += [word for word, means in SYNONYMS.items() if any(m in joined for m in means)]
    out = []
    for term in dict.fromkeys(t for t in terms if t):
        full, initials = _pinyin_forms(term)
        out.extend([term.lower(), full, initials])
    return " ".join(dict.fromkeys(p for p in out if p))


def normalise_query(q: str) -> list[str]:
    """Query words as matched: lower case, Chinese/ASCII spaces split words."""
    return [w for w in re.split(r"[\s\u3000]+", (q or "").strip().lower()) if w]


def matches(query: str, text: str) -> bool:
    return all(word in text for word in normalise_query(query))
