"""Read and validate the dataset's CSV files, reporting every problem by file, row and column.

Nothing is guessed: a value outside its vocabulary, an unparseable date or a dangling reference is a
problem, reported as ``FILE:ROW:COLUMN: message`` with spreadsheet row numbers (header = row 1).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics import fields
from analytics.errors import DataValidationError, Problem, ProblemLog
from analytics.fields import FieldError, PartialDate, parse_partial_date, shown
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

# Largest values the columns may hold (an INTEGER column holds up to 2,147,483,647; these are the
# bounds of what the numbers mean). 2021-2023 PDU inspections were scored out of 27, the largest
# maximum HMIP has used.
MAX_SCORE = 27
MAX_INTEGER = 2_147_483_647
MAX_TILE = 20  # rows and columns of the regions' tile map
MAX_PDUS = 100  # PDUs in one region (London, the largest, has 18)


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

    def __init__(self, name: str, problems: list[Problem] | ProblemLog):
        self.name = name
        self.problems = problems
        self.rows: list[tuple[int, dict[str, str]]] = []
        self._reported: set[tuple[int, str]] = set()

    @classmethod
    def from_dir(cls, csv_dir: Path, name: str, problems: list[Problem] | ProblemLog) -> Rows:
        """Read ``csv_dir/name``, which must have exactly the columns of ``COLUMNS[name]``."""
        rows = cls(name, problems)
        path = csv_dir / name
        if not path.exists():
            rows.problem(None, None, "file not found")
            return rows
        rows.read_csv(path.read_bytes(), COLUMNS[name])
        return rows

    def read_csv(
        self,
        data: bytes,
        expected: tuple[str, ...],
        *,
        optional=(),
        max_columns: int | None = None,
        max_rows: int | None = None,
    ) -> list[str]:
        """Parse CSV bytes; return the header (empty if the file is unusable).

        Columns in ``optional`` may appear after the expected ones; any other is a problem. Rows
        are numbered as a spreadsheet shows them (header = 1), also after a quoted cell that
        spans lines; reading stops with a problem past ``max_rows`` data rows.
        """
        nul = data.find(b"\x00")
        if nul >= 0:
            # Looked for in the whole file: a NUL byte is never text, wherever it hides.
            self.problem(
                None, None, f"is a binary file, not CSV text (a NUL byte at byte {nul + 1:,})"
            )
            return []
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
            header = self.check_header(
                [h.strip() for h in header], expected, optional, max_columns=max_columns
            )
            if not header:
                return []
            # Counted before any row is checked: an over-long file gets one problem, not
            # thousands about rows it would never have imported.
            limit = None if max_rows is None else max_rows + 1
            records = list(itertools.islice(enumerate(reader, start=2), limit))
            if max_rows is not None and len(records) > max_rows:
                self.problem(
                    None, None, f"has more than {max_rows:,} rows; the limit is {max_rows:,}"
                )
                return []
            for row, record in records:
                self.add(row, record, header)
        except csv.Error as exc:
            self.problem(None, None, f"is not valid CSV ({exc})")
            return []
        return header

    def check_header(
        self, header: list[str], expected, optional=(), *, max_columns: int | None = None
    ) -> list[str]:
        """The header if usable, else report each missing or unexpected column and return [].

        Linear in the header's width, and a header wider than ``max_columns`` (default: the
        expected columns) is refused with one problem before any column is looked at.
        """
        limit = max_columns if max_columns is not None else len(expected)
        if len(header) > limit:
            self.problem(
                1,
                None,
                f"has {len(header):,} columns; at most {limit} are allowed"
                + (" (the inspection columns, then one per standard)" if optional else ""),
            )
            return []
        problems_before = len(self.problems)
        for column in header:
            try:
                fields.plain_text(column)
            except FieldError as exc:
                self.problem(1, shown(column) or "(blank)", f"column name {exc}")
        # Standard columns match in any letter case, so "Leadership" and "leadership" are one.
        keys = [c.casefold() if c in optional else c for c in header]
        counts = Counter(keys)
        present = set(keys)
        expected_set = set(expected)
        for column in expected:
            if column not in present:
                self.problem(1, column, "required column is missing")
        what = ", ".join(expected) + (", then standard names" if optional else "")
        for column in header:
            if column not in expected_set and column not in optional:
                self.problem(1, shown(column) or "(blank)", f"unexpected column (expected {what})")
        reported = set()
        for column, key in zip(header, keys, strict=True):
            if key and counts[key] > 1 and key not in reported:
                reported.add(key)
                spellings = sorted({c for c, k in zip(header, keys, strict=True) if k == key})
                self.problem(
                    1,
                    column,
                    "column appears more than once"
                    + (
                        f" ({', '.join(repr(c) for c in spellings)} are the same standard)"
                        if len(spellings) > 1
                        else ""
                    ),
                )
        return [] if len(self.problems) > problems_before else header

    def add(self, row: int, cells: list[str], header: list[str]) -> None:
        """Keep one data row (blank rows carry nothing and are passed over)."""
        if not any(str(cell).strip() for cell in cells):
            return
        if len(cells) != len(header):
            self.problem(row, None, f"has {len(cells)} fields, the header has {len(header)}")
            return
        self.rows.append((row, self.plain(row, dict(zip(header, cells, strict=True)))))

    def plain(self, row: int, record: dict[str, str]) -> dict[str, str]:
        """A row's cells trimmed, each checked to be one line of plain text."""
        out = {}
        for column, cell in record.items():
            value = str(cell).strip()
            try:
                out[column] = fields.plain_text(value)
            except FieldError as exc:
                self.problem(row, column, str(exc))
                out[column] = ""  # reported; the row is refused with the file
        return out

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        """Report a problem; a cell's first problem is its only one (a refused control
        character is not also reported as a blank or an unknown value)."""
        if row is not None and column is not None:
            if (row, column) in self._reported:
                return
            self._reported.add((row, column))
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
            self.problem(
                row, column, f"unknown value '{shown(value)}' (allowed: {', '.join(allowed)})"
            )
            return None
        return value

    def integer(
        self,
        row: int,
        record: dict[str, str],
        column: str,
        *,
        required: bool,
        maximum: int,
        minimum: int = 0,
    ) -> int | None:
        value = record[column]
        if not value:
            if required:
                self.problem(row, column, "is blank; a whole number is required")
            return None
        return self.checked(
            row, column, fields.whole_number, value, maximum=maximum, minimum=minimum
        )

    def checked(self, row: int, column: str, check, value: str, *args, **kwargs):
        """``check(value, ...)``, or None after reporting its FieldError at row and column."""
        try:
            return check(value, *args, **kwargs)
        except FieldError as exc:
            self.problem(row, column, str(exc))
            return None

    def date(self, row: int, record: dict[str, str], column: str, check=parse_partial_date):
        """A required date checked by ``check`` (a function of :mod:`analytics.fields`)."""
        value = self.required(row, record, column)
        if value is None:
            return None
        return self.checked(row, column, check, value)

    def url(self, row: int, record: dict[str, str], column: str) -> str | None:
        value = record[column]
        if not value:
            return None  # a missing source is shown as missing, never invented
        return self.checked(row, column, fields.web_address, value)


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
    published = rows.date(row, rec, "published", fields.published_date)
    basis = rows.choice(row, rec, "date_basis", DATE_BASES, forgiving=forgiving)
    fieldwork = rec["fieldwork"] or None
    if fieldwork is not None:
        rows.checked(row, "fieldwork", fields.fieldwork_date, fieldwork, published)
    rating = rows.choice(row, rec, "overall_rating", RATING_NAMES, forgiving=forgiving)
    score_max = rows.integer(row, rec, "score_max", required=False, minimum=1, maximum=MAX_SCORE)
    # Bounded by its score_max below; here only by what an INTEGER column holds.
    score = rows.integer(row, rec, "score", required=False, maximum=MAX_INTEGER)
    if bool(rec["score"]) != bool(rec["score_max"]):
        column = "score_max" if rec["score"] else "score"
        rows.problem(row, column, "is blank; score and score_max are given together or not at all")
    elif score is not None and score > (score_max or MAX_SCORE):
        rows.problem(
            row, "score", f"score {score} is greater than score_max {score_max or MAX_SCORE}"
        )
    url = rows.url(row, rec, "source_url")
    return InspectionFields(
        unit_type, unit_name, region, published, basis, fieldwork, rating, score, score_max, url
    )


def read_records(csv_dir: Path) -> Records:
    """Read and validate every CSV in ``csv_dir``, keyed for updates.

    Raises
    ------
    DataValidationError
        Listing every problem found in every file, in file order then row order.
    """
    csv_dir = Path(csv_dir)
    problems = ProblemLog()

    # regions.csv
    reg = Rows.from_dir(csv_dir, "regions.csv", problems)
    regions: list[dict] = []
    region_names: set[str] = set()
    tiles: dict[tuple[int, int], int] = {}
    for row, rec in reg.rows:
        name = reg.required(row, rec, "region")
        tile_row = reg.integer(row, rec, "tile_row", required=True, maximum=MAX_TILE)
        tile_col = reg.integer(row, rec, "tile_col", required=True, maximum=MAX_TILE)
        pdus = reg.integer(row, rec, "pdus_stated", required=False, maximum=MAX_PDUS)
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
        found = check_inspection(ins, row, rec, region_names)
        unit_type, unit_name, region, published, basis, rating = (
            found.unit_type,
            found.unit_name,
            found.region,
            found.published,
            found.basis,
            found.rating,
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
        inspections.append(found.record())
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
        date = evt.date(row, rec, "date", fields.event_date)
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
    standards = {(r["key"], r["standard"]): r["rating"] for r in standard_ratings}
    return Records(
        regions=regions,
        units={(u["unit_type"], u["unit_name"]): u for u in units},
        inspections=inspection_id,
        standards=standards,
        events=events,
    )


@dataclass
class Records:
    """A validated dataset keyed for updates: units by (type, name), inspections by (type, name,
    published), standard ratings by (inspection key, standard).

    Every dict keeps its file's row order (an imported row replaces in place or comes after), and
    the tables are loaded in that order, so an export of unchanged data equals the shipped files.
    """

    regions: list[dict]
    units: dict[tuple[str, str], dict]
    inspections: dict[tuple[str, str, str], dict]
    standards: dict[tuple[tuple[str, str, str], str], str]
    events: list[dict]

    def to_dataset(self) -> Dataset:
        """Database-shaped tables: inspection ids in publication order, rows in file order."""
        ordered = sorted(
            self.inspections.items(),
            key=lambda kv: (
                kv[1]["published_date"],
                kv[1]["published"],
                kv[1]["unit_type"],
                kv[1]["unit_name"],
            ),
        )
        ids = {key: i for i, (key, _) in enumerate(ordered, start=1)}
        rows = [{"inspection_id": ids[key], **record} for key, record in self.inspections.items()]
        ratings = [
            {"inspection_id": ids[key], "standard": standard, "rating": rating}
            for (key, standard), rating in self.standards.items()
        ]
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
