"""CSV exports that open correctly in Excel and cannot run code there.

Format: UTF-8 with a byte-order mark (without it Excel reads Cyrillic as cp1251 mojibake),
comma separated, CRLF line ends and fields quoted only where needed (RFC 4180).

Formula injection: a spreadsheet executes a cell that starts with `=`, `+`, `-` or `@` (and
some also after a leading tab or CR), so a customer who writes `=HYPERLINK("http://evil",
"click")` as their name would get a live formula into the shop owner's spreadsheet. Such
text gets a leading apostrophe, which spreadsheets treat as "this is text" and do not show.
Plain numbers such as "-3.5" or "+7" are not formulas and stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from os import PathLike
from types import TracebackType

ENCODING = "utf-8-sig"
# Python's "excel" dialect is RFC 4180: comma, double quotes doubled inside quoted fields,
# CRLF, quotes only around fields holding a comma, a quote or a line break.
DIALECT = "excel"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> str:
    """The text of one field: None → empty, anything else through str(), formula-guarded."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A whole (small) CSV file in memory; for big exports use `CsvWriter`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect=DIALECT)
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode(ENCODING)


class CsvWriter:
    """Writes a CSV file row chunk by row chunk, so a 100,000-row export is never held in
    memory as one string. Use as a context manager or call `close()`."""

    def __init__(self, path: str | PathLike[str], header: Sequence[str]) -> None:
        # newline="" because the csv module writes its own CRLF line ends.
        self._file = open(path, "w", encoding=ENCODING, newline="")  # noqa: SIM115
        self._writer = csv.writer(self._file, dialect=DIALECT)
        self._writer.writerow([safe_cell(name) for name in header])
        self.rows_written = 0

    def write_rows(self, chunk: Iterable[Sequence[object]]) -> None:
        for row in chunk:
            self._writer.writerow([safe_cell(value) for value in row])
            self.rows_written += 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> CsvWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
