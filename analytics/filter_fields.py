"""Each filter once: its URL parameter, Filters field, SQL column, widget key, command-line flag,
label and the words a selection says it in.

``Filters.where_sql``, the URL round trip, the sidebar, the command line, the data API, export
names, the pandas reference and the derived tables' columns all iterate :data:`FILTERS`. A new
filter that picks values from a list is one :class:`ChoiceFilter` here and its field on
``Filters`` (filters.py); its values come from vocab.py or, for the database's own values, from
catalog.Vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analytics.vocab import RATING_NAMES, STANDARD_NAMES, UNIT_TYPE_LABELS, UNIT_TYPES


@dataclass(frozen=True)
class ChoiceFilter:
    """A filter that keeps the rows whose column holds one of the chosen values.

    Attributes
    ----------
    field : str
        Its field on ``Filters`` (a tuple of values; empty: no restriction).
    param : str
        Its URL parameter (repeated for several values); the command line's flag is
        ``--param`` with ``-`` for ``_``, the sidebar widget's key ``f_param``.
    column : str or None
        The inspections column it restricts; None: the standard-level rows' ``standard`` only.
    label, placeholder, help : str
        The sidebar widget's label, its words when empty, and its help ("" for none).
    words : str
        How a description of the selection names it (``"region North East"``).
    allowed : tuple of str or None
        The values it takes; None: the database's (``vocabulary``).
    vocabulary : str
        For ``allowed`` None: the catalog.Vocabulary attribute that lists the database's values.
    labels : Mapping or None
        Words the sidebar shows for each value, where they differ from the value.
    metavar : str
        What the command line's help calls one value.
    """

    field: str
    param: str
    column: str | None
    label: str
    placeholder: str
    words: str
    allowed: tuple[str, ...] | None = None
    vocabulary: str = ""
    labels: Mapping[str, str] | None = None
    help: str = ""
    metavar: str = "R"

    @property
    def params(self) -> tuple[str, ...]:
        """Its URL parameters."""
        return (self.param,)

    @property
    def widget(self) -> str:
        """The sidebar widget's key."""
        return f"f_{self.param}"

    @property
    def flag(self) -> str:
        """Its command-line option."""
        return "--" + self.param.replace("_", "-")


@dataclass(frozen=True)
class PeriodFilter:
    """The publication period: a first and a last day, either open."""

    fields: tuple[str, str] = ("date_from", "date_to")
    params: tuple[str, ...] = ("from", "to")
    column: str = "published_date"
    label: str = "Period (year published)"
    widget: str = "f_years"
    words: str = "published"


@dataclass(frozen=True)
class ApproximateFilter:
    """Whether inspections whose date no source states count (``approximate=exclude``)."""

    field: str = "include_approximate"
    params: tuple[str, ...] = ("approximate",)
    column: str = "date_basis"
    label: str = "Include inspections with approximate dates"
    help: str = (
        "Dates no source page states: the year comes from the report's web address or the "
        "inspection round."
    )
    widget: str = "f_approx"
    flag: str = "--exclude-approximate"
    words: str = "stated dates only"


REGION = ChoiceFilter(
    "regions",
    "region",
    "region",
    "Region",
    "All regions",
    "region",
    vocabulary="regions",
    help="CRCs, NPS divisions and national inspections have no region: choosing a region "
    "leaves them out.",
)
UNIT_TYPE = ChoiceFilter(
    "unit_types",
    "unit_type",
    "unit_type",
    "Type of service",
    "All types",
    "type",
    allowed=UNIT_TYPES,
    labels=UNIT_TYPE_LABELS,
    metavar="T",
)
RATING = ChoiceFilter(
    "ratings", "rating", "overall_rating", "Overall rating", "All ratings", "rated", RATING_NAMES
)
PERIOD = PeriodFilter()
UNIT = ChoiceFilter(
    "units",
    "unit",
    "unit_name",
    "Unit",
    "Search units by name",
    "unit",
    vocabulary="unit_names",
    metavar="NAME",
)
STANDARD = ChoiceFilter(
    "standards",
    "standard",
    None,
    "Standards (Domains tab)",
    "All standards",
    "standards",
    STANDARD_NAMES,
    metavar="S",
)
APPROXIMATE = ApproximateFilter()

# Every filter, in the order the sidebar shows them and a description of a selection says them.
FILTERS: tuple[ChoiceFilter | PeriodFilter | ApproximateFilter, ...] = (
    REGION,
    UNIT_TYPE,
    RATING,
    PERIOD,
    UNIT,
    STANDARD,
    APPROXIMATE,
)
CHOICES: tuple[ChoiceFilter, ...] = tuple(f for f in FILTERS if isinstance(f, ChoiceFilter))
# The choices that restrict an inspection's own column (every one but the standards).
INSPECTION_CHOICES: tuple[ChoiceFilter, ...] = tuple(c for c in CHOICES if c.column)
# Every URL parameter a filter reads, in a link's order: the choices, the period, approximate.
FILTER_PARAMS: tuple[str, ...] = (
    *(c.param for c in CHOICES),
    *PERIOD.params,
    *APPROXIMATE.params,
)
# The inspections columns the filters restrict (the derived tables carry each of them).
FILTER_COLUMNS: tuple[str, ...] = (
    *(c.column for c in INSPECTION_CHOICES if c.column),
    PERIOD.column,
    APPROXIMATE.column,
)
