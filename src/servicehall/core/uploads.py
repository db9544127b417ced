"""Reading uploaded and imported tables (上传文件) within limits: bytes, rows, unpacked size, field size.

Every CSV or Excel import — web form, API or command line — reads its rows through `read_rows()`, so a
50 MB CSV, a 2-million-row sheet or an xlsx that unpacks to hundreds of megabytes ("zip bomb") is
refused with a clear message before it costs memory or time. An xlsx is a zip archive: its declared
uncompressed sizes are checked before openpyxl opens it, and rows are streamed (read-only mode).
Limits come from settings (`SERVICEHALL_UPLOAD_*`, see docs/security.md) through `UploadLimits`.
Imports nothing from Django.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from servicehall.core.errors import InputError

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """What one uploaded file may hold."""

    max_bytes: int = 10 * MB
    max_rows: int = 200_000
    max_unpacked_bytes: int = 100 * MB
    max_field_chars: int = 10_000

    @property
    def max_mb(self) -> float:
        return round(self.max_bytes / MB, 1)


DEFAULT_LIMITS = UploadLimits()


class UploadTooLarge(InputError):
    """The file (or request) is over a size limit: HTTP 413."""

    status = 413
    code = "too_large"


def check_size(size: int, label: str, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    if size > limits.max_bytes:
        raise UploadTooLarge(
            label,
            f"文件过大（{size / MB:.1f} MB），上限为 {limits.max_mb:g} MB，请按月份或单位拆分后再上传",
            size=size,
            limit=limits.max_bytes,
        )


def check_xlsx_archive(data: bytes, label: str, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """Refuse an xlsx whose members would unpack past `max_unpacked_bytes`, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(label, "不是有效的 Excel 文件（.xlsx）") from None
    if unpacked > limits.max_unpacked_bytes:
        raise UploadTooLarge(
            label,
            f"Excel 文件解压后过大（{unpacked / MB:.0f} MB），上限为 "
            f"{limits.max_unpacked_bytes / MB:.0f} MB，请拆分后再上传",
            unpacked=unpacked,
            limit=limits.max_unpacked_bytes,
        )


def decode_text(data: bytes, label: str) -> str:
    """UTF-8 (with or without BOM) or GB18030 text, as saved by Excel on Chinese Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(label, "文件不是 UTF-8 或 GB18030 文本，请另存为“CSV UTF-8”") from None


def csv_rows(text: str, label: str, limits: UploadLimits = DEFAULT_LIMITS) -> Iterator[list[str]]:
    """Rows of CSV `text`; a too-long field or too many rows is an InputError naming the row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The csv module refuses fields over its own limit (131072) and broken quoting.
            too_long = "field larger than field limit" in str(exc)
            why = (
                f"单元格内容过长（超过 {csv.field_size_limit()} 个字符）"
                if too_long
                else f"无法读取该行（{exc}）"
            )
            raise InputError(f"{label}, row {reader.line_num}", why) from None
        count += 1
        if count > limits.max_rows + 1:  # + the header
            raise UploadTooLarge(
                f"{label}, row {count}", f"超过 {limits.max_rows} 行，请拆分后再上传", limit=limits.max_rows
            )
        for column, cell in enumerate(row, start=1):
            if len(cell) > limits.max_field_chars:
                raise InputError(
                    f"{label}, row {count}, column {column}",
                    f"单元格内容过长（{len(cell)} 个字符，上限 {limits.max_field_chars}）",
                )
        yield row


def xlsx_rows(data: bytes, label: str, limits: UploadLimits = DEFAULT_LIMITS) -> Iterator[list[Any]]:
    """Rows of the first sheet, streamed; None cells become ''."""
    from openpyxl import load_workbook

    check_xlsx_archive(data, label, limits)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(label, f"不是可读取的 Excel 文件（{type(exc).__name__}）") from None
    try:
        for count, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            if count > limits.max_rows + 1:
                raise UploadTooLarge(
                    f"{label}, row {count}",
                    f"超过 {limits.max_rows} 行，请拆分后再上传",
                    limit=limits.max_rows,
                )
            cells = ["" if v is None else v for v in row]
            for column, cell in enumerate(cells, start=1):
                if isinstance(cell, str) and len(cell) > limits.max_field_chars:
                    raise InputError(
                        f"{label}, row {count}, column {column}",
                        f"单元格内容过长（{len(cell)} 个字符，上限 {limits.max_field_chars}）",
                    )
            yield cells
    finally:
        wb.close()


def is_xlsx(label: str) -> bool:
    return label.lower().endswith((".xlsx", ".xlsm"))


def read_rows(data: bytes, label: str, limits: UploadLimits = DEFAULT_LIMITS) -> Iterator[list[Any]]:
    """Rows (header first) of an uploaded CSV or xlsx named `label`, within `limits`."""
    check_size(len(data), label, limits)
    if is_xlsx(label):
        yield from xlsx_rows(data, label, limits)
    else:
        yield from csv_rows(decode_text(data, label), label, limits)
