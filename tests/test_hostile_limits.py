"""Hostile input, part 2: limits refused early, formula-like text in the CLI's CSV (part 1,
values the schema cannot hold, is test_hostile_input.py; part 3, races on the journal,
test_hostile_races.py).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from analytics.errors import ExportTooLargeError
from analytics.export import context, tables
from analytics.pipeline import readers
from tests.import_files import HEADER, NEW, refused, run, with_cell

# --- limits: refused early, before the work they bound ------------------------------------------


def test_a_header_of_80000_columns_is_refused_at_once(store, capsys, tmp_path):
    data = (",".join(f"c{i}" for i in range(80_000)) + "\n").encode()
    assert refused(store, capsys, tmp_path, "new.csv", data) == [
        "error: new.csv:1: has 80,000 columns; at most 22 are allowed (the inspection columns, "
        "then one per standard)"
    ]


def test_a_csv_of_more_than_50000_rows_is_refused(store, capsys, tmp_path):
    data = (HEADER + "\n" + (NEW + "\n") * 50_001).encode()
    assert refused(store, capsys, tmp_path, "new.csv", data) == [
        "error: new.csv: has more than 50,000 rows; the limit is 50,000"
    ]


def test_a_file_over_5_mb_is_refused_without_reading_it_whole(store, capsys, tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.truncate(1024**3)  # 1 GB, sparse: nothing is written to disk
    reads: list[int] = []
    real_open = Path.open

    def recording_open(self, *args, **kwargs):
        handle = real_open(self, *args, **kwargs)
        if self == path:
            real_read = handle.read
            handle.read = lambda n=-1: reads.append(n) or real_read(n)
        return handle

    monkeypatch.setattr(Path, "open", recording_open)
    csv_dir, db_path = store
    code, out, err = run(capsys, "import", str(path), "--data", str(csv_dir), "--db", str(db_path))
    assert (code, err) == (
        2,
        "error: big.csv: is 1,073,741,824 bytes; the limit is 5,242,880 (5 MB)\n",
    )
    assert reads == [readers.MAX_FILE_BYTES + 1]


def test_problems_stop_at_1000_and_the_rest_are_counted(store, capsys, tmp_path):
    bad = NEW.replace("Inadequate", "Awful")
    data = (HEADER + "\n" + (bad + "\n") * 1500).encode()
    errors = refused(store, capsys, tmp_path, "new.csv", data)
    assert len(errors) == 1001
    assert errors[999] == (
        "error: new.csv:1001:overall_rating: unknown value 'Awful' (allowed: Outstanding, Good, "
        "Requires improvement, Inadequate)"
    )
    assert errors[1000] == "error: ... and 500 more problems (only the first 1,000 are listed)"


def xlsx_with(shared_strings: int = 0, header_cells: int = 0) -> bytes:
    """A minimal workbook: ``header_cells`` inline cells in row 1, and a shared-strings part."""
    cells = "".join(
        f'<c r="A1" t="inlineStr"><is><t>h{i}</t></is></c>' for i in range(header_cells)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    )
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "<si><t/></si>" * shared_strings
        + "</sst>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", strings)
    return buffer.getvalue()


def test_an_xlsx_of_millions_of_tiny_shared_strings_is_refused_unread(store, capsys, tmp_path):
    data = xlsx_with(shared_strings=1_200_000)
    assert len(data) < 200_000  # ~15 MB of XML, compressed
    assert refused(store, capsys, tmp_path, "new.xlsx", data) == [
        "error: new.xlsx: holds 1,200,000 shared strings, more than the 1,100,022 cells an import "
        "of 50,000 rows by 22 columns can have"
    ]


def workbook_parts(parts: dict[str, str], types: dict[str, str]) -> bytes:
    """An .xlsx archive of ``parts``, its [Content_Types].xml declaring ``types`` by part name."""
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in types.items()
    )
    declared = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{overrides}</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", declared)
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def openpyxl_never_reads(monkeypatch):
    """A file refused on its parts' sizes never reaches openpyxl (which reads them whole)."""
    import openpyxl

    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl was asked to read a file that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.mark.usefixtures("openpyxl_never_reads")
def test_a_renamed_shared_strings_part_is_counted_by_its_declared_type(store, capsys, tmp_path):
    # openpyxl finds the shared strings through [Content_Types].xml: renamed, they were not
    # counted, and 112 KB cost 30-48 s and 400 MB before being accepted
    strings = "<sst>" + "<si><t/></si>" * 1_200_000 + "</sst>"
    data = workbook_parts({"xl/words.xml": strings}, {"xl/words.xml": readers.SHARED_STRINGS_TYPE})
    assert len(data) < 200_000
    assert refused(store, capsys, tmp_path, "new.xlsx", data) == [
        "error: new.xlsx: holds 1,200,000 shared strings, more than the 1,100,022 cells an import "
        "of 50,000 rows by 22 columns can have"
    ]


@pytest.mark.usefixtures("openpyxl_never_reads")
def test_an_outsized_styles_part_is_refused_however_it_is_named(store, capsys, tmp_path):
    # an uncounted 37 MB styles part cost 17 s and 645 MB
    styles = "<styleSheet><fonts>" + "<font/>" * 400_000 + "</fonts></styleSheet>"
    data = workbook_parts({"xl/look.xml": styles}, {"xl/look.xml": readers.STYLES_TYPE})
    assert refused(store, capsys, tmp_path, "new.xlsx", data) == [
        f"error: new.xlsx: has a styles part of {len(styles):,} bytes; the limit is 2,097,152: "
        "copy the rows into a new workbook, or save as CSV"
    ]


@pytest.mark.usefixtures("openpyxl_never_reads")
def test_a_worksheet_of_millions_of_empty_cells_is_refused_however_it_is_named(
    store, capsys, tmp_path
):
    # openpyxl parses every cell of a row it reads: 10,000,000 empty cells (44 KB) cost 21 s
    sheet = (
        "<worksheet><sheetData><row r='1'>" + "<c/>" * 2_200_045 + "</row></sheetData></worksheet>"
    )
    data = workbook_parts({"xl/rows.xml": sheet}, {"xl/rows.xml": readers.WORKSHEET_TYPE})
    assert len(data) < 100_000
    assert refused(store, capsys, tmp_path, "new.xlsx", data) == [
        "error: new.xlsx: has a worksheet (xl/rows.xml) of more than 2,200,044 cells (twice the "
        "cells an import of 50,000 rows by 22 columns can have)"
    ]


@pytest.mark.usefixtures("openpyxl_never_reads")
def test_a_content_types_part_that_is_not_xml_is_refused(store, capsys, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><Override")
    assert refused(store, capsys, tmp_path, "new.xlsx", buffer.getvalue()) == [
        "error: new.xlsx: is not a valid .xlsx file ([Content_Types].xml is not XML (unclosed "
        "token: line 1, column 7))"
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_blank_rows_do_not_count_towards_the_row_limit(store, capsys, tmp_path, fmt):
    """A sheet saved with 60,000 empty rows before its one inspection is one row, not 60,001."""
    csv_dir, db_path = store
    if fmt == "csv":
        data = (HEADER + "\n" + ",,,,,,,,,\n" * 30_000 + "\n" * 30_000 + NEW + "\n").encode()
    else:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Inspections")
        sheet.append(readers.IMPORT_COLUMNS)
        for _ in range(60_000):
            sheet.append([""] * len(readers.IMPORT_COLUMNS))
        sheet.append(NEW.split(","))
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    path = tmp_path / f"new.{fmt}"
    path.write_bytes(data)
    common = ["--data", str(csv_dir), "--db", str(db_path), "--dry-run"]
    code, out, err = run(capsys, "import", str(path), *common)
    assert (code, err) == (0, "")
    assert out == (
        f"new.{fmt}: would import: 1 added, 0 replaced, 0 skipped (already identical) (dry run: "
        "nothing changed)\n"
    )


def test_an_xlsx_header_as_wide_as_excel_goes_is_refused(store, capsys, tmp_path):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Inspections")
    sheet.append([f"c{i}" for i in range(16_384)])  # as wide as Excel goes
    buffer = io.BytesIO()
    book.save(buffer)
    assert refused(store, capsys, tmp_path, "new.xlsx", buffer.getvalue()) == [
        "error: new.xlsx:1: has 16,384 columns; at most 22 are allowed (the inspection columns, "
        "then one per standard)"
    ]


def test_excel_downloads_stop_at_100000_rows_with_a_message_offering_csv():
    import pandas as pd

    ctx = context.Context("T", None, "src", "OGL", False, __import__("datetime").date(2026, 12, 1))
    with pytest.raises(ExportTooLargeError) as info:
        tables.table_xlsx(pd.DataFrame({"a": range(100_001)}), ctx)
    assert str(info.value) == (
        "Excel downloads hold at most 100,000 rows and this table has 100,001: download it as CSV"
    )


def test_csv_downloads_stop_at_200000_rows():
    import pandas as pd

    assert tables.table_csv(pd.DataFrame({"a": range(200_000)})).count(b"\r\n") == 200_001
    with pytest.raises(ExportTooLargeError) as info:
        tables.table_csv(pd.DataFrame({"a": range(200_001)}))
    assert str(info.value) == (
        "CSV downloads hold at most 200,000 rows and this table has 200,001: for the whole data "
        "use `probation-ratings export-data` or `query league_table`"
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_too_large_is_refused_before_its_table_is_built(
    store, capsys, tmp_path, monkeypatch, fmt
):
    from analytics.analyses import viewspecs

    monkeypatch.setitem(tables.MAX_ROWS, fmt, 9)  # the fixture has 10 inspections
    built: list[str] = []
    real = viewspecs.build_view
    monkeypatch.setattr(
        viewspecs, "build_view", lambda *a, **k: built.append(a[1]) or real(*a, **k)
    )
    csv_dir, db_path = store
    common = ["--db", str(db_path), "--out", str(tmp_path)]
    code, out, err = run(capsys, "export", "inspections", "--format", fmt, *common)
    name = {"csv": "CSV", "xlsx": "Excel"}[fmt]
    advice = {
        "csv": "for the whole data use `probation-ratings export-data` or `query league_table`",
        "xlsx": "download it as CSV",
    }[fmt]
    assert (code, out, err) == (
        2,
        "",
        f"error: {name} downloads hold at most 9 rows and this table has 10: {advice}\n",
    )
    assert built == [] and list(tmp_path.glob("inspections*")) == []
    # a table of a few summary rows is never counted first
    assert run(capsys, "export", "coverage", "--format", fmt, *common)[0] == 0


# --- formula-like text in the CLI's CSV ----------------------------------------------------------


def test_query_csv_and_export_data_neutralise_formulas_unless_raw(store, capsys, tmp_path):
    csv_dir, db_path = store
    name = "=HYPERLINK(x)"
    path = tmp_path / "new.csv"
    path.write_text(with_cell("unit_name", f'"{name}"'), encoding="utf-8")
    args = ("--data", str(csv_dir), "--db", str(db_path))
    assert run(capsys, "import", str(path), "--allow-new-units", *args)[0] == 0
    for flag, line in (
        ((), "PDU,'=HYPERLINK(x),South,1"),
        (("--raw",), "PDU,=HYPERLINK(x),South,1"),
    ):
        _, out, _ = run(capsys, "query", "units", "--format", "csv", *flag, "--db", str(db_path))
        assert [row for row in out.splitlines() if "HYPERLINK" in row] == [line]
    for flag, expected in (((), "'=HYPERLINK(x)"), (("--raw",), "=HYPERLINK(x)")):
        out_dir = tmp_path / f"out{len(flag)}"
        assert run(capsys, "export-data", "--out", str(out_dir), *flag, *args)[0] == 0
        units = (out_dir / "units.csv").read_text(encoding="utf-8").splitlines()
        assert units[-1] == f"PDU,{expected},South,"
