"""Forbidden-phrase matcher (禁语检测) for LANG-4 and LANG-5. Pure Python: no Django.

How a text is scanned, in one pass:
1. `str.translate` with one table folds every character at once — NFKC (full width → half width),
   Traditional → Simplified (a per-character table built once from OpenCC t2s), case — and turns
   ignorable characters (spaces, punctuation, symbols, emoji, zero-width) into one marker character.
   The folded text has the same length as the input, so its offsets are the input's offsets. The table is
   a list indexed by code point (a dict only for text with characters beyond the BMP); whether a marker
   ends a clause is read from the input character, and only for the few clause-scope candidates.
2. The markers are removed (`str.replace`, C speed) and one Aho-Corasick pass (pyahocorasick) runs over
   the compact text. Phrases never span a newline: newlines are kept.
3. Only for hits, compact offsets are mapped back to input offsets in one forward sweep that counts
   markers with `str.count`; at most `max_skipped_chars` ignorables between two phrase characters are
   allowed, clause-scope phrases are checked against their clause, allow-phrases and contained duplicates
   dropped.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from operator import itemgetter
from typing import Any, NamedTuple

import ahocorasick

from servicehall.policy.sections.language import LanguagePolicy, MatchScope

RULE_FORBIDDEN = "LANG-4"

SKIP = "\x00"  # an ignorable character inside a clause (space, quote, emoji, zero-width ...)
CLAUSE = "\x01"  # a clause-ending punctuation mark
MARK = "\x00"  # inside the matcher: any ignorable (SKIP or CLAUSE), so one `replace`/`count` finds them all
CLAUSE_PUNCTUATION = frozenset("，。！？；：、,.!?;:…‥—\r")

# Per-character folds OpenCC t2s leaves alone because they depend on the word (著名 vs 忙著); for
# matching, folding them everywhere is harmless because phrases are folded with the same table.
EXTRA_FOLDS = {"著": "着", "妳": "你", "唆": "嗦", "囉": "啰", "祢": "你"}

# Code points the table covers beyond the Basic Multilingual Plane: symbols and emoji, mathematical
# letters (NFKC), CJK compatibility supplement (NFKC), tags and variation selectors.
_ASTRAL_RANGES = ((0x1D400, 0x1D800), (0x1F000, 0x1FC00), (0x2F800, 0x2FA20), (0xE0000, 0xE01F0))
_first = itemgetter(0)
BATCH_CHARS = 1 << 16  # characters per joined batch in `scan_lines` (see there)
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


class Finding(NamedTuple):
    """A forbidden phrase found in a text; `start`/`end` are character offsets into that text.

    A named tuple rather than a frozen dataclass: as immutable, and four times cheaper to build, which
    counts when a review of a day's transcripts yields tens of thousands."""

    rule: str
    phrase: str  # canonical wording of the forbidden phrase
    matched: str  # the text as written, e.g. 別 來 煩我
    start: int
    end: int
    suggestion: str  # polite rewrite from the seeds
    phrase_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


@cache
def _t2s_table() -> dict[str, str]:
    """Traditional → Simplified per character, from OpenCC's t2s conversion (checked 1:1)."""
    import opencc

    chars = [chr(cp) for lo, hi in _CJK_RANGES for cp in range(lo, hi)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a conversion that merged or split lines: fall back per char
        converter = opencc.OpenCC("t2s")
        converted = [converter.convert(c) for c in chars]
    return {a: b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


def _fold_char(ch: str, t2s: dict[str, str]) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:  # e.g. ㈱ → (株): keep one character per character so offsets stay exact
        folded = ch
    folded = t2s.get(folded, folded)
    folded = EXTRA_FOLDS.get(folded, folded)
    lower = folded.casefold()
    if len(lower) == 1:
        folded = lower
    if folded == "\n":
        return folded
    if folded in CLAUSE_PUNCTUATION or ch in CLAUSE_PUNCTUATION:
        return CLAUSE
    category = unicodedata.category(folded)
    if category[0] in "PSZC" or category in ("Mn", "Me"):
        return SKIP
    return folded


@cache
def fold_table() -> dict[int, str]:
    """The one translate table: code point → folded character or marker.

    Every BMP code point has an entry, identity included: `str.translate` treats a missing key as
    "keep", but only after raising and clearing a LookupError, which costs a third of the time.
    """
    t2s = _t2s_table()
    table: dict[int, str] = {}
    for cp in range(0x10000):
        ch = chr(cp)
        table[cp] = ch if 0xD800 <= cp < 0xE000 else _fold_char(ch, t2s)
    for lo, hi in _ASTRAL_RANGES:
        for cp in range(lo, hi):
            folded = _fold_char(chr(cp), t2s)
            if folded != chr(cp):
                table[cp] = folded
    return table


@cache
def _scan_tables() -> tuple[list[str], dict[int, str], frozenset[str]]:
    """The tables `Matcher` folds with: every ignorable becomes one marker, MARK.

    A list indexed by code point translates BMP text a quarter faster than the dict (no hashing, and no
    int object per character); a character past its end raises IndexError, which `str.translate` takes
    as "keep", so text holding astral characters (emoji) goes through the dict. Which markers end a
    clause is read back from the input character (the third item) in the rare clause checks.
    """
    table = fold_table()
    merged = {cp: MARK if v in (SKIP, CLAUSE) else v for cp, v in table.items()}
    bmp = [merged[cp] for cp in range(0x10000)]
    clause_chars = frozenset(chr(cp) for cp, v in table.items() if v == CLAUSE)
    return bmp, merged, clause_chars


def _fold_for_scan(text: str) -> str:
    bmp, merged, _ = _scan_tables()
    # UTF-16 is twice the length exactly when no character lies beyond the BMP (C speed, ~1 % of a scan)
    if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return text.translate(bmp)
    return text.translate(merged)


def fold(text: str) -> str:
    """Folded text of the same length: Simplified, half width, lower case; ignorables as markers."""
    return text.translate(fold_table())


def compact(text: str) -> str:
    """Folded text without ignorable characters: the form phrases are compared in."""
    return fold(text).replace(SKIP, "").replace(CLAUSE, "")


def _input_offsets(folded: str, positions: list[int]) -> list[int]:
    """Input offsets of sorted compact offsets, in one forward sweep.

    Between two wanted positions the markers are counted with `str.count` (C speed), so the cost is
    one pass over the folded text at most, whatever the number of hits.
    """
    out: list[int] = []
    kept_at, input_at = 0, 0  # the cursor: compact offset `kept_at` is input offset `input_at`
    count = folded.count
    for c in positions:
        wanted = c - kept_at
        guess = input_at + wanted
        markers = count(MARK, input_at, guess)
        while True:  # grow until exactly `wanted` kept characters lie in [input_at, guess)
            nxt = input_at + wanted + markers
            if nxt == guess:
                break
            markers += count(MARK, guess, nxt)
            guess = nxt
        while folded[guess] == MARK:
            guess += 1
        out.append(guess)
        kept_at, input_at = c, guess
    return out


@dataclass(frozen=True, slots=True)
class _Wording:
    entry: int  # index into Matcher.phrases
    length: int  # length of the compact key
    clause: bool
    allow: bool  # an allow-phrase of `entry` rather than a forbidden wording


class Matcher:
    """A compiled forbidden-phrase catalogue. Build once per policy (`matcher_for`), then `scan` texts."""

    def __init__(self, language: LanguagePolicy) -> None:
        _scan_tables()  # built once per process, here rather than inside the first scan
        self.phrases = language.active_forbidden()
        self.max_skip = language.max_skipped_chars
        self.fillers = frozenset(compact(language.filler_chars))
        self.automaton = ahocorasick.Automaton()
        keys: dict[str, list[_Wording]] = {}
        for index, phrase in enumerate(self.phrases):
            for wording, scope in phrase.wordings():
                key = compact(wording)
                if key:
                    keys.setdefault(key, []).append(
                        _Wording(index, len(key), scope == MatchScope.CLAUSE, allow=False)
                    )
            for allowed in phrase.allow:
                key = compact(allowed)
                if key:
                    keys.setdefault(key, []).append(_Wording(index, len(key), clause=False, allow=True))
        self.longest_allow = max((w.length for ws in keys.values() for w in ws if w.allow), default=0)
        for key, wordings in keys.items():
            # plain tuples (entry, length, clause, allow): unpacked in the hot loop of `scan`
            self.automaton.add_word(key, tuple((w.entry, w.length, w.clause, w.allow) for w in wordings))
        self.empty = not keys
        if not self.empty:
            self.automaton.make_automaton()

    def scan(self, text: str) -> list[Finding]:
        """All forbidden phrases in `text`, in order of position; offsets are into `text`."""
        if self.empty or not text:
            return []
        return self._findings(text, self._spans(text))

    def scan_lines(self, lines: Sequence[str]) -> list[Sequence[Finding]]:
        """`scan` of each line, in one pass over the joined text (offsets are into each line).

        A phrase never crosses a line: the line break survives folding, so no key matches across it (and
        a hit that would is dropped), and the result equals scanning line by line at bulk speed. Lines are
        located per hit, not per line, so lines without findings cost nothing beyond the scan. The lines
        are joined in batches of about BATCH_CHARS characters: the text, its folded and compact copies
        then stay in the processor's cache, which makes the pass about a third faster than one join of a
        day's transcripts.
        """
        out: list[Sequence[Finding]] = [()] * len(lines)
        if self.empty or not lines:
            return out
        ends = list(accumulate(map(len, lines)))  # characters up to and including each line (no breaks)
        lo = 0
        while lo < len(lines):
            base = ends[lo - 1] if lo else 0
            hi = max(bisect_left(ends, base + BATCH_CHARS, lo), lo + 1)
            self._scan_batch(lines, lo, min(hi, len(lines)), out)
            lo = hi
        return out

    def _scan_batch(self, lines: Sequence[str], lo: int, hi: int, out: list[Sequence[Finding]]) -> None:
        text = "\n".join(lines[lo:hi])
        per_line: dict[int, list[tuple[int, int, int]]] = {}
        index, line_start, line_end = lo, 0, len(lines[lo])
        count = text.count
        for start, stop, entry in self._spans(text):  # sorted by start
            if start > line_end:
                index += count("\n", line_end, start)
                line_start = text.rfind("\n", 0, start) + 1
                line_end = line_start + len(lines[index])
            if stop > line_end:  # crosses the line break
                continue
            per_line.setdefault(index, []).append((start - line_start, stop - line_start, entry))
        for index, found in per_line.items():
            out[index] = self._findings(lines[index], found)

    def _spans(self, text: str) -> list[tuple[int, int, int]]:
        """(start, stop, phrase index) of every candidate hit in `text`, gaps and clauses checked."""
        folded = _fold_for_scan(text)
        packed = folded.replace(MARK, "")
        candidates: list[tuple[int, int, int, int, bool]] = []  # first, last, entry, length, clause
        allowed: list[tuple[int, int, int]] = []
        add = candidates.append
        for last, wordings in self.automaton.iter(packed):
            for entry, length, clause, allow in wordings:
                if allow:
                    allowed.append((entry, last - length + 1, last))
                else:
                    add((last - length + 1, last, entry, length, clause))
        if not candidates:
            return []
        if allowed:
            by_entry = self._group_allowed(allowed)
            candidates = [
                c
                for c in candidates
                if not (c[2] in by_entry and self._inside_allowed(by_entry[c[2]], c[0], c[1]))
            ]
        candidates.sort(key=_first)  # the order within one start does not matter: `_findings` sorts again
        starts = _input_offsets(folded, [c[0] for c in candidates])
        found: list[tuple[int, int, int]] = []
        keep = found.append
        find = folded.find
        fillers = self.fillers
        for start, (_, _, entry, length, clause) in zip(starts, candidates, strict=True):
            stop = start + length
            if find(MARK, start, stop) != -1:
                stop = self._end_within_gaps(folded, start, length)
                if stop < 0:
                    continue
            if clause:
                # most clause-scope candidates sit inside a longer clause: a plain character right next to
                # them rejects them without the walk of `_whole_clause`
                before = folded[start - 1] if start else "\n"
                after = folded[stop] if stop < len(folded) else "\n"
                if (before != MARK and before != "\n" and before not in fillers) or (
                    after != MARK and after != "\n" and after not in fillers
                ):
                    continue
                if not self._whole_clause(text, folded, start, stop):
                    continue
            keep((start, stop, entry))
        return found

    @staticmethod
    def _group_allowed(allowed: list[tuple[int, int, int]]) -> dict[int, tuple[list[int], list[int]]]:
        """Allow-phrase hits per entry as (starts, ends), sorted by start."""
        grouped: dict[int, list[tuple[int, int]]] = {}
        for entry, a, b in allowed:
            grouped.setdefault(entry, []).append((a, b))
        out = {}
        for entry, spans in grouped.items():
            spans.sort()
            out[entry] = ([a for a, _ in spans], [b for _, b in spans])
        return out

    def _inside_allowed(self, spans: tuple[list[int], list[int]], first: int, last: int) -> bool:
        starts, ends = spans
        i = bisect_right(starts, first) - 1
        while i >= 0 and starts[i] >= first - self.longest_allow:
            if ends[i] >= last:
                return True
            i -= 1
        return False

    def _end_within_gaps(self, folded: str, start: int, length: int) -> int:
        """End offset of a phrase of `length` kept characters from `start`, or -1 if a gap between two
        of them holds more than `max_skip` ignorable characters (LANG-4)."""
        i, left, gap = start + 1, length - 1, 0
        while left:
            ch = folded[i]
            if ch == MARK:
                gap += 1
                if gap > self.max_skip:
                    return -1
            else:
                gap = 0
                left -= 1
            i += 1
        return i

    def _whole_clause(self, text: str, folded: str, start: int, end: int) -> bool:
        """True if the clause around [start, end) holds nothing but the phrase, fillers and ignorables."""
        fillers = self.fillers
        clause_chars = _scan_tables()[2]
        i = start - 1
        while i >= 0:
            ch = folded[i]
            if ch == "\n" or (ch == MARK and text[i] in clause_chars):
                break
            if ch != MARK and ch not in fillers:
                return False
            i -= 1
        n = len(folded)
        i = end
        while i < n:
            ch = folded[i]
            if ch == "\n" or (ch == MARK and text[i] in clause_chars):
                break
            if ch != MARK and ch not in fillers:
                return False
            i += 1
        return True

    def _findings(self, text: str, found: list[tuple[int, int, int]]) -> list[Finding]:
        # Longest first at each start; a hit inside an already kept one (a variant inside the canonical
        # wording, or two wordings of the same phrase) is the same offence and is dropped.
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        out: list[Finding] = []
        kept_end = -1
        for start, end, entry in found:
            if end <= kept_end:
                continue
            kept_end = max(kept_end, end)
            phrase = self.phrases[entry]
            out.append(
                Finding(RULE_FORBIDDEN, phrase.text, text[start:end], start, end, phrase.rewrite, phrase.id)
            )
        return out


_MATCHERS: dict[int, tuple[LanguagePolicy, Matcher]] = {}


def matcher_for(language: LanguagePolicy) -> Matcher:
    """The compiled matcher of a (frozen) language policy, built once per policy object."""
    cached = _MATCHERS.get(id(language))
    if cached is not None and cached[0] is language:
        return cached[1]
    if len(_MATCHERS) > 32:
        _MATCHERS.clear()
    matcher = Matcher(language)
    _MATCHERS[id(language)] = (language, matcher)
    return matcher


def check_reply(text: str, policy: Any) -> list[Finding]:
    """Forbidden phrases in one staff reply (ASK-3 consultation answers, window replies).

    `policy` is a whole `Policy` or its `LanguagePolicy` section.
    """
    language = policy if isinstance(policy, LanguagePolicy) else policy.language
    return matcher_for(language).scan(text)
