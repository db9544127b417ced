"""ESC/POS bytes for 58/80 mm thermal ticket printers (热敏小票), text in GB18030 (pure, no Django).

Only the handful of commands a queue ticket needs: initialise, Chinese mode, alignment, bold,
character size, line feeds and a partial cut. Chinese printers take GB18030 (a superset of GBK and
GB2312) once Chinese mode is on (FS &).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"

INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
ALIGN = {"left": ESC + b"a\x00", "center": ESC + b"a\x01", "right": ESC + b"a\x02"}
BOLD_ON = ESC + b"E\x01"
BOLD_OFF = ESC + b"E\x00"
CUT = GS + b"V\x42\x00"  # feed to the cutter, then partial cut
ENCODING = "gb18030"


def size(width: int = 1, height: int = 1) -> bytes:
    """GS ! n: character width and height multipliers 1–8."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("width and height must be 1..8")
    return GS + b"!" + bytes([((width - 1) << 4) | (height - 1)])


@dataclass
class Receipt:
    """Builds one receipt; `bytes()` gives the printer stream."""

    chunks: list[bytes] = field(default_factory=lambda: [INIT, CHINESE_ON])

    def align(self, where: str) -> Receipt:
        self.chunks.append(ALIGN[where])
        return self

    def text(self, line: str, *, bold: bool = False, width: int = 1, height: int = 1) -> Receipt:
        if bold:
            self.chunks.append(BOLD_ON)
        if (width, height) != (1, 1):
            self.chunks.append(size(width, height))
        self.chunks.append(line.replace("\r", "").encode(ENCODING, errors="replace") + b"\n")
        if (width, height) != (1, 1):
            self.chunks.append(size(1, 1))
        if bold:
            self.chunks.append(BOLD_OFF)
        return self

    def feed(self, lines: int = 1) -> Receipt:
        self.chunks.append(ESC + b"d" + bytes([max(0, min(lines, 255))]))
        return self

    def cut(self) -> Receipt:
        self.chunks.extend([CHINESE_OFF, CUT])
        return self

    def __bytes__(self) -> bytes:
        return b"".join(self.chunks)


def ticket_receipt(
    *,
    centre: str,
    number: str,
    line: str,
    items: list[str],
    issued: str,
    ahead: int,
    wait_minutes: int | None,
    priority: str = "",
    footer: str = "",
) -> bytes:
    """A queue ticket (Q-1): centre, big number, line and items, time, people ahead, estimated wait."""
    r = Receipt().align("center").text(centre, bold=True)
    r.text("您好，您的号码是").text(number, bold=True, width=3, height=3)
    if priority:
        r.text(f"【{priority}】", bold=True)
    r.align("left").text(f"业务：{line}")
    for item in items:
        r.text(f"事项：{item}")
    r.text(f"取号时间：{issued}")
    r.text(f"您前面还有 {ahead} 人等候")
    if wait_minutes is not None:
        r.text(f"预计等候约 {wait_minutes} 分钟")
    if footer:
        r.text(footer)
    r.align("center").text("请留意叫号，过号请到窗口咨询，谢谢！")
    return bytes(r.feed(3).cut())
