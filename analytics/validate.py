"""Read and validate the dataset's CSV files, reporting every problem by file, row and column.

Nothing is guessed: a value outside its vocabulary, an unparseable date or a dangling reference is a
problem, reported as ``FILE:ROW:COLUMN: message`` with spreadsheet row numbers (header = row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
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


class Rows:
    """The rows of one input file and the problems found in them, with checks for its fields."""

    def __init__(self, name: str, problems: list[Problem]):
        self.name = name
        self.problems = problems
        self.rows: list[tuple[int, dict[str, str]]] = []

    @classmethod
    def from_dir(cls, csv_dir: Path, name: str, problems: list[Problem]) -> Rows:
        """Read ``csv_dir/name``, which must have exactly the columns of ``COLUMNS[name]``."""
        rows = cls(name, problems)
        path = csv_dir / name
        if not path.exists():
            rows.problem(None, None, "file not found")
            return rows
        rows.read_csv(path.read_bytes(), COLUMNS[name])
        return rows

    def read_csv(self, data: bytes, expected: tuple[str, ...], *, optional=()) -> list[str]:
        """Parse CSV bytes; return the header (empty if the file is unusable).

        Columns in ``optional`` may appear after the expected ones; any other is a problem.
        """
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.problem(None, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
            return []
        try:
            reader = csv.reader(io.StringIO(text, newline=""), strict=True)
            header = next(reader, None)
            if header is None:
                self.problem(None, None, "file is empty; expected a header row")
                return []
            header = self.check_header([h.strip() for h in header], expected, optional)
            if not header:
                return []
            for record in reader:
                self.add(reader.line_num, record, header)
        except csv.Error as exc:
            self.problem(None, None, f"is not valid CSV ({exc})")
            return []
        return header

    def check_header(self, header: list[str], expected, optional=()) -> list[str]:
        """The header if usable, else report each missing or unexpected column and return []."""
        missing = [c for c in expected if c not in header]
        unexpected = [c for c in header if c not in expected and c not in optional]
        duplicated = sorted({c for c in header if c and header.count(c) > 1})
        for column in missing:
            self.problem(1, column, "required column is missing")
        for column in unexpected:
            what = ", ".join(expected) + (", then standard names" if optional else "")
            self.problem(1, column or "(blank)", f"unexpected column (expected {what})")
        for column in duplicated:
            self.problem(1, column, "column appears more than once")
        return [] if missing or unexpected or duplicated else header

    def add(self, row: int, cells: list[str], header: list[str]) -> None:
        """Keep one data row (blank rows carry nothing and are passed over)."""
        if not any(str(cell).strip() for cell in cells):
            return
        if len(cells) != len(header):
            self.problem(row, None, f"has {len(cells)} fields, the header has {len(header)}")
            return
        self.rows.append((row, {h: str(c).strip() for h, c in zip(header, cells, strict=True)}))

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.name, row, column, message))

    def required(self, row: int, record: dict[str, str], column: str) -> str | None:
        value = record[column]
        if not value:
            self.problem(row, column, "is blank; a value is required")
            return None
        return value

    def choice(
        self, row: int, record: dict[str, str], column: str, allowed, *, forgiving: bool = False
    ) -> str | None:
        """The value if allowed; with ``forgiving``, letter case is forgiven (spaces always are)."""
        value = self.required(row, record, column)
        if value is not None and forgiving and value not in allowed:
            value = {a.casefold(): a for a in allowed}.get(value.casefold(), value)
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


@dataclass
class InspectionFields:
    """One inspection row's checked fields; None where a problem was reported (region: False)."""

    unit_type: str | None
    unit_name: str | None
    region: str | None | bool
    published: PartialDate | None
    basis: str | None
    fieldwork: str | None
    rating: str | None
    score: int | None
    score_max: int | None
    source_url: str | None

    @property
    def complete(self) -> bool:
        return (
            None not in (self.unit_type, self.unit_name, self.published, self.basis, self.rating)
            and self.region is not False
        )

    def record(self) -> dict:
        return {
            "unit_type": self.unit_type,
            "unit_name": self.unit_name,
            "region": self.region,
            "published": self.published.text,
            "published_precision": self.published.precision,
            "published_date": self.published.first_day,
            "date_basis": self.basis,
            "fieldwork": self.fieldwork,
            "overall_rating": self.rating,
            "score": self.score,
            "score_max": self.score_max,
            "source_url": self.source_url,
        }


def check_inspection(
    rows: Rows, row: int, rec: dict[str, str], region_names: set[str], *, forgiving: bool = False
) -> InspectionFields:
    """Check one inspection row's own fields (not how it relates to other rows or units)."""
    unit_type = rows.choice(row, rec, "unit_type", UNIT_TYPES, forgiving=forgiving)
    unit_name = rows.required(row, rec, "unit_name")
    region = _region(rows, row, rec, unit_type, region_names)
    published = rows.date(row, rec, "published")
    basis = rows.choice(row, rec, "date_basis", DATE_BASES, forgiving=forgiving)
    fieldwork = rec["fieldwork"] or None
    if fieldwork is not None:
        try:
            if parse_partial_date(fieldwork).precision == "day":
                rows.problem(row, "fieldwork", f"'{fieldwork}' should be YYYY-MM or YYYY")
        except ValueError as exc:
            rows.problem(row, "fieldwork", str(exc))
    rating = rows.choice(row, rec, "overall_rating", RATING_NAMES, forgiving=forgiving)
    score = rows.integer(row, rec, "score", required=False)
    score_max = rows.integer(row, rec, "score_max", required=False)
    if bool(rec["score"]) != bool(rec["score_max"]):
        column = "score_max" if rec["score"] else "score"
        rows.problem(row, column, "is blank; score and score_max are given together or not at all")
    elif score is not None and score_max is not None and score > score_max:
        rows.problem(row, "score", f"score {score} is greater than score_max {score_max}")
    url = rows.url(row, rec, "source_url")
    return InspectionFields(
        unit_type, unit_name, region, published, basis, fieldwork, rating, score, score_max, url
    )


def read_dataset(csv_dir: Path) -> Dataset:
    """Read and validate every CSV in ``csv_dir``, as database-shaped tables.

    Raises
    ------
    DataValidationError
        Listing every problem found in every file, in file order then row order.
    """
    return read_records(csv_dir).to_dataset()


def read_records(csv_dir: Path) -> Records:
    """Read and validate every CSV in ``csv_dir``, keyed for updates.

    Raises
    ------
    DataValidationError
        Listing every problem found in every file, in file order then row order.
    """
    csv_dir = Path(csv_dir)
    problems: list[Problem] = []

    # regions.csv
    reg = Rows.from_dir(csv_dir, "regions.csv", problems)
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
    uni = Rows.from_dir(csv_dir, "units.csv", problems)
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
    ins = Rows.from_dir(csv_dir, "inspections.csv", problems)
    inspections: list[dict] = []
    inspection_rows: dict[tuple[str, str, str], int] = {}
    for row, rec in ins.rows:
        fields = check_inspection(ins, row, rec, region_names)
        unit_type, unit_name, region, published, basis, rating = (
            fields.unit_type,
            fields.unit_name,
            fields.region,
            fields.published,
            fields.basis,
            fields.rating,
        )
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
        inspections.append(fields.record())
    inspection_id = {(r["unit_type"], r["unit_name"], r["published"]): r for r in inspections}

    # standard_ratings.csv
    std = Rows.from_dir(csv_dir, "standard_ratings.csv", problems)
    standard_ratings: list[dict] = []
    seen_standards: dict[tuple[tuple[str, str, str], str], int] = {}
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
        sid = (key, standard)
        if sid in seen_standards:
            std.problem(
                row,
                "standard",
                f"duplicate rating of '{standard}' for this inspection (first at row "
                f"{seen_standards[sid]})",
            )
            continue
        seen_standards[sid] = row
        standard_ratings.append({"key": key, "standard": standard, "rating": rating})

    # events.csv
    evt = Rows.from_dir(csv_dir, "events.csv", problems)
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
    standards: dict[tuple[str, str, str], dict[str, str]] = {}
    for r in standard_ratings:
        standards.setdefault(r["key"], {})[r["standard"]] = r["rating"]
    return Records(
        regions=regions,
        units={(u["unit_type"], u["unit_name"]): u for u in units},
        inspections=inspection_id,
        standards=standards,
        events=events,
    )


@dataclass
class Records:
    """A validated dataset keyed for updates: units by (type, name), inspections and their
    standard ratings by (type, name, published)."""

    regions: list[dict]
    units: dict[tuple[str, str], dict]
    inspections: dict[tuple[str, str, str], dict]
    standards: dict[tuple[str, str, str], dict[str, str]]
    events: list[dict]

    def to_dataset(self) -> Dataset:
        """Tables shaped for the database, inspection ids in publication order."""
        ordered = sorted(
            self.inspections.values(),
            key=lambda r: (r["published_date"], r["published"], r["unit_type"], r["unit_name"]),
        )
        ids = {}
        rows = []
        for i, record in enumerate(ordered, start=1):
            key = (record["unit_type"], record["unit_name"], record["published"])
            ids[key] = i
            rows.append({"inspection_id": i, **record})
        ratings = [
            {"inspection_id": ids[key], "standard": standard, "rating": rating}
            for key, by_standard in self.standards.items()
            for standard, rating in by_standard.items()
        ]
        ratings.sort(key=lambda r: (r["inspection_id"], STANDARD_NAMES.index(r["standard"])))
        units = list(self.units.values())  # file order, imported units after

        def frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
            return pd.DataFrame.from_records(records, columns=columns)

        inspections = frame(rows, ["inspection_id", *INSPECTION_COLUMNS])
        for column in ("import_id", "score", "score_max"):
            inspections[column] = inspections[column].astype("Int64")
        return Dataset(
            regions=frame(self.regions, ["region", "tile_row", "tile_col", "pdus_stated"]),
            units=frame(units, ["unit_type", "unit_name", "region", "former_names"]),
            inspections=inspections,
            standard_ratings=frame(ratings, ["inspection_id", "standard", "rating"]),
            events=frame(
                self.events, ["event_date", "date_text", "date_precision", "event", "source_url"]
            ),
        )


INSPECTION_COLUMNS: list[str] = [
    "import_id",
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
]


def _region(rows: Rows, row: int, rec: dict[str, str], unit_type: str | None, known: set[str]):
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
