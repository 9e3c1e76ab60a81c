"""What an exported file says about itself: title, filters, source, licence, date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from analytics import db
from analytics.filters import Filters


@dataclass(frozen=True)
class Context:
    """What an exported file says about itself."""

    title: str
    filters: Filters
    source: str
    licence: str
    synthetic: bool
    generated: dt.date

    @property
    def filters_text(self) -> str:
        """The filters in words."""
        return self.filters.describe()

    @property
    def source_line(self) -> str:
        """Source (or the SYNTHETIC label), licence, filters and date in one line."""
        kind = db.SYNTHETIC_LABEL if self.synthetic else self.source
        return (
            f"Source: {kind}. Licence: {self.licence}. Filters: {self.filters_text}. "
            f"Generated {self.generated.isoformat()}."
        )


def context_for(
    con: duckdb.DuckDBPyConnection, title: str, filters: Filters, *, today: dt.date | None = None
) -> Context:
    """The context of an export from the open database."""
    return context_of(db.dataset_info(con), title, filters, today=today)


def context_of(
    info: db.DatasetInfo, title: str, filters: Filters, *, today: dt.date | None = None
) -> Context:
    """The context of an export from a database's ``dataset_info`` row (read once, kept)."""
    return Context(
        title=title,
        filters=filters,
        source=info.source,
        licence=info.licence,
        synthetic=info.synthetic,
        generated=today or dt.date.today(),
    )
