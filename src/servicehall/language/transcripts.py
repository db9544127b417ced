"""Review of conversation transcripts (会话记录抽查): JSON lines in, findings and three voices out.

LANG-1 (voices) and LANG-4 (forbidden phrases, staff turns only). Pure Python: no Django. A transcript
line is `{"speaker": "staff"|"citizen", "text": "...", "t": seconds}`, optionally with `"staff"` (who
served) and `"conversation"` (to put several conversations in one file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from servicehall.core.errors import InputError
from servicehall.language.matcher import matcher_for
from servicehall.language.voices import SPEAKERS, STAFF, Turn, three_voices
from servicehall.policy.sections.language import LanguagePolicy

MAX_LINE_CHARS = 100_000


def parse_transcript(lines: Iterable[str], *, source: str = "stdin") -> list[Turn]:
    """Turns of a JSON-lines transcript; blank lines are skipped; a bad line raises InputError naming it."""
    turns: list[Turn] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        where = f"{source} line {number}"
        if len(line) > MAX_LINE_CHARS:
            raise InputError(where, f"line is longer than {MAX_LINE_CHARS} characters")
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(data, dict):
            raise InputError(where, 'expected an object like {"speaker": "staff", "text": "...", "t": 0}')
        speaker = data.get("speaker")
        if speaker not in SPEAKERS:
            raise InputError(f"{where}, field speaker", f"must be 'staff' or 'citizen', got {speaker!r}")
        text = data.get("text")
        if not isinstance(text, str):
            raise InputError(f"{where}, field text", "is required and must be a string")
        t = data.get("t")
        if t is not None and (isinstance(t, bool) or not isinstance(t, int | float) or t < 0):
            raise InputError(f"{where}, field t", f"must be a number of seconds >= 0, got {t!r}")
        staff = data.get("staff", "")
        conversation = data.get("conversation", "")
        turns.append(
            Turn(
                speaker=speaker,
                text=text,
                t=float(t) if t is not None else None,
                staff=str(staff) if staff is not None else "",
                conversation=str(conversation) if conversation is not None else "",
                line=number,
            )
        )
    return turns


def turn_findings(turns: list[Turn], language: LanguagePolicy) -> list[dict[str, Any]]:
    """LANG-4 findings of the staff turns, each with its turn index, line and speaker."""
    matcher = matcher_for(language)
    staff_turns = [(index, turn) for index, turn in enumerate(turns) if turn.speaker == STAFF]
    found = matcher.scan_lines([turn.text for _, turn in staff_turns])
    return [
        {"turn": index, "line": turn.line, "speaker": turn.speaker, **finding.as_dict()}
        for (index, turn), findings in zip(staff_turns, found, strict=True)
        for finding in findings
    ]


def review_conversation(turns: list[Turn], language: LanguagePolicy) -> dict[str, Any]:
    """`{"findings": [...], "voices": {...}}` for one conversation."""
    return {"findings": turn_findings(turns, language), "voices": three_voices(turns, language).as_dict()}


def split_conversations(turns: list[Turn]) -> dict[str, list[Turn]]:
    """Turns grouped by their `conversation` label, in order of first appearance."""
    groups: dict[str, list[Turn]] = {}
    for turn in turns:
        groups.setdefault(turn.conversation, []).append(turn)
    return groups


@dataclass
class StaffStats:
    """Per-staff figures of a bulk review (LANG-1 coverage, LANG-4 findings)."""

    staff: str
    conversations: int = 0
    turns: int = 0
    findings: int = 0
    greeting: int = 0
    answer: int = 0
    farewell: int = 0
    phrases: dict[str, int] = field(default_factory=dict)

    def rate(self, count: int) -> float:
        return round(count / self.conversations, 3) if self.conversations else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "staff": self.staff,
            "conversations": self.conversations,
            "turns": self.turns,
            "findings": self.findings,
            "greeting_rate": self.rate(self.greeting),
            "answer_rate": self.rate(self.answer),
            "farewell_rate": self.rate(self.farewell),
            "phrases": dict(sorted(self.phrases.items(), key=lambda kv: -kv[1])),
        }


def bulk_review(turns: list[Turn], language: LanguagePolicy) -> dict[str, Any]:
    """Review every conversation of a transcript file and total the figures per staff member.

    A conversation is credited to the staff member named on its first staff turn ("" if none is named).
    """
    stats: dict[str, StaffStats] = {}
    conversations = []
    for label, conv in split_conversations(turns).items():
        result = review_conversation(conv, language)
        staff = next((t.staff for t in conv if t.speaker == STAFF and t.staff), "")
        s = stats.setdefault(staff, StaffStats(staff=staff))
        s.conversations += 1
        s.turns += sum(1 for t in conv if t.speaker == STAFF)
        s.findings += len(result["findings"])
        voices = result["voices"]
        s.greeting += voices["greeting"]
        s.answer += voices["answer"]
        s.farewell += voices["farewell"]
        for f in result["findings"]:
            s.phrases[f["phrase"]] = s.phrases.get(f["phrase"], 0) + 1
        conversations.append({"conversation": label, "staff": staff, **result})
    return {
        "conversations": conversations,
        "staff": [s.as_dict() for s in sorted(stats.values(), key=lambda s: (-s.findings, s.staff))],
    }


# Plain-text transcripts: one utterance per line, "说话人：内容", optionally after a time "[00:12]" or "12s".
STAFF_PREFIXES = ("工作人员", "窗口", "职员", "客服", "坐席", "员工", "staff")
CITIZEN_PREFIXES = ("群众", "市民", "办事人", "办事群众", "申请人", "顾客", "访客", "来电人", "citizen")
_PLAIN = re.compile(
    r"^(?:\[?(?P<t>\d{1,2}:\d{2}(?::\d{2})?|\d+(?:\.\d+)?s)\]?\s*)?(?P<who>[^:：]{1,12})\s*[:：]\s*(?P<text>.*)$"
)
# "# 会话 C1 工号 W001" starts a new conversation served by W001.
_HEADER = re.compile(r"^#\s*会话\s*(?P<conv>\S+)(?:\s*工号\s*(?P<staff>\S+))?")


def _seconds(raw: str | None) -> float | None:
    if not raw:
        return None
    if raw.endswith("s"):
        return float(raw[:-1])
    parts = [int(p) for p in raw.split(":")]
    total = 0
    for part in parts:
        total = total * 60 + part
    return float(total)


def _speaker(who: str) -> str | None:
    who = who.strip()
    if who.lower().startswith(STAFF_PREFIXES) or who.startswith(STAFF_PREFIXES):
        return STAFF
    if who.lower().startswith(CITIZEN_PREFIXES) or who.startswith(CITIZEN_PREFIXES):
        return "citizen"
    return None


def parse_plain_transcript(lines: Iterable[str], *, source: str = "stdin") -> list[Turn]:
    """Turns of a plain-text transcript (`工作人员：您好` / `群众：…`); a line without a known speaker
    prefix raises InputError naming it."""
    turns: list[Turn] = []
    conversation, staff = "", ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        header = _HEADER.match(line)
        if header:
            conversation, staff = header.group("conv"), header.group("staff") or ""
            continue
        match = _PLAIN.match(line)
        speaker = _speaker(match.group("who")) if match else None
        if match is None or speaker is None:
            raise InputError(
                f"{source} 第 {number} 行",
                "每行应以说话人开头，如“工作人员：您好”或“群众：我想办营业执照”",
            )
        turns.append(
            Turn(
                speaker=speaker,
                text=match.group("text"),
                t=_seconds(match.group("t")),
                staff=staff,
                conversation=conversation,
                line=number,
            )
        )
    return turns


XLSX_COLUMNS = {
    "speaker": ("说话人", "角色", "speaker"),
    "text": ("内容", "发言", "text"),
    "t": ("时间", "秒", "t"),
    "staff": ("工号", "staff"),
    "conversation": ("会话", "会话编号", "conversation"),
}


def parse_xlsx_transcript(data: bytes, *, source: str = "upload.xlsx") -> list[Turn]:
    """Turns of the first sheet of a workbook whose header row names 说话人 and 内容 (时间, 工号, 会话
    optional); the speaker column takes the same words as plain text (工作人员 / 群众 …)."""
    import io

    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(source, "不是有效的 Excel (.xlsx) 文件") from None
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    where: dict[str, int] = {}
    for key, names in XLSX_COLUMNS.items():
        for i, title in enumerate(header):
            if title in names or title.lower() in names:
                where[key] = i
                break
    for key, title in (("speaker", "说话人"), ("text", "内容")):
        if key not in where:
            raise InputError(f"{source} 第 1 行", f"缺少“{title}”列")
    turns: list[Turn] = []
    for number, row in enumerate(rows, start=2):

        def cell(key: str, row: tuple = row) -> Any:
            i = where.get(key)
            return row[i] if i is not None and i < len(row) else None

        if all(v is None or str(v).strip() == "" for v in row):
            continue
        speaker = _speaker(str(cell("speaker") or ""))
        if speaker is None:
            raise InputError(f"{source} 第 {number} 行“说话人”列", "应为 工作人员 或 群众")
        t = cell("t")
        try:
            seconds = float(t) if isinstance(t, int | float) else _seconds(str(t).strip()) if t else None
        except ValueError:
            raise InputError(f"{source} 第 {number} 行“时间”列", f"不是秒数或 分:秒：{t!r}") from None
        turns.append(
            Turn(
                speaker=speaker,
                text=str(cell("text") or ""),
                t=seconds,
                staff=str(cell("staff") or ""),
                conversation=str(cell("conversation") or ""),
                line=number,
            )
        )
    return turns


def parse_any_transcript(data: bytes, *, filename: str) -> list[Turn]:
    """JSON Lines, plain text with speaker prefixes, or .xlsx — told apart by name and first character."""
    if filename.lower().endswith(".xlsx"):
        return parse_xlsx_transcript(data, source=filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(filename, "文件不是 UTF-8 编码") from None
    lines = text.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("{"):
        return parse_transcript(lines, source=filename)
    return parse_plain_transcript(lines, source=filename)
