"""Benchmark: what hostile or large import and export files cost (prints numbers; never a test).

Each case runs in a fresh Python process, so its peak memory is its own:

    .venv/bin/python tests/bench_limits.py

The files are SYNTHETIC (made here), the database the fixture data of the tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SETUP = """
import io, json, resource, sys, time, zipfile
from pathlib import Path
sys.path.insert(0, {repo!r})
from analytics.pipeline import db, ingest, readers
from analytics.export import context, tables
from analytics.errors import ExportTooLargeError
from analytics.errors import DataValidationError
work = Path({work!r})
HEADER = ",".join(readers.IMPORT_COLUMNS)
NEW = "PDU,Gamma,South,2025-06-01,stated,2025-03,Inadequate,,,https://example.org/gamma-2025"

def import_bytes(data, name):
    try:
        plan, _ = ingest.import_file(data, name, csv_dir=work / "csv", db_path=work / "ratings.duckdb",
                                     dry_run=True, allow_new_units=True)
        return plan.summary
    except DataValidationError as exc:
        return f"refused: {{str(exc)[:90]}}"
"""

WORKBOOK = """
import re
import openpyxl

def workbook(extra=None, fonts=0, cells=0):
    book = openpyxl.Workbook()
    book.active.append(list(readers.IMPORT_COLUMNS))
    buffer = io.BytesIO(); book.save(buffer)
    made = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in made.infolist():
            part = made.read(info)
            if extra and info.filename == "[Content_Types].xml":
                part = part.replace(b"</Types>", ('<Override PartName="/' + extra[0] +
                                    '" ContentType="' + extra[1] + '"/></Types>').encode())
            if cells and info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"</sheetData>", b'<row r="2">' + b"<c/>" * cells + b"</row></sheetData>")
            if fonts and info.filename == "xl/styles.xml":
                part = re.sub(rb"<fonts[^>]*>", b"<fonts>" + b"<font/>" * fonts, part, count=1)
            archive.writestr(info.filename, part)
        if extra:
            archive.writestr(extra[0], extra[2])
    return out.getvalue()
"""

CASES = {
    "csv, 80,000 header columns": """
data = (",".join(f"c{i}" for i in range(80_000)) + "\\n").encode()
""",
    "csv, 2,000,000 bad rows (4 MB)": """
data = (HEADER + "\\n" + "x\\n" * 2_000_000).encode()
""",
    "csv, 50,000 valid rows (dry run)": """
rows = [NEW.replace("2025-06-01", f"2025-{4 + i % 6:02d}-{1 + i % 28:02d}").replace("Gamma", f"Unit {i}")
        for i in range(50_000)]
data = (HEADER + "\\n" + "\\n".join(rows) + "\\n").encode()
""",
    "csv, 1,500 bad rows (1,000 problems listed)": """
data = (HEADER + "\\n" + (NEW.replace("Inadequate", "Awful") + "\\n") * 1500).encode()
""",
    "csv, 50,000 bad rows (49,000 problems counted)": """
data = (HEADER + "\\n" + (NEW.replace("Inadequate", "Awful") + "\\n") * 50_000).encode()
""",
    "xlsx, 1,200,000 tiny shared strings": """
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t/></si>" * 1_200_000 + "</sst>")
data = buffer.getvalue()
""",
    # A real workbook (openpyxl's own) with one part added or grown, as the attack was made:
    # before, the renamed strings cost 7 s of CPU and the styles 82 s and 2.8 GB (BENCHMARKS.md).
    "xlsx, 1,200,000 shared strings in a renamed part": WORKBOOK
    + """
data = workbook(extra=("xl/words.xml", readers.SHARED_STRINGS_TYPE,
                       "<sst>" + "<si><t/></si>" * 1_200_000 + "</sst>"))
""",
    "xlsx, a 37 MB styles part": WORKBOOK
    + """
data = workbook(fonts=5_300_000)
""",
    "xlsx, 10,000,000 empty cells in one row": WORKBOOK
    + """
data = workbook(cells=10_000_000)
""",
    "csv, 1 row after 1,000,000 blank lines": """
data = (HEADER + "\\n" + "\\n" * 1_000_000 + NEW + "\\n").encode()
""",
    "xlsx, 1 row after 60,000 blank rows": """
import openpyxl
book = openpyxl.Workbook(write_only=True)
sheet = book.create_sheet("Inspections")
sheet.append(readers.IMPORT_COLUMNS)
for _ in range(60_000):
    sheet.append([""] * len(readers.IMPORT_COLUMNS))
sheet.append(NEW.split(","))
buffer = io.BytesIO(); book.save(buffer); data = buffer.getvalue()
""",
    "xlsx, 16,384 header cells": """
import openpyxl
book = openpyxl.Workbook(write_only=True)
sheet = book.create_sheet("Inspections")
sheet.append([f"c{i}" for i in range(16_384)])
buffer = io.BytesIO(); book.save(buffer); data = buffer.getvalue()
""",
}

EXPORTS = {
    "Excel download, 100,000 rows": "tables.table_xlsx(frame.head(100_000), ctx)",
    "Excel download, 200,000 rows (refused)": "tables.table_xlsx(frame, ctx)",
    "CSV download, 200,000 rows": "tables.table_csv(frame)",
    "CSV download, 200,001 rows (refused)": "tables.table_csv(pd.concat([frame, frame.head(1)]))",
}

EXPORT_SETUP = """
import datetime as dt
import pandas as pd
from analytics.filters import Filters
frame = pd.DataFrame({
    "unit_name": [f"Unit {i}" for i in range(200_000)],
    "region": ["North East"] * 200_000,
    "rating": ["Requires improvement"] * 200_000,
    "published": ["2024-05-17"] * 200_000,
    "points": [1] * 200_000,
    "source_url": ["https://example.org/report"] * 200_000,
})
ctx = context.Context("Bench", Filters(), "SYNTHETIC", "OGL", True, dt.date(2026, 12, 1))
"""


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sys.path.insert(0, str(REPO))
        from analytics.pipeline import db
        from tests.fixture_data import write_csvs

        write_csvs(work / "csv")
        db.build(work / "csv", work / "ratings.duckdb")
        setup = SETUP.format(repo=str(REPO), work=str(work))
        print(f"{'case':<46}{'bytes':>12}{'seconds':>9}{'peak MiB':>10}  outcome")
        for name, make in CASES.items():
            result = run(
                setup
                + make
                + """
start = time.perf_counter()
outcome = import_bytes(data, "bench.xlsx" if data[:2] == b"PK" else "bench.csv")
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"bytes": len(data), "seconds": took, "peak": peak, "outcome": outcome}))
"""
            )
            print(
                f"{name:<46}{result['bytes']:>12,}{result['seconds']:>9.2f}{result['peak']:>10.0f}"
                f"  {result['outcome']}"
            )
        for name, call in EXPORTS.items():
            result = run(
                setup
                + EXPORT_SETUP
                + f"""
start = time.perf_counter()
try:
    data = {call}
    outcome = "written"
except ExportTooLargeError as exc:
    data, outcome = b"", f"refused: {{exc}}"[:90]
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"bytes": len(data), "seconds": took, "peak": peak, "outcome": outcome}}))
"""
            )
            print(
                f"{name:<46}{result['bytes']:>12,}{result['seconds']:>9.2f}{result['peak']:>10.0f}"
                f"  {result['outcome']}"
            )
        result = run(
            setup
            + """
path = work / "big.csv"
with path.open("wb") as handle:
    handle.truncate(1024**3)
start = time.perf_counter()
try:
    readers.read_file(path)
    outcome = "read"
except DataValidationError as exc:
    outcome = f"refused: {exc}"[:90]
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"bytes": 1024**3, "seconds": took, "peak": peak, "outcome": outcome}))
"""
        )
        print(
            f"{'csv, 1 GB file (the CLI reading it)':<46}{result['bytes']:>12,}"
            f"{result['seconds']:>9.2f}{result['peak']:>10.0f}  {result['outcome']}"
        )
    print(f"(measured {time.strftime('%Y-%m-%d %H:%M')})")


if __name__ == "__main__":
    main()
