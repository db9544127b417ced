"""ESC/POS ticket bytes (Q-1): commands at the right places and Chinese text in GB18030."""

from __future__ import annotations

import pytest

from servicehall.queue.escpos import CHINESE_ON, CUT, INIT, Receipt, size, ticket_receipt


def _ticket() -> bytes:
    return ticket_receipt(
        centre="原州区政务服务中心", number="A023", line="综合受理", items=["营业执照设立登记"],
        issued="2026-03-02 09:15", ahead=4, wait_minutes=12, priority="70岁以上老人",
    )  # fmt: skip


def test_q_1__escpos_starts_with_init_and_chinese_mode_and_ends_with_cut():
    data = _ticket()
    assert data.startswith(b"\x1b@\x1c&")
    assert data.endswith(b"\x1c.\x1dV\x42\x00")
    assert INIT + CHINESE_ON == b"\x1b@\x1c&"
    assert CUT == b"\x1dV\x42\x00"


def test_q_1__escpos_text_decodes_as_gb18030_chinese():
    data = _ticket()
    # the centre name, encoded by hand: 原 = D4 AD, 州 = D6 DD in GB2312/GB18030
    assert "原州".encode("gb18030") == b"\xd4\xad\xd6\xdd"
    assert b"\xd4\xad\xd6\xdd" in data
    text = data.decode("gb18030")
    for expected in ("原州区政务服务中心", "A023", "综合受理", "营业执照设立登记", "您前面还有 4 人等候",
                     "预计等候约 12 分钟", "【70岁以上老人】", "谢谢"):  # fmt: skip
        assert expected in text
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_q_1__number_printed_triple_size_then_reset():
    data = _ticket()
    assert b"\x1d!\x22A023\n\x1d!\x00" in data


def test_q_1__rare_character_outside_gbk_encoded_as_four_bytes():
    data = bytes(Receipt().text("𠀀"))
    assert "𠀀".encode("gb18030") in data
    assert len("𠀀".encode("gb18030")) == 4


def test_size_out_of_range__refused():
    with pytest.raises(ValueError, match=r"1\.\.8"):
        size(9, 1)
