"""A running simulator agent on a free loopback port, and a card file the test rewrites."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from servicehall.devices.agent import make_server, serve_in_thread
from servicehall.devices.idcard import SimulatorReader

ORIGIN = "https://hall.example.gov.cn"
# A made-up resident with a valid GB 11643 check digit (the demo uses the same kind of numbers).
CARD = {
    "name": "欧阳娜娜", "id_number": "64040219900101002x", "address": "宁夏固原市原州区文化路1号",
    "sex": "女", "nation": "汉", "birth": "1990-01-01", "issuer": "固原市公安局原州区分局",
    "valid_from": "2020-01-01", "valid_until": "2040-01-01",
}  # fmt: skip


class Agent:
    def __init__(self, tmp_path: Path) -> None:
        self.card_file = tmp_path / "card.json"
        self.server = make_server(
            reader=SimulatorReader(self.card_file), origins=[ORIGIN], port=0, adapter="simulator",
            today=lambda: dt.date(2026, 3, 2),
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        serve_in_thread(self.server)

    def place(self, card: dict[str, str] | None) -> None:
        if card is None:
            self.card_file.unlink(missing_ok=True)
        else:
            self.card_file.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def agent(tmp_path):
    running = Agent(tmp_path)
    yield running
    running.server.shutdown()
    running.server.server_close()
