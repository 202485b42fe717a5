"""CSV exports: Excel's encoding and line ends, RFC 4180 quoting, no formula injection."""

from __future__ import annotations

import csv
import io
import tracemalloc
from pathlib import Path

import pytest

from bot.analytics.csv_files import CsvWriter, csv_bytes, safe_cell

BOM = b"\xef\xbb\xbf"


def parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_bom_and_crlf() -> None:
    data = csv_bytes(["a", "b"], [["1", "2"]])
    assert data.startswith(BOM)
    assert data[len(BOM) :] == b"a,b\r\n1,2\r\n"


def test_cyrillic_round_trip() -> None:
    rows = [["Анна", "Ёлка «новогодняя»"], ["Пётр", "тёплый плед"]]
    data = csv_bytes(["Имя", "Товар"], rows)
    assert parse(data) == [["Имя", "Товар"], *rows]


def test_quoting_as_needed() -> None:
    rows = [["a,b", 'say "hi"', "line\nbreak", "cr\rhere", "plain"]]
    data = csv_bytes(["1", "2", "3", "4", "5"], rows)
    assert b'"a,b","say ""hi""","line\nbreak","cr\rhere",plain\r\n' in data
    assert parse(data)[1] == rows[0]


def test_non_text_fields() -> None:
    data = csv_bytes(["n", "x", "none"], [[3, 2.5, None], [-4, -0.25, ""]])
    assert parse(data)[1:] == [["3", "2.5", ""], ["-4", "-0.25", ""]]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("+7 999 123-45-67", "'+7 999 123-45-67"),
        # numbers stay numbers
        ("-3.5", "-3.5"),
        ("+7", "+7"),
        ("-0.25", "-0.25"),
        ("-.5", "-.5"),
        ("-1e-3", "-1e-3"),
        ("+79991234567", "+79991234567"),
        # harmless text is untouched, also with the characters inside
        ("a=b", "a=b"),
        ("Иван", "Иван"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_formula_guard(value: str, written: str) -> None:
    assert safe_cell(value) == written
    assert parse(csv_bytes(["h"], [[value]]))[1] == [written]


def test_guard_applies_to_the_header_too() -> None:
    assert parse(csv_bytes(["=h"], []))[0] == ["'=h"]


def test_writer_incremental(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with CsvWriter(path, ["id", "имя"]) as writer:
        writer.write_rows([["1", "Анна"], ["2", "=evil()"]])
        writer.write_rows(iter([["3", "a,b"]]))
        assert writer.rows_written == 3
    data = path.read_bytes()
    assert data.startswith(BOM)
    assert data.count(b"\r\n") == 4 and b"\n\n" not in data
    assert data == csv_bytes(["id", "имя"], [["1", "Анна"], ["2", "=evil()"], ["3", "a,b"]])


def test_writer_streams_without_holding_the_file(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    tracemalloc.start()
    try:
        writer = CsvWriter(path, ["n", "text"])
        for start in range(0, 100_000, 1_000):
            writer.write_rows([str(i), f"строка {i}"] for i in range(start, start + 1_000))
        writer.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert size > 1_500_000
    assert peak < size / 4  # never the whole file in memory
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert len(rows) == 100_001 and rows[-1] == ["99999", "строка 99999"]
