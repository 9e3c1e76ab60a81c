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
from analytics.filter_fields import (
    APPROXIMATE,
    CHOICES,
    FILTER_PARAMS,
    FILTERS,
    INSPECTION_CHOICES,
    PERIOD,
    STANDARD,
    ChoiceFilter,
    PeriodFilter,
)
from analytics.vocab import APPROXIMATE_DATE_BASES

# "exclude" leaves out inspections with approximate dates
(APPROXIMATE_PARAM,) = APPROXIMATE.params
# Streamlit's own parameters (embedding): never ours to warn about.
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})
# Values read per list parameter: more than any real selection (units number about a hundred),
# and a bound on the work and the warnings one link can cause.
MAX_VALUES_PER_PARAM = 200


@dataclass(frozen=True)
class Filters:
    """A selection of inspections.

    Empty tuples mean "no restriction". ``standards`` restricts the standard-level analyses only
    (which standards they show); inspection-level analyses ignore it. Each field is one filter of
    filter_fields.FILTERS (a test holds the two to each other).
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
        for choice in CHOICES:
            value = getattr(self, choice.field)
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise InvalidFilterError(
                    f"{choice.field} must be a sequence of strings, not {value!r}"
                )
            # Sorted and de-duplicated so equal selections make equal cache keys and equal URLs.
            object.__setattr__(self, choice.field, tuple(sorted(set(value))))
            if choice.allowed is not None:
                _check_allowed(choice.param, getattr(self, choice.field), choice.allowed)
        for name in PERIOD.fields:
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
        for choice in INSPECTION_CHOICES:
            values = getattr(self, choice.field)
            if values:
                param = f"f_{choice.field}"
                clauses.append(f"list_contains(${param}, {alias}.{choice.column})")
                params[param] = list(values)
        for field, compare in zip(PERIOD.fields, (">=", "<="), strict=True):
            if getattr(self, field) is not None:
                clauses.append(f"{alias}.{PERIOD.column} {compare} $f_{field}")
                params[f"f_{field}"] = getattr(self, field)
        if not self.include_approximate:
            clauses.append(f"not list_contains($f_approximate, {alias}.{APPROXIMATE.column})")
            params["f_approximate"] = list(APPROXIMATE_DATE_BASES)
        return (" and ".join(clauses) or "true"), params

    def standards_sql(self, column: str = "s.standard") -> tuple[str, dict[str, object]]:
        """SQL condition restricting standard-level rows to ``standards`` (if any)."""
        if column not in {"s.standard", "standard"}:
            raise InvalidFilterError(f"unsupported column {column!r}")
        chosen = getattr(self, STANDARD.field)
        if not chosen:
            return "true", {}
        return f"list_contains($f_standards, {column})", {"f_standards": list(chosen)}

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
        for one in FILTERS:
            if isinstance(one, ChoiceFilter):
                values = getattr(self, one.field)
                part = f"{one.words} " + ", ".join(values) if values else ""
            elif isinstance(one, PeriodFilter):
                part = _describe_period(self.date_from, self.date_to)
            else:
                part = "" if self.include_approximate else one.words
            if part:
                parts.append(part)
        return "; ".join(parts) if parts else "all inspections"

    def to_query_params(self) -> dict[str, list[str]]:
        """URL query parameters; only the fields that restrict something appear.

        Returns
        -------
        dict[str, list[str]]
            Parameter name -> values (a list, as repeated keys).
        """
        params: dict[str, list[str]] = {}
        for choice in CHOICES:
            values = getattr(self, choice.field)
            if values:
                params[choice.param] = list(values)
        for param, attr in zip(PERIOD.params, PERIOD.fields, strict=True):
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
    # the database's values, where the caller knows them (a filter's own are declared with it)
    known = {
        "regions": tuple(known_regions) if known_regions is not None else None,
        "unit_names": tuple(known_units) if known_units is not None else None,
    }
    kwargs: dict[str, Any] = {}
    problems: list[str] = []
    if other_params is not None:
        allowed = (*FILTER_PARAMS, *other_params)
        for name in params:
            if name not in allowed and name not in STREAMLIT_PARAMS:
                problems.append(_unknown("parameter", name, allowed))
    for choice in CHOICES:
        param, attr = choice.param, choice.field
        values = [v for v in _values(params, param) if v != ""]
        if len(values) > MAX_VALUES_PER_PARAM:
            problems.append(
                f"'{param}' given {len(values):,} times; only the first "
                f"{MAX_VALUES_PER_PARAM} are read"
            )
            values = values[:MAX_VALUES_PER_PARAM]
        choices = choice.allowed if choice.allowed is not None else known[choice.vocabulary]
        kept = []
        for value in values:
            if choices is not None and value not in choices:
                problems.append(_unknown(param, value, choices))
            else:
                kept.append(value)
        kwargs[attr] = tuple(kept)
    for param, attr in zip(PERIOD.params, PERIOD.fields, strict=True):
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
