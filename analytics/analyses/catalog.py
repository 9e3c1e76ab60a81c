"""What the open database holds: the values filters offer and the facts ``info`` prints.

Every query here reads the small dimension tables or one pass over the inspections; the analyses
are in breakdowns/trends/units. The dashboard caches :func:`vocabulary` (ui/data.py); the CLI
calls these directly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import duckdb

from analytics.errors import InvalidFilterError
from analytics.fields import shown
from analytics.pipeline.db import cursor
from analytics.vocab import APPROXIMATE_DATE_BASES, UNIT_TYPES

T = TypeVar("T")


@dataclass(frozen=True)
class Vocabulary:
    """The values the filters offer: tuples, since the dashboard shares one per database among its
    sessions, read-only.

    Attributes
    ----------
    regions : tuple of str
        Every region, alphabetically.
    unit_names : tuple of str
        Every inspected unit's name, alphabetically (a name may belong to units of two types).
    units : tuple of (str, str)
        Every inspected (unit_type, unit_name), in the vocabulary's order of types, then by name.
    years : (int, int)
        The first and last year with an inspection; this year twice when there is none.
    """

    regions: tuple[str, ...]
    unit_names: tuple[str, ...]
    units: tuple[tuple[str, str], ...]
    years: tuple[int, int]


def regions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every region of the database, alphabetically."""
    return [r for (r,) in cursor(con).execute("select region from regions order by 1").fetchall()]


def vocabulary(con: duckdb.DuckDBPyConnection) -> Vocabulary:
    """The regions, inspected units and years the filters offer."""
    cur = cursor(con)
    names = cur.execute("select distinct unit_name from inspections order by 1").fetchall()
    units = cur.execute(
        """
        select distinct i.unit_type, i.unit_name, t.sort_order
        from inspections i
        join unit_types t using (unit_type)
        order by t.sort_order, i.unit_name
        """
    ).fetchall()
    first, last = cur.execute(
        "select min(year(published_date)), max(year(published_date)) from inspections"
    ).fetchone() or (None, None)
    return Vocabulary(
        regions=tuple(regions(con)),
        unit_names=tuple(n for (n,) in names),
        units=tuple((t, n) for t, n, _ in units),
        years=(first, last) if first is not None else (dt.date.today().year,) * 2,
    )


def unit_types_named(con: duckdb.DuckDBPyConnection, unit_name: str) -> list[str]:
    """The types of the known units called ``unit_name`` (a CRC and a PDU may share a name)."""
    rows = cursor(con).execute(
        "select unit_type from units where unit_name = $name order by unit_type",
        {"name": unit_name},
    )
    return [t for (t,) in rows.fetchall()]


def unit_label(unit_type: str, unit_name: str) -> str:
    """How a unit is named where its type may be needed: ``"London (CRC)"``."""
    return f"{unit_name} ({unit_type})"


def typed_names(names: Sequence[str]) -> dict[str, str]:
    """How a person may type each name: as it is, or case folded (see :func:`typed_value`)."""
    return {**{n.casefold(): n for n in names}, **{n: n for n in names}}


def typed_units(units: Sequence[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """How a person may type each unit: its label (``"London (CRC)"``), and its name alone where
    no unit of another type shares it; each as it is, or case folded (see :func:`typed_value`).
    """
    shared = Counter(name.casefold() for _, name in units)
    exact = {unit_label(t, n): (t, n) for t, n in units}
    exact.update({n: (t, n) for t, n in units if shared[n.casefold()] == 1})
    return {**{text.casefold(): unit for text, unit in exact.items()}, **exact}


def typed_value(typed: Mapping[str, T], text: str) -> T | None:
    """The value ``text`` names in ``typed`` (:func:`typed_names`, :func:`typed_units`): the one
    it spells exactly, else the one it spells in another case (two names that differ only in
    case are each found as spelt).
    """
    exact = typed.get(text)
    return exact if exact is not None else typed.get(text.casefold())


def split_unit_label(text: str) -> tuple[str, str | None]:
    """``"London (CRC)"`` -> ``("London", "CRC")``; a plain name -> ``(name, None)``."""
    for unit_type in UNIT_TYPES:
        suffix = f" ({unit_type})"
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)], unit_type
    return text, None


def resolve_unit(
    con: duckdb.DuckDBPyConnection, text: str, types: tuple[str, ...] = ()
) -> tuple[str, str]:
    """The ``(unit_type, unit_name)`` a name or a label names (``types`` narrows a bare name).

    Raises
    ------
    InvalidFilterError
        When no unit, or more than one, answers to it.
    """
    name, given = split_unit_label(text)
    catalog_types = unit_types_named(con, name)
    found = catalog_types
    if given is not None:
        found = [t for t in catalog_types if t == given]
    elif types:
        found = [t for t in catalog_types if t in types]
    if len(found) == 1:
        return found[0], name
    if not found:
        of = f" of type {given or ', '.join(types)}" if (given or types) else ""
        raise InvalidFilterError(f"no unit named '{shown(name)}'{of}")
    raise InvalidFilterError(
        f"'{shown(name)}' names units of several types ({', '.join(found)}); "
        f"name one as '{shown(name)} ({found[0]})'"
    )


def published_range(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None, int]:
    """The first and last publication dates as stored, and how many are approximate."""
    row = (
        cursor(con)
        .execute(
            """
            select min(published), max(published),
                   count(*) filter (where list_contains($approximate, date_basis))
            from inspections
            """,
            {"approximate": list(APPROXIMATE_DATE_BASES)},
        )
        .fetchone()
    )
    return (row[0], row[1], row[2]) if row else (None, None, 0)


def units_per_type(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int]]:
    """(unit_type, inspected units, known units) for every type, in the vocabulary's order."""
    return (
        cursor(con)
        .execute(
            """
            select t.unit_type, count(distinct i.unit_name), count(distinct u.unit_name)
            from unit_types t
            left join units u using (unit_type)
            left join inspections i using (unit_type, unit_name)
            group by t.unit_type, t.sort_order
            order by t.sort_order
            """
        )
        .fetchall()
    )


def most_inspected_units(
    con: duckdb.DuckDBPyConnection, unit_type: str, *, limit: int
) -> list[tuple[str, str]]:
    """The ``limit`` units of that type with the most inspections (ties: by name)."""
    rows = (
        cursor(con)
        .execute(
            """
            select unit_type, unit_name
            from inspections
            where unit_type = $unit_type
            group by all
            order by count(*) desc, unit_name
            limit $limit
            """,
            {"unit_type": unit_type, "limit": limit},
        )
        .fetchall()
    )
    return [(t, n) for t, n in rows]
