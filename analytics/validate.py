"""Read and validate the dataset's CSV files, reporting every problem by file, row and column.

Nothing is guessed: a value outside its vocabulary, an unparseable date or a dangling reference is a
problem, reported as ``FILE:ROW:COLUMN: message`` with spreadsheet row numbers (header = row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.errors import DataValidationError, Problem
from analytics.vocab import (
    DATE_BASES,
    RATING_NAMES,
    STANDARD_NAMES,
    UNIT_TYPES,
    UNIT_TYPES_WITHOUT_REGION,
)

CSV_FILES: tuple[str, ...] = (
    "regions.csv",
    "units.csv",
    "inspections.csv",
    "standard_ratings.csv",
    "events.csv",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "regions.csv": ("region", "tile_row", "tile_col", "pdus_stated"),
    "units.csv": ("unit_type", "unit_name", "region", "former_names"),
    "inspections.csv": (
        "unit_type",
        "unit_name",
        "region",
        "published",
        "date_basis",
        "fieldwork",
        "overall_rating",
        "score",
        "score_max",
        "source_url",
    ),
    "standard_ratings.csv": ("unit_type", "unit_name", "published", "standard", "rating"),
    "events.csv": ("date", "event", "source_url"),
}

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as its source: ``2024``, ``2024-05`` or ``2024-05-17``."""

    text: str
    precision: str  # day | month | year
    first_day: dt.date


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError with a reason otherwise."""
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        first = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a real date ({exc})") from None
    precision = "day" if day else "month" if month else "year"
    return PartialDate(text, precision, first)


@dataclass
class Dataset:
    """Validated tables, shaped like the database tables they fill."""

    regions: pd.DataFrame
    units: pd.DataFrame
    inspections: pd.DataFrame
    standard_ratings: pd.DataFrame
    events: pd.DataFrame


class _Rows:
    """Reads one CSV file and collects its problems."""

    def __init__(self, csv_dir: Path, name: str, problems: list[Problem]):
        self.name = name
        self.problems = problems
        self.rows: list[tuple[int, dict[str, str]]] = []
        path = csv_dir / name
        if not path.exists():
            self.problem(None, None, "file not found")
            return
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle, strict=True)
                header = next(reader, None)
                if header is None:
                    self.problem(None, None, "file is empty; expected a header row")
                    return
                header = [h.strip() for h in header]
                expected = COLUMNS[name]
                missing = [c for c in expected if c not in header]
                unexpected = [c for c in header if c not in expected]
                for column in missing:
                    self.problem(1, column, "required column is missing")
                for column in unexpected:
                    self.problem(1, column, f"unexpected column (expected {', '.join(expected)})")
                if missing or unexpected:
                    return
                for record in reader:
                    row = reader.line_num
                    if not any(cell.strip() for cell in record):
                        continue  # a blank line carries nothing to lose
                    if len(record) != len(header):
                        self.problem(
                            row, None, f"has {len(record)} fields, the header has {len(header)}"
                        )
                        continue
                    self.rows.append(
                        (row, {h: cell.strip() for h, cell in zip(header, record, strict=True)})
                    )
        except UnicodeDecodeError as exc:
            self.problem(None, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
        except csv.Error as exc:
            self.problem(None, None, f"is not valid CSV ({exc})")

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.name, row, column, message))

    def required(self, row: int, record: dict[str, str], column: str) -> str | None:
        value = record[column]
        if not value:
            self.problem(row, column, "is blank; a value is required")
            return None
        return value

    def choice(self, row: int, record: dict[str, str], column: str, allowed) -> str | None:
        value = self.required(row, record, column)
        if value is not None and value not in allowed:
            self.problem(row, column, f"unknown value '{value}' (allowed: {', '.join(allowed)})")
            return None
        return value

    def integer(
        self, row: int, record: dict[str, str], column: str, *, required: bool
    ) -> int | None:
        value = record[column]
        if not value:
            if required:
                self.problem(row, column, "is blank; a whole number is required")
            return None
        if not re.fullmatch(r"\d+", value):
            self.problem(row, column, f"'{value}' is not a whole number >= 0")
            return None
        return int(value)

    def date(self, row: int, record: dict[str, str], column: str) -> PartialDate | None:
        value = self.required(row, record, column)
        if value is None:
            return None
        try:
            return parse_partial_date(value)
        except ValueError as exc:
            self.problem(row, column, str(exc))
            return None

    def url(self, row: int, record: dict[str, str], column: str) -> str | None:
        value = record[column]
        if not value:
            return None  # a missing source is shown as missing, never invented
        if not re.match(r"^https?://[^\s<>\"']+$", value):
            self.problem(row, column, f"'{value}' is not an http(s) web address")
            return None
        return value


def read_dataset(csv_dir: Path) -> Dataset:
    """Read and validate every CSV in ``csv_dir``.

    Raises
    ------
    DataValidationError
        Listing every problem found in every file, in file order then row order.
    """
    csv_dir = Path(csv_dir)
    problems: list[Problem] = []

    # regions.csv
    reg = _Rows(csv_dir, "regions.csv", problems)
    regions: list[dict] = []
    region_names: set[str] = set()
    tiles: dict[tuple[int, int], int] = {}
    for row, rec in reg.rows:
        name = reg.required(row, rec, "region")
        tile_row = reg.integer(row, rec, "tile_row", required=True)
        tile_col = reg.integer(row, rec, "tile_col", required=True)
        pdus = reg.integer(row, rec, "pdus_stated", required=False)
        if name is not None and name in region_names:
            reg.problem(row, "region", f"duplicate region '{name}'")
            continue
        if tile_row is not None and tile_col is not None:
            other = tiles.setdefault((tile_row, tile_col), row)
            if other != row:
                reg.problem(
                    row, "tile_col", f"tile ({tile_row}, {tile_col}) is already row {other}'s"
                )
        if name is not None:
            region_names.add(name)
            regions.append(
                {"region": name, "tile_row": tile_row, "tile_col": tile_col, "pdus_stated": pdus}
            )

    # units.csv
    uni = _Rows(csv_dir, "units.csv", problems)
    units: list[dict] = []
    unit_region: dict[tuple[str, str], str | None] = {}
    for row, rec in uni.rows:
        unit_type = uni.choice(row, rec, "unit_type", UNIT_TYPES)
        unit_name = uni.required(row, rec, "unit_name")
        region = _region(uni, row, rec, unit_type, region_names)
        if unit_type is None or unit_name is None or region is False:
            continue
        key = (unit_type, unit_name)
        if key in unit_region:
            uni.problem(row, "unit_name", f"duplicate unit {unit_type} '{unit_name}'")
            continue
        unit_region[key] = region
        units.append(
            {
                "unit_type": unit_type,
                "unit_name": unit_name,
                "region": region,
                "former_names": rec["former_names"] or None,
            }
        )

    # inspections.csv
    ins = _Rows(csv_dir, "inspections.csv", problems)
    inspections: list[dict] = []
    inspection_rows: dict[tuple[str, str, str], int] = {}
    for row, rec in ins.rows:
        unit_type = ins.choice(row, rec, "unit_type", UNIT_TYPES)
        unit_name = ins.required(row, rec, "unit_name")
        region = _region(ins, row, rec, unit_type, region_names)
        published = ins.date(row, rec, "published")
        basis = ins.choice(row, rec, "date_basis", DATE_BASES)
        fieldwork = rec["fieldwork"] or None
        if fieldwork is not None:
            try:
                if parse_partial_date(fieldwork).precision == "day":
                    ins.problem(row, "fieldwork", f"'{fieldwork}' should be YYYY-MM or YYYY")
            except ValueError as exc:
                ins.problem(row, "fieldwork", str(exc))
        rating = ins.choice(row, rec, "overall_rating", RATING_NAMES)
        score = ins.integer(row, rec, "score", required=False)
        score_max = ins.integer(row, rec, "score_max", required=False)
        if bool(rec["score"]) != bool(rec["score_max"]):
            column = "score_max" if rec["score"] else "score"
            ins.problem(
                row, column, "is blank; score and score_max are given together or not at all"
            )
        elif score is not None and score_max is not None and score > score_max:
            ins.problem(row, "score", f"score {score} is greater than score_max {score_max}")
        url = ins.url(row, rec, "source_url")
        if unit_type is None or unit_name is None or published is None:
            continue
        key = (unit_type, unit_name, published.text)
        if key in inspection_rows:
            ins.problem(
                row,
                "published",
                f"duplicate inspection {unit_type} '{unit_name}' published {published.text} "
                f"(first at row {inspection_rows[key]})",
            )
            continue
        inspection_rows[key] = row
        if (unit_type, unit_name) not in unit_region:
            ins.problem(row, "unit_name", f"unit {unit_type} '{unit_name}' is not in units.csv")
            continue
        if region is not False and region != unit_region[(unit_type, unit_name)]:
            ins.problem(
                row,
                "region",
                f"'{region or ''}' differs from the unit's region in units.csv "
                f"('{unit_region[(unit_type, unit_name)] or ''}')",
            )
            continue
        if region is False or basis is None or rating is None:
            continue  # already reported
        inspections.append(
            {
                "unit_type": unit_type,
                "unit_name": unit_name,
                "region": region,
                "published": published.text,
                "published_precision": published.precision,
                "published_date": published.first_day,
                "date_basis": basis,
                "fieldwork": fieldwork,
                "overall_rating": rating,
                "score": score,
                "score_max": score_max,
                "source_url": url,
            }
        )
    # Ids follow publication order so that they read naturally and are stable for a given file.
    inspections.sort(
        key=lambda r: (r["published_date"], r["published"], r["unit_type"], r["unit_name"])
    )
    inspection_id: dict[tuple[str, str, str], int] = {}
    for i, record in enumerate(inspections, start=1):
        record["inspection_id"] = i
        inspection_id[(record["unit_type"], record["unit_name"], record["published"])] = i

    # standard_ratings.csv
    std = _Rows(csv_dir, "standard_ratings.csv", problems)
    standard_ratings: list[dict] = []
    seen_standards: dict[tuple[int, str], int] = {}
    for row, rec in std.rows:
        unit_type = std.choice(row, rec, "unit_type", UNIT_TYPES)
        unit_name = std.required(row, rec, "unit_name")
        published = std.date(row, rec, "published")
        standard = std.choice(row, rec, "standard", STANDARD_NAMES)
        rating = std.choice(row, rec, "rating", RATING_NAMES)
        if None in (unit_type, unit_name, published):
            continue
        key = (unit_type, unit_name, published.text)
        if key not in inspection_rows:
            std.problem(
                row,
                "published",
                f"no inspection of {unit_type} '{unit_name}' published {published.text} "
                "in inspections.csv",
            )
            continue
        if standard is None or rating is None or key not in inspection_id:
            continue
        sid = (inspection_id[key], standard)
        if sid in seen_standards:
            std.problem(
                row,
                "standard",
                f"duplicate rating of '{standard}' for this inspection (first at row "
                f"{seen_standards[sid]})",
            )
            continue
        seen_standards[sid] = row
        standard_ratings.append(
            {"inspection_id": inspection_id[key], "standard": standard, "rating": rating}
        )

    # events.csv
    evt = _Rows(csv_dir, "events.csv", problems)
    events: list[dict] = []
    for row, rec in evt.rows:
        date = evt.date(row, rec, "date")
        text = evt.required(row, rec, "event")
        url = evt.url(row, rec, "source_url")
        if date is not None and text is not None:
            events.append(
                {
                    "event_date": date.first_day,
                    "date_text": date.text,
                    "date_precision": date.precision,
                    "event": text,
                    "source_url": url,
                }
            )

    if problems:
        raise DataValidationError(problems)

    def frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame.from_records(records, columns=columns)

    return Dataset(
        regions=frame(regions, ["region", "tile_row", "tile_col", "pdus_stated"]),
        units=frame(units, ["unit_type", "unit_name", "region", "former_names"]),
        inspections=frame(
            inspections,
            [
                "inspection_id",
                "unit_type",
                "unit_name",
                "region",
                "published",
                "published_precision",
                "published_date",
                "date_basis",
                "fieldwork",
                "overall_rating",
                "score",
                "score_max",
                "source_url",
            ],
        ),
        standard_ratings=frame(standard_ratings, ["inspection_id", "standard", "rating"]),
        events=frame(events, ["event_date", "date_text", "date_precision", "event", "source_url"]),
    )


def _region(rows: _Rows, row: int, rec: dict[str, str], unit_type: str | None, known: set[str]):
    """The row's region (None where blank), or False after reporting a problem."""
    region = rec["region"] or None
    if region is not None and region not in known:
        rows.problem(row, "region", f"unknown region '{region}' (not in regions.csv)")
        return False
    if region is None and unit_type is not None and unit_type not in UNIT_TYPES_WITHOUT_REGION:
        rows.problem(row, "region", f"is blank; a {unit_type} belongs to one of the 12 regions")
        return False
    if region is not None and unit_type in {"CRC", "NPS division"}:
        rows.problem(row, "region", f"a {unit_type} predates the 12 regions; leave region blank")
        return False
    return region
