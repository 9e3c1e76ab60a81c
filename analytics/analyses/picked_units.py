"""Which units are compared: 2 to 6 named units, checked, read from a link and written back.

The comparison's analyses are in :mod:`analytics.analyses.compare`; the CLI, the URL state and the
Compare tab name units through these functions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import duckdb

from analytics.analyses.catalog import split_unit_label, unit_label
from analytics.errors import InvalidFilterError, UnknownUnitError
from analytics.fields import shown
from analytics.pipeline.db import cursor

MIN_COMPARED, MAX_COMPARED = 2, 6
Units = tuple[tuple[str, str], ...]  # (unit_type, unit_name) pairs, in the order compared


def check_units(con: duckdb.DuckDBPyConnection, units: Sequence[Sequence[str]]) -> Units:
    """The units to compare, checked: 2 to 6 distinct units that exist.

    Raises
    ------
    InvalidFilterError
        For fewer than 2 or more than 6 units, a repeated one, or a malformed entry.
    UnknownUnitError
        For a unit not in the database.
    """
    if isinstance(units, str) or not all(
        isinstance(u, (tuple, list)) and len(u) == 2 and all(isinstance(v, str) for v in u)
        for u in units
    ):
        raise InvalidFilterError(f"units must be (unit type, unit name) pairs, not {units!r}")
    pairs: Units = tuple((t, n) for t, n in units)
    if not MIN_COMPARED <= len(pairs) <= MAX_COMPARED:
        raise InvalidFilterError(
            f"compare needs {MIN_COMPARED} to {MAX_COMPARED} units, not {len(pairs)}"
        )
    repeated = [f"{n} ({t})" for i, (t, n) in enumerate(pairs) if (t, n) in pairs[:i]]
    if repeated:
        raise InvalidFilterError(f"'{repeated[0]}' is named twice")
    known = set(
        cursor(con)
        .execute(
            "select unit_type, unit_name from units where list_contains($names, unit_name)",
            {"names": [n for _, n in pairs]},
        )
        .fetchall()
    )
    missing = [f"{n} ({t})" for t, n in pairs if (t, n) not in known]
    if missing:
        raise UnknownUnitError(f"no unit {missing[0]} in the database")
    return pairs


def units_from_link(
    values: Sequence[str], known: Sequence[tuple[str, str]]
) -> tuple[Units, list[str]]:
    """The units a link's ``compare=`` values name, and one message per value ignored.

    A value is a unit's name, or ``"Name (Type)"`` where several types share the name. Unlike
    :func:`check_units` it accepts fewer than 2 (a comparison being built), so a link never
    fails: a bad value is left out and said so.

    Parameters
    ----------
    values
        The parameter's values, in the order given.
    known
        Every ``(unit_type, unit_name)`` in the database.

    Returns
    -------
    tuple
        The units (at most 6, distinct, in the order given) and the messages (plain text).
    """
    types_of: dict[str, list[str]] = {}
    for unit_type, name in known:
        types_of.setdefault(name, []).append(unit_type)
    picked: list[tuple[str, str]] = []
    problems: list[str] = []
    for value in (v for v in values if v != ""):
        if len(picked) == MAX_COMPARED:
            problems.append(
                f"'compare' names more than {MAX_COMPARED} units; comparing the first "
                f"{MAX_COMPARED}"
            )
            break
        name, given = split_unit_label(value)
        types = [t for t in types_of.get(name, []) if given in (None, t)]
        if not types:
            problems.append(f"unknown unit '{shown(value)}' in 'compare'")
        elif len(types) > 1:
            problems.append(
                f"'{shown(name)}' in 'compare' names units of several types "
                f"({', '.join(types)}); name one as '{shown(name)} ({types[0]})'"
            )
        elif (types[0], name) in picked:
            problems.append(f"'{shown(value)}' is named twice in 'compare'")
        else:
            picked.append((types[0], name))
    return tuple(picked), problems


def link_values(units: Units, known: Sequence[tuple[str, str]]) -> list[str]:
    """The ``compare=`` values naming ``units``: the name alone unless other types share it."""
    names = Counter(name for _, name in known)
    return [name if names[name] == 1 else unit_label(t, name) for t, name in units]
