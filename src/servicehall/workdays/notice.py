"""Read the State Council's annual holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知). Django-free.

The notice is the source of the next year's working-day calendar (CASE-5 counts time limits in working
days). `parse_notice` turns its text into the days given off (放假, 补休) and the weekend days worked
(上班). Both styles are read: "1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。" and the
older "1月1日放假，1月2日（星期一）补休。"; full-width or half-width punctuation. A stated weekday or
"共N天" that disagrees with the dates is an error naming the sentence: a typo must not become a holiday.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from servicehall.core.errors import InputError
from servicehall.workdays.calendar import DayKind

WEEKDAY_WORDS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
WEEKDAY_NAMES = "一二三四五六日"

_YEAR = re.compile(r"关于\s*(\d{4})\s*年\s*部分节假日|现将\s*(\d{4})\s*年|(\d{4})\s*年\s*部分节假日安排")
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日(?:\s*\(([^)]*)\))?")
_RANGE_JOIN = re.compile(r"^\s*(?:至|到|-|~|—|–)\s*$")
_COUNT = re.compile(r"(?:共|放假)\s*(\d{1,2})\s*天")
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_ITEM_HEAD = re.compile(r"^\s*[一二三四五六七八九十]+\s*、\s*[^:]{1,20}:\s*")


@dataclass(frozen=True)
class Notice:
    """What one notice decides: the days off and the make-up working days, each sorted."""

    year: int
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]
    sentences: tuple[str, ...] = field(default=(), compare=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "holidays": [d.isoformat() for d in self.holidays],
            "workdays": [d.isoformat() for d in self.workdays],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def day_kinds(self) -> dict[date, DayKind]:
        """Every day of the notice's year, plus the previous-year dates it names (元旦 across New Year)."""
        out: dict[date, DayKind] = {}
        day = date(self.year, 1, 1)
        while day.year == self.year:
            out[day] = DayKind.WORKDAY if day.weekday() < 5 else DayKind.REST
            day += timedelta(days=1)
        for day in self.holidays:
            out[day] = DayKind.HOLIDAY
        for day in self.workdays:
            out[day] = DayKind.MAKEUP_WORKDAY
        return out


def decode_notice(raw: bytes, *, source: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (which covers GBK/GB2312 files from Windows)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(source, "通知文本既不是 UTF-8 也不是 GB18030 编码")


def _normalise(text: str) -> str:
    # NFKC folds full-width brackets, colons, commas and digits to ASCII; the ideographic full stop
    # and enumeration comma have no ASCII twin, so they stay and are matched as they are.
    text = unicodedata.normalize("NFKC", text)
    return text.replace("，", ",").replace("；", ";").replace("．", ".")


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        # "." ends a sentence only in the half-width style; dates never contain one.
        for part in re.split(r"[。;]|\.(?!\d)", line):
            part = part.strip()
            if part:
                out.append(part)
    return out


def _where(source: str, number: int, sentence: str) -> str:
    return f"{source} 第{number}句「{sentence}」"


class _Sentence:
    def __init__(self, source: str, number: int, text: str, year: int) -> None:
        self.source, self.number, self.text, self.year = source, number, text, year

    def error(self, message: str) -> InputError:
        return InputError(_where(self.source, self.number, self.text), message, sentence=self.text)

    def check_weekday(self, day: date, note: str | None) -> None:
        if not note:
            return
        for token in note.split("、"):
            found = _WEEKDAY.search(token)
            if found and WEEKDAY_WORDS[found.group(1)] != day.weekday():
                raise self.error(
                    f"{day.month}月{day.day}日是星期{WEEKDAY_NAMES[day.weekday()]}，通知写的是{found.group(0)}"
                )


def _dates_in(clause: str, sentence: _Sentence, context: dict[str, int]) -> list[tuple[date, date]]:
    """The dates and ranges of one clause, as (first, last) pairs; month and year carry over."""
    spans: list[tuple[date, date]] = []
    matches = list(_DATE.finditer(clause))
    pending: date | None = None
    previous_end = 0
    for match in matches:
        year = int(match.group(1)) if match.group(1) else context["year"]
        if match.group(2) is None and "month" not in context:
            raise sentence.error(f"「{match.group(0)}」没有月份")
        month = int(match.group(2)) if match.group(2) else context["month"]
        try:
            day = date(year, month, int(match.group(3)))
        except ValueError:
            raise sentence.error(f"「{match.group(0)}」不是有效日期") from None
        context["year"], context["month"] = year, month
        sentence.check_weekday(day, match.group(4))
        joined = pending is not None and _RANGE_JOIN.match(clause[previous_end : match.start()])
        if joined and pending is not None:
            if day < pending:
                # "12月30日至1月1日" without years: the end lies in the next year.
                if match.group(1) is None and day.replace(year=day.year + 1) > pending:
                    day = day.replace(year=day.year + 1)
                    context["year"] = day.year
                else:
                    raise sentence.error(f"日期范围的结束日 {day} 早于开始日 {pending}")
            spans[-1] = (pending, day)
            pending = None
        else:
            spans.append((day, day))
            pending = day
        previous_end = match.end()
    return spans


def _parse_sentence(
    sentence: _Sentence, holidays: set[date], workdays: set[date], context: dict[str, int]
) -> bool:
    """Add what one sentence decides; True when it decided something."""
    text = _ITEM_HEAD.sub("", sentence.text)
    decided = False
    last_off: tuple[date, date] | None = None
    for clause in text.split(","):
        clause = clause.strip()
        if not clause:
            continue
        spans = _dates_in(clause, sentence, context)
        count = _COUNT.search(clause)
        if "上班" in clause:
            if not spans:
                raise sentence.error("说明了上班却没有日期")
            for first, last in spans:
                day = first
                while day <= last:
                    if day.weekday() < 5:
                        raise sentence.error(f"{day.month}月{day.day}日本是工作日，不能作为调休上班日")
                    workdays.add(day)
                    day += timedelta(days=1)
            decided = True
        elif "放假" in clause or "补休" in clause:
            for first, last in spans:
                day = first
                while day <= last:
                    holidays.add(day)
                    day += timedelta(days=1)
                last_off = (first, last)
            decided = decided or bool(spans)
        elif spans:
            raise sentence.error("看不出这些日期是放假还是上班")
        if count is not None:
            if last_off is None:
                raise sentence.error(f"「{count.group(0)}」前面没有放假日期")
            days = (last_off[1] - last_off[0]).days + 1
            if days != int(count.group(1)):
                raise sentence.error(
                    f"{last_off[0].month}月{last_off[0].day}日至{last_off[1].month}月{last_off[1].day}日"
                    f"是 {days} 天，通知写的是{count.group(0)}"
                )
    return decided


def parse_notice(text: str, *, source: str = "通知") -> Notice:
    """The holidays and make-up working days of one notice; every problem names its sentence.

    Weekend days named only as "与周末连休" are not listed (they are ordinary rest days), and
    encouragements ("鼓励……除夕休息") are not holidays.
    """
    normalised = _normalise(text)
    found = _YEAR.search(normalised)
    if found is None:
        raise InputError(source, "找不到通知所属年份（应含「关于YYYY年部分节假日安排」或「现将YYYY年」）")
    year = int(next(g for g in found.groups() if g))
    holidays: set[date] = set()
    workdays: set[date] = set()
    sentences = _sentences(normalised)
    items = 0
    in_items = False  # the preamble may cite dates ("自2025年1月1日起"); only the numbered items decide
    for number, raw in enumerate(sentences, start=1):
        is_item = bool(_ITEM_HEAD.match(raw))
        if is_item:
            in_items = True
        elif not in_items:
            continue
        if "鼓励" in raw or "倡导" in raw:
            continue  # an encouragement to rest is not a holiday
        if not is_item and not _DATE.search(raw):
            in_items = False  # "节假日期间……", the signature: the items are over
            continue
        sentence = _Sentence(source, number, raw, year)
        decided = _parse_sentence(sentence, holidays, workdays, {"year": year})
        if is_item:
            items += 1
            if not decided:
                raise sentence.error("这一项没有可识别的放假日期")
    both = holidays & workdays
    if both:
        day = min(both)
        raise InputError(source, f"{day} 同时被列为放假和上班")
    if items == 0 or not holidays:
        raise InputError(source, "没有找到任何节假日安排（如「一、元旦：1月1日放假」）")
    outside = [d for d in holidays | workdays if not (year - 1 <= d.year <= year)]
    if outside:
        raise InputError(source, f"{min(outside)} 不属于 {year} 年的节假日安排")
    return Notice(year, tuple(sorted(holidays)), tuple(sorted(workdays)), tuple(sentences))
