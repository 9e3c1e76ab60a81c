"""What an exported file says about itself: title, filters, source, licence, date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from analytics.filters import Filters, period_only
from analytics.pipeline import db


@dataclass(frozen=True)
class Context:
    """What an exported file says about itself."""

    title: str
    filters: Filters
    source: str
    licence: str
    synthetic: bool
    generated: dt.date
    # the units a view is of, in words (viewspecs' selection); "" for the filters' own
    selection: str = ""

    @property
    def filters_text(self) -> str:
        """The view's selection in words: the filters, or for a view of named units those units
        and the period (only the period applies to them): never "all inspections" for a unit.
        """
        if not self.selection:
            return self.filters.describe()
        period = period_only(self.filters)
        return self.selection + (f"; {period.describe()}" if period != Filters() else "")

    @property
    def selection_line(self) -> str:
        """The first line under a title: "Filters: ..." or the units the view is of."""
        return self.filters_text if self.selection else f"Filters: {self.filters_text}"

    @property
    def provenance(self) -> str:
        """Source (or the SYNTHETIC label), licence and date in one line."""
        kind = db.SYNTHETIC_LABEL if self.synthetic else self.source
        return f"Source: {kind}. Licence: {self.licence}. Generated {self.generated.isoformat()}."


def context_for(
    con: duckdb.DuckDBPyConnection,
    title: str,
    filters: Filters,
    *,
    today: dt.date | None = None,
    selection: str = "",
) -> Context:
    """The context of an export from the open database."""
    return context_of(db.dataset_info(con), title, filters, today=today, selection=selection)


def context_of(
    info: db.DatasetInfo,
    title: str,
    filters: Filters,
    *,
    today: dt.date | None = None,
    selection: str = "",
) -> Context:
    """The context of an export from a database's ``dataset_info`` row (read once, kept)."""
    return Context(
        title=title,
        filters=filters,
        source=info.source,
        licence=info.licence,
        synthetic=info.synthetic,
        generated=today or dt.date.today(),
        selection=selection,
    )
