"""Read and validate the dataset's CSV files, reporting every problem by file, row and column.

Nothing is guessed: a value outside its vocabulary, an unparseable date or a dangling reference is a
problem, reported as ``FILE:ROW:COLUMN: message`` with spreadsheet row numbers (header = row 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analytics import fields
from analytics.errors import DataValidationError, ProblemLog
from analytics.fields import PartialDate
from analytics.pipeline.inspection_rows import read_report_figures, read_standard_ratings
from analytics.pipeline.records import Records
from analytics.pipeline.rows import Rows
from analytics.pipeline.source_tables import HEADERS
from analytics.vocab import (
    DATE_BASES,
    RATING_NAMES,
    UNIT_TYPES,
    UNIT_TYPES_WITHOUT_REGION,
)

# Each file's header (source_tables.HEADERS), in the order the files are read.
COLUMNS = HEADERS
CSV_FILES: tuple[str, ...] = tuple(HEADERS)

# Largest values the columns may hold (an INTEGER column holds up to 2,147,483,647; these are the
# bounds of what the numbers mean). 2021-2023 PDU inspections were scored out of 27, the largest
# maximum HMIP has used.
MAX_SCORE = 27
MAX_INTEGER = 2_147_483_647
MAX_TILE = 20  # rows and columns of the regions' tile map
MAX_PDUS = 100  # PDUs in one region (London, the largest, has 18)


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
        """Whether every required field of the row parsed."""
        return (
            None not in (self.unit_type, self.unit_name, self.published, self.basis, self.rating)
            and self.region is not False
        )

    def record(self) -> dict:
        """The row as a record of the inspections table (only of a complete row)."""
        if self.published is None:
            raise ValueError("an incomplete row has no record")
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


class AcrossRows:
    """The rules across an inspections file's rows, the shipped one's and an import's alike:
    each inspection once, and in its unit's region.

    Attributes
    ----------
    seen : dict
        The row of every inspection key seen so far, valid or not.
    """

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.seen: dict[tuple[str, str, str], int] = {}

    def first(self, row: int, key: tuple[str, str, str]) -> bool:
        """Whether ``key`` is the first row of its inspection (a repeat is reported)."""
        if key in self.seen:
            self.rows.problem(
                row,
                "published",
                f"duplicate inspection {key[0]} '{key[1]}' published {key[2]} "
                f"(first at row {self.seen[key]})",
            )
            return False
        self.seen[key] = row
        return True

    def in_region(self, row: int, region: str | None, expected: str | None, whose: str) -> bool:
        """Whether the row's ``region`` is ``expected`` (``whose`` region; reported if not)."""
        if region != expected:
            self.rows.problem(
                row, "region", f"'{region or ''}' differs from {whose} ('{expected or ''}')"
            )
            return False
        return True


def read_records(csv_dir: Path) -> Records:
    """Read and validate every CSV in ``csv_dir``, keyed for updates.

    Each file has its reader; a later file is checked against the earlier ones (a unit's region
    against regions.csv, an inspection's unit against units.csv, and so on).

    Raises
    ------
    DataValidationError
        Listing every problem found in every file, in file order then row order.
    """
    csv_dir = Path(csv_dir)
    problems = ProblemLog()
    regions, region_names = _read_regions(csv_dir, problems)
    units, unit_region = _read_units(csv_dir, problems, region_names)
    inspections, inspection_rows = _read_inspections(csv_dir, problems, region_names, unit_region)
    standards = read_standard_ratings(csv_dir, problems, inspections, inspection_rows)
    events = _read_events(csv_dir, problems)
    figures = read_report_figures(csv_dir, problems, inspections, inspection_rows)
    if problems:
        raise DataValidationError(problems)
    return Records(
        regions=regions,
        units={(u["unit_type"], u["unit_name"]): u for u in units},
        inspections=inspections,
        standards=standards,
        events=events,
        figures=figures,
    )


def _read_regions(csv_dir: Path, problems: ProblemLog) -> tuple[list[dict], set[str]]:
    reg = Rows.from_dir(csv_dir, "regions.csv", problems, COLUMNS["regions.csv"])
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
    return regions, region_names


def _read_units(
    csv_dir: Path, problems: ProblemLog, region_names: set[str]
) -> tuple[list[dict], dict[tuple[str, str], str | None]]:
    uni = Rows.from_dir(csv_dir, "units.csv", problems, COLUMNS["units.csv"])
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
    return units, unit_region


def _read_inspections(
    csv_dir: Path,
    problems: ProblemLog,
    region_names: set[str],
    unit_region: dict[tuple[str, str], str | None],
) -> tuple[dict[tuple[str, str, str], dict], dict[tuple[str, str, str], int]]:
    """Valid inspections by key, and the row of every key seen (valid or not)."""
    ins = Rows.from_dir(csv_dir, "inspections.csv", problems, COLUMNS["inspections.csv"])
    inspections: list[dict] = []
    across = AcrossRows(ins)
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
        if not across.first(row, (unit_type, unit_name, published.text)):
            continue
        if (unit_type, unit_name) not in unit_region:
            ins.problem(row, "unit_name", f"unit {unit_type} '{unit_name}' is not in units.csv")
            continue
        if not isinstance(region, bool) and not across.in_region(  # False: already reported
            row, region, unit_region[(unit_type, unit_name)], "the unit's region in units.csv"
        ):
            continue
        if region is False or basis is None or rating is None:
            continue  # already reported
        inspections.append(found.record())
    inspection_id = {(r["unit_type"], r["unit_name"], r["published"]): r for r in inspections}
    return inspection_id, across.seen


def _read_events(csv_dir: Path, problems: ProblemLog) -> list[dict]:
    evt = Rows.from_dir(csv_dir, "events.csv", problems, COLUMNS["events.csv"])
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
    return events


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
