"""Second-generation ID-card reading (二代身份证识读, 002/篇3 §6): the card as plain data and the one-method
adapter interface every reader vendor is wrapped behind. Imports nothing from Django.

Only two adapters ship: the simulator (a JSON file standing for the card on the reader, used by the tests
and for training) and `sdk`, a placeholder that refuses with a clear message until a vendor's SDK or serial
protocol is wired in. No vendor reader is supported out of the box (docs/id-reader.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from servicehall.core.errors import InputError
from servicehall.core.identity import IdKind, validate_id_number


class ReaderUnavailable(Exception):
    """No reader answers (unplugged, driver missing, adapter not configured): the agent answers 503."""


class InvalidCard(Exception):
    """The reader returned a card whose number fails GB 11643: the agent answers 422, never the number."""


@dataclass(frozen=True, slots=True)
class CardData:
    """What the chip of a 居民身份证 holds that a registration form needs. `id_number` is personal data:
    it is returned to the page and never logged."""

    name: str
    id_number: str
    address: str
    sex: str = ""
    nation: str = ""
    birth: str = ""
    issuer: str = ""
    valid_from: str = ""
    valid_until: str = ""  # "长期" for a card valid for life

    def expired(self, today: dt.date) -> bool:
        if not self.valid_until or self.valid_until == "长期":
            return False
        try:
            return dt.date.fromisoformat(self.valid_until) < today
        except ValueError:
            return False

    def as_json(self, today: dt.date) -> dict[str, object]:
        return {
            "name": self.name, "id_number": self.id_number, "address": self.address, "sex": self.sex,
            "nation": self.nation, "birth": self.birth, "issuer": self.issuer, "valid_from": self.valid_from,
            "valid_until": self.valid_until, "expired": self.expired(today), "id_kind": IdKind.RESIDENT_ID.value,
        }  # fmt: skip


def checked(card: CardData, *, today: dt.date) -> CardData:
    """The card with its number normalised by the GB 11643 validator; InvalidCard if it fails."""
    try:
        number = validate_id_number(IdKind.RESIDENT_ID, card.id_number, field="id_number", today=today)
    except InputError as exc:
        raise InvalidCard(exc.message) from None
    if not number:
        raise InvalidCard("读卡器未返回证件号码")
    return CardData(**{**_fields(card), "id_number": number})


def _fields(card: CardData) -> dict[str, str]:
    return {f: getattr(card, f) for f in CardData.__dataclass_fields__}


class CardReader(Protocol):
    """A vendor's reader behind one method. `read_card` returns the card on the reader, None when no card
    is placed, and raises ReaderUnavailable when the reader cannot be reached."""

    def read_card(self) -> CardData | None: ...


class SimulatorReader:
    """A JSON file stands for the reader: absent or `{}` = no card; `{"reader": "absent"}` = no reader;
    otherwise the card's fields. Read afresh on every request, so a test or a trainer swaps cards by
    rewriting the file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read_card(self) -> CardData | None:
        if not self.path.exists():
            return None
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            # The message names the file, never its content: the content is personal data.
            raise ReaderUnavailable(f"模拟读卡文件无法读取：{self.path.name}") from None
        if not isinstance(raw, dict):
            raise ReaderUnavailable(f"模拟读卡文件格式不对：{self.path.name}")
        if raw.get("reader") == "absent":
            raise ReaderUnavailable("未检测到读卡器")
        if not raw:
            return None
        known = {k: str(v) for k, v in raw.items() if k in CardData.__dataclass_fields__}
        return CardData(**{"name": "", "id_number": "", "address": "", **known})


class SdkReader:
    """Placeholder for a vendor SDK or serial protocol. Nothing is implemented: it always refuses, so a
    counter PC that was not set up says so instead of pretending to read."""

    def __init__(self, name: str) -> None:
        self.name = name

    def read_card(self) -> CardData | None:
        raise ReaderUnavailable(
            f"读卡器适配器“{self.name}”尚未配置：servicehall 未内置任何厂商的读卡器驱动，"
            "请按 docs/id-reader.md 编写适配器"
        )


ADAPTERS = ("sdk",)
