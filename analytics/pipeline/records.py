"""A validated dataset keyed for updates, and the database-shaped tables made from it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.pipeline.source_tables import INSPECTIONS, TABLES


@dataclass
class Dataset:
    """Validated tables, shaped like the database tables they fill."""

    regions: pd.DataFrame
    units: pd.DataFrame
    inspections: pd.DataFrame
    standard_ratings: pd.DataFrame
    events: pd.DataFrame
    report_figures: pd.DataFrame


@dataclass
class Records:
    """A validated dataset keyed for updates: units by (type, name), inspections by (type, name,
    published), standard ratings and report figures by (inspection key, standard or figure).

    Every dict keeps its file's row order (an imported row replaces in place or comes after), and
    the tables are loaded in that order, so an export of unchanged data equals the shipped files.
    """

    regions: list[dict]
    units: dict[tuple[str, str], dict]
    inspections: dict[tuple[str, str, str], dict]
    standards: dict[tuple[tuple[str, str, str], str], str]
    events: list[dict]
    figures: dict[tuple[tuple[str, str, str], str], dict]

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
        figures = [
            {"inspection_id": ids[key], "figure": figure, **cells}
            for (key, figure), cells in self.figures.items()
        ]
        units = list(self.units.values())  # file order, imported units after

        def frame(records: list[dict], table: str) -> pd.DataFrame:
            return pd.DataFrame.from_records(records, columns=list(TABLES[table].stored))

        inspections = frame(rows, "inspections")
        for column in INSPECTIONS.nullable_integers:
            inspections[column] = inspections[column].astype("Int64")
        return Dataset(
            regions=frame(self.regions, "regions"),
            units=frame(units, "units"),
            inspections=inspections,
            standard_ratings=frame(ratings, "standard_ratings"),
            events=frame(self.events, "events"),
            report_figures=frame(figures, "report_figures"),
        )
