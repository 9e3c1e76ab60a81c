"""Reading an import file (analytics/pipeline/readers.py): the templates, CSV and Excel read into
the same rows.
"""

from __future__ import annotations

import io

from analytics.export import dataset
from analytics.pipeline import db, planning, readers
from tests.import_files import NEW, problems


def test_templates_and_xlsx_imports(store):
    csv_dir, db_path = store
    assert dataset.template("csv").decode().strip().split(",") == [
        *readers.IMPORT_COLUMNS,
        "Leadership",
        "Staffing",
        "Services",
        "Information and facilities",
        "Court work",
        "Assessment",
        "Planning",
        "Implementation and delivery",
        "Reviewing",
        "Unpaid work",
        "Through the Gate",
        "Victim work",
    ]
    assert problems(db_path, dataset.template("csv").decode()) == [
        "new.csv: holds no inspections (only a header)"
    ]
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(dataset.template("xlsx")))
    sheet = book.active
    row = [c for c in NEW.split(",")] + [""] * 12
    row[readers.IMPORT_COLUMNS.index("published")] = __import__("datetime").datetime(2025, 6, 1)
    row[len(readers.IMPORT_COLUMNS)] = "Good"  # Leadership
    sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    con = db.connect(db_path)
    p = planning.plan_import(con, buffer.getvalue(), "new.xlsx")
    con.close()
    [item] = p.rows
    assert item.key == ("PDU", "Gamma", "2025-06-01")
    assert item.standards == {"Leadership": "Good"}
