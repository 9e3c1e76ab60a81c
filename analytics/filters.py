"""Filters: what the user selected, as SQL with bound parameters and as URL query parameters.

A :class:`Filters` is a frozen dataclass, so it is hashable and serves directly as a cache key.
``where_sql`` only ever joins fixed SQL fragments; every value travels as a bound parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from analytics.errors import InvalidFilterError
from analytics.fields import shown
from analytics.vocab import APPROXIMATE_DATE_BASES, RATING_NAMES, STANDARD_NAMES, UNIT_TYPES

# URL parameter -> Filters field. Repeated keys carry several values.
LIST_PARAMS: dict[str, str] = {
    "region": "regions",
    "unit_type": "unit_types",
    "rating": "ratings",
    "unit": "units",
    "standard": "standards",
}
DATE_PARAMS: dict[str, str] = {"from": "date_from", "to": "date_to"}
APPROXIMATE_PARAM = "approximate"  # "exclude" leaves out inspections with approximate dates
FILTER_PARAMS: tuple[str, ...] = (*LIST_PARAMS, *DATE_PARAMS, APPROXIMATE_PARAM)
# Streamlit's own parameters (embedding): never ours to warn about.
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})
# Values read per list parameter: more than any real selection (units number about a hundred),
# and a bound on the work and the warnings one link can cause.
MAX_VALUES_PER_PARAM = 200


@dataclass(frozen=True)
class Filters:
    """A selection of inspections.

    Empty tuples mean "no restriction". ``standards`` restricts the standard-level analyses only
    (which standards they show); inspection-level analyses ignore it.
    """

    regions: tuple[str, ...] = ()
    unit_types: tuple[str, ...] = ()
    ratings: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    units: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()
    include_approximate: bool = True

    def __post_init__(self) -> None:
        for name in ("regions", "unit_types", "ratings", "units", "standards"):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise InvalidFilterError(f"{name} must be a sequence of strings, not {value!r}")
            # Sorted and de-duplicated so equal selections make equal cache keys and equal URLs.
            object.__setattr__(self, name, tuple(sorted(set(value))))
        _check_allowed("unit_type", self.unit_types, UNIT_TYPES)
        _check_allowed("rating", self.ratings, RATING_NAMES)
        _check_allowed("standard", self.standards, STANDARD_NAMES)
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, dt.date):
                raise InvalidFilterError(f"{name} must be a date, not {value!r}")
            if isinstance(value, dt.datetime):
                object.__setattr__(self, name, value.date())
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidFilterError(
                f"'from' ({self.date_from.isoformat()}) is after 'to' ({self.date_to.isoformat()})"
            )

    def replace(self, **changes) -> Filters:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    @property
    def is_empty(self) -> bool:
        """Whether nothing is filtered."""
        return self == Filters()

    def where_sql(self, alias: str = "i") -> tuple[str, dict[str, object]]:
        """SQL condition on an ``inspections`` row and its bound parameters.

        Parameters
        ----------
        alias
            The inspections table's alias in the query; one of a fixed set, never user input.

        Returns
        -------
        tuple[str, dict]
            ``("true", {})`` for no restriction, else ``"cond and cond ..."`` with ``$name``
            placeholders and the parameter values by name.
        """
        if alias not in {"i", "inspections", "f", "s"}:
            raise InvalidFilterError(f"unsupported table alias {alias!r}")
        clauses: list[str] = []
        params: dict[str, object] = {}
        for column, values, param in (
            ("region", self.regions, "f_regions"),
            ("unit_type", self.unit_types, "f_unit_types"),
            ("overall_rating", self.ratings, "f_ratings"),
            ("unit_name", self.units, "f_units"),
        ):
            if values:
                clauses.append(f"list_contains(${param}, {alias}.{column})")
                params[param] = list(values)
        if self.date_from is not None:
            clauses.append(f"{alias}.published_date >= $f_date_from")
            params["f_date_from"] = self.date_from
        if self.date_to is not None:
            clauses.append(f"{alias}.published_date <= $f_date_to")
            params["f_date_to"] = self.date_to
        if not self.include_approximate:
            clauses.append(f"not list_contains($f_approximate, {alias}.date_basis)")
            params["f_approximate"] = list(APPROXIMATE_DATE_BASES)
        return (" and ".join(clauses) or "true"), params

    def standards_sql(self, column: str = "s.standard") -> tuple[str, dict[str, object]]:
        """SQL condition restricting standard-level rows to ``standards`` (if any)."""
        if column not in {"s.standard", "standard"}:
            raise InvalidFilterError(f"unsupported column {column!r}")
        if not self.standards:
            return "true", {}
        return f"list_contains($f_standards, {column})", {"f_standards": list(self.standards)}

    def describe_period(self) -> str:
        """The period in words (``"published 2024-06-15 to 2024-09-30"``), or "" if unbounded."""
        return _describe_period(self.date_from, self.date_to)

    def describe(self) -> str:
        """The selection in words, for captions, exported files and reports.

        Returns
        -------
        str
            For example ``"region North East; type PDU; published 2024 to 2025"``, or
            ``"all inspections"`` when nothing is restricted.
        """
        parts = []
        if self.regions:
            parts.append("region " + ", ".join(self.regions))
        if self.unit_types:
            parts.append("type " + ", ".join(self.unit_types))
        if self.ratings:
            parts.append("rated " + ", ".join(self.ratings))
        period = _describe_period(self.date_from, self.date_to)
        if period:
            parts.append(period)
        if self.units:
            parts.append("unit " + ", ".join(self.units))
        if self.standards:
            parts.append("standards " + ", ".join(self.standards))
        if not self.include_approximate:
            parts.append("stated dates only")
        return "; ".join(parts) if parts else "all inspections"

    def to_query_params(self) -> dict[str, list[str]]:
        """URL query parameters; only the fields that restrict something appear.

        Returns
        -------
        dict[str, list[str]]
            Parameter name -> values (a list, as repeated keys).
        """
        params: dict[str, list[str]] = {}
        for param, attr in LIST_PARAMS.items():
            values = getattr(self, attr)
            if values:
                params[param] = list(values)
        for param, attr in DATE_PARAMS.items():
            value = getattr(self, attr)
            if value is not None:
                params[param] = [value.isoformat()]
        if not self.include_approximate:
            params[APPROXIMATE_PARAM] = ["exclude"]
        return params

    @classmethod
    def from_query_params(
        cls,
        params: Mapping[str, str | Iterable[str]],
        *,
        known_regions: Iterable[str] | None = None,
        known_units: Iterable[str] | None = None,
    ) -> Filters:
        """Parse URL query parameters strictly.

        Parameters
        ----------
        params
            Parameter name -> a value or a list of values (repeated keys).
        known_regions, known_units
            If given, region and unit values must be among them.

        Raises
        ------
        InvalidFilterError
            On the first unknown parameter value, listing the allowed values.
        """
        filters, problems = parse_query_params(
            params, known_regions=known_regions, known_units=known_units
        )
        if problems:
            raise InvalidFilterError("; ".join(problems))
        return filters


def parse_query_params(
    params: Mapping[str, str | Iterable[str]],
    *,
    known_regions: Iterable[str] | None = None,
    known_units: Iterable[str] | None = None,
    other_params: Iterable[str] | None = None,
) -> tuple[Filters, list[str]]:
    """Parse URL query parameters leniently: keep what is valid, describe what is not.

    Parameters
    ----------
    other_params
        Parameters the caller handles itself (the dashboard's ``tab``). When given, any other
        parameter that is not a filter is named in a problem; when None, others pass silently.

    Returns
    -------
    tuple[Filters, list[str]]
        The filters built from the valid values, and one message per ignored value (plain text,
        values clipped). Dates keep the exact days given.
    """
    vocab: dict[str, tuple[str, ...] | None] = {
        "regions": tuple(known_regions) if known_regions is not None else None,
        "unit_types": UNIT_TYPES,
        "ratings": RATING_NAMES,
        "units": tuple(known_units) if known_units is not None else None,
        "standards": STANDARD_NAMES,
    }
    kwargs: dict[str, Any] = {}
    problems: list[str] = []
    if other_params is not None:
        allowed = (*FILTER_PARAMS, *other_params)
        for name in params:
            if name not in allowed and name not in STREAMLIT_PARAMS:
                problems.append(_unknown("parameter", name, allowed))
    for param, attr in LIST_PARAMS.items():
        values = [v for v in _values(params, param) if v != ""]
        if len(values) > MAX_VALUES_PER_PARAM:
            problems.append(
                f"'{param}' given {len(values):,} times; only the first "
                f"{MAX_VALUES_PER_PARAM} are read"
            )
            values = values[:MAX_VALUES_PER_PARAM]
        choices = vocab[attr]
        kept = []
        for value in values:
            if choices is not None and value not in choices:
                problems.append(_unknown(param, value, choices))
            else:
                kept.append(value)
        kwargs[attr] = tuple(kept)
    for param, attr in DATE_PARAMS.items():
        given = single_value(params, param, problems)
        if given is not None:
            try:
                kwargs[attr] = _iso_date(given)
            except ValueError:
                kwargs.pop(attr, None)
                problems.append(f"'{param}' must be a date YYYY-MM-DD, not '{_clip(given)}'")
    approx = single_value(params, APPROXIMATE_PARAM, problems)
    if approx is not None:
        if approx in ("exclude", "include"):
            kwargs["include_approximate"] = approx == "include"
        else:
            problems.append(
                f"'{APPROXIMATE_PARAM}' must be include or exclude, not '{_clip(approx)}'"
            )
    date_from, date_to = kwargs.get("date_from"), kwargs.get("date_to")
    if date_from and date_to and date_from > date_to:
        problems.append(
            f"'from' ({date_from.isoformat()}) is after 'to' ({date_to.isoformat()}); ignoring both"
        )
        kwargs.pop("date_from")
        kwargs.pop("date_to")
    return Filters(**kwargs), problems


def single_value(
    params: Mapping[str, str | Iterable[str]],
    name: str,
    problems: list[str],
    *,
    last: bool = False,
) -> str | None:
    """The value of a parameter that takes one (a date, ``approximate``, ``tab``), or None; a
    link that repeats it is told which one is used: the first, or with ``last`` the last (as
    Streamlit reads a repeated ``tab``).
    """
    values = [v for v in _values(params, name) if v != ""]
    if len(values) > 1:
        which = "last" if last else "first"
        problems.append(f"'{name}' given {len(values):,} times; using the {which}")
    return (values[-1] if last else values[0]) if values else None


def _iso_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` in ASCII digits (``fromisoformat`` alone also takes other forms)."""
    if not (len(text) == 10 and text.isascii() and text[4] == text[7] == "-"):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _describe_period(start: dt.date | None, end: dt.date | None) -> str:
    # Whole years read as years ("2024 to 2025"); anything else as exact dates.
    whole = (start is None or (start.month, start.day) == (1, 1)) and (
        end is None or (end.month, end.day) == (12, 31)
    )
    a = (str(start.year) if whole else start.isoformat()) if start else None
    b = (str(end.year) if whole else end.isoformat()) if end else None
    if a and b:
        return f"published {a}" if a == b else f"published {a} to {b}"
    if a:
        return f"published from {a}"
    if b:
        return f"published up to {b}"
    return ""


def _values(params: Mapping[str, str | Iterable[str]], name: str) -> list[str]:
    value = params.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _clip(value: str, limit: int = 60) -> str:
    return shown(value, limit)


def _unknown(param: str, value: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    shown = ", ".join(allowed[:15]) + (f", … ({len(allowed)} in all)" if len(allowed) > 15 else "")
    return f"unknown {param} '{_clip(value)}' (allowed: {shown})"


def _check_allowed(param: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    for value in values:
        if value not in allowed:
            raise InvalidFilterError(_unknown(param, value, allowed))


def period_only(filters: Filters) -> Filters:
    """Keep only the period of ``filters``: dates and whether approximate dates count."""
    return Filters(
        date_from=filters.date_from,
        date_to=filters.date_to,
        include_approximate=filters.include_approximate,
    )
