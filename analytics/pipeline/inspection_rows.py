"""Rows that belong to one inspection: standard ratings and report figures. Each names its
inspection by unit type, unit name and publication date, and says one thing about it once;
problems are reported by file, row and column like every other file's.
"""

from __future__ import annotations

from pathlib import Path

from analytics.errors import ProblemLog
from analytics.pipeline.rows import Rows
from analytics.pipeline.source_tables import HEADERS
from analytics.vocab import (
    RATING_NAMES,
    REPORT_FIGURE_BY_NAME,
    REPORT_FIGURE_NAMES,
    STANDARD_NAMES,
    UNIT_TYPES,
)

# (unit type, unit name, publication date as written): how a row names its inspection
InspectionKey = tuple[str, str, str]


def read_standard_ratings(
    csv_dir: Path,
    problems: ProblemLog,
    inspection_id: dict[InspectionKey, dict],
    inspection_rows: dict[InspectionKey, int],
) -> dict[tuple[InspectionKey, str], str]:
    """Standard ratings by (inspection key, standard)."""
    std = Rows.from_dir(csv_dir, "standard_ratings.csv", problems, HEADERS["standard_ratings.csv"])
    ratings: dict[tuple[InspectionKey, str], str] = {}
    seen: dict[tuple[InspectionKey, str], int] = {}
    for row, rec in std.rows:
        cells = _key_cells(std, row, rec)
        standard = std.choice(row, rec, "standard", STANDARD_NAMES)
        rating = std.choice(row, rec, "rating", RATING_NAMES)
        key = _inspection_key(std, row, cells, inspection_rows)
        if key is None or standard is None or rating is None or key not in inspection_id:
            continue
        if _first(std, row, "standard", seen, (key, standard), f"rating of '{standard}'"):
            ratings[(key, standard)] = rating
    return ratings


def read_report_figures(
    csv_dir: Path,
    problems: ProblemLog,
    inspection_id: dict[InspectionKey, dict],
    inspection_rows: dict[InspectionKey, int],
) -> dict[tuple[InspectionKey, str], dict]:
    """Figures by (inspection key, figure): ``{"value": int, "source_url": str}``, file order."""
    fig = Rows.from_dir(csv_dir, "report_figures.csv", problems, HEADERS["report_figures.csv"])
    figures: dict[tuple[InspectionKey, str], dict] = {}
    seen: dict[tuple[InspectionKey, str], int] = {}
    for row, rec in fig.rows:
        cells = _key_cells(fig, row, rec)
        figure = fig.choice(row, rec, "figure", REPORT_FIGURE_NAMES)
        value = None
        if figure is not None:
            bound = REPORT_FIGURE_BY_NAME[figure].maximum
            value = fig.integer(row, rec, "value", required=True, maximum=bound)
        # every figure names the page that states it (often not the inspection's own)
        url = fig.url(row, rec, "source_url")
        if url is None and not rec["source_url"]:
            fig.problem(row, "source_url", "is blank; every figure names the page that states it")
        key = _inspection_key(fig, row, cells, inspection_rows)
        if key is None or figure is None or value is None or url is None:
            continue
        if key not in inspection_id:
            continue
        if _first(fig, row, "figure", seen, (key, figure), f"figure '{figure}'"):
            figures[(key, figure)] = {"value": value, "source_url": url}
    return figures


def _key_cells(rows: Rows, row: int, rec: dict[str, str]) -> tuple:
    """The unit type, unit name and publication date by which a row names its inspection (each
    None after its problem is reported).
    """
    return (
        rows.choice(row, rec, "unit_type", UNIT_TYPES),
        rows.required(row, rec, "unit_name"),
        rows.date(row, rec, "published"),
    )


def _inspection_key(
    rows: Rows, row: int, cells: tuple, inspection_rows: dict[InspectionKey, int]
) -> InspectionKey | None:
    """The key of the inspection a row names, or None (its cells had problems, or there is no
    such inspection in inspections.csv, which is reported).
    """
    unit_type, unit_name, published = cells
    if None in cells:
        return None
    key = (unit_type, unit_name, published.text)
    if key not in inspection_rows:
        rows.problem(
            row,
            "published",
            f"no inspection of {unit_type} '{unit_name}' published {published.text} "
            "in inspections.csv",
        )
        return None
    return key


def _first(rows: Rows, row: int, column: str, seen: dict, item: tuple, what: str) -> bool:
    """Whether this is the first row to say ``item`` of its inspection; a repeat is reported."""
    if item in seen:
        rows.problem(
            row, column, f"duplicate {what} for this inspection (first at row {seen[item]})"
        )
        return False
    seen[item] = row
    return True
