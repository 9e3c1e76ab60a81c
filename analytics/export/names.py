"""File names and media types of downloads and exports."""

from __future__ import annotations

import datetime as dt
import re

from analytics.filter_fields import CHOICES
from analytics.filters import Filters

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
    "pdf": "application/pdf",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def export_stem(view: str, filters: Filters, *, today: dt.date) -> str:
    """The name of a download without its extension (see :func:`export_filename`)."""
    parts = [value for c in CHOICES for value in getattr(filters, c.field)]
    if filters.date_from or filters.date_to:
        start = filters.date_from.isoformat() if filters.date_from else "start"
        end = filters.date_to.isoformat() if filters.date_to else "end"
        parts.append(f"{start}-to-{end}")
    if not filters.include_approximate:
        parts.append("stated-dates")
    selection = "_".join(s for s in (_slug(p) for p in parts) if s)[:80].strip("-_")
    return "_".join(x for x in (_slug(view) or "export", selection, today.isoformat()) if x)


def export_filename(view: str, filters: Filters, ext: str, *, today: dt.date) -> str:
    """``VIEW_FILTERS_DATE.EXT``, e.g. ``ratings-by-region_north-east_2026-11-28.csv``.

    The filter part lists the selected values (regions, types, ratings, period, units, standards),
    each slugged; it is left out when nothing is filtered and cut at 80 characters.
    """
    return f"{export_stem(view, filters, today=today)}.{ext}"
