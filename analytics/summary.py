"""Sentences that say what a selection shows, written from the analyses' tables (plain text)."""

from __future__ import annotations

import pandas as pd


def _units(n: int) -> str:
    return f"{n:,} unit{'' if n == 1 else 's'}"


def change_sentence(counts: pd.DataFrame) -> str:
    """Each unit's latest inspection against its previous one: "last time", as a manager means it.

    Parameters
    ----------
    counts : pandas.DataFrame
        The output of ``rating_change_counts``.

    Returns
    -------
    str
        One plain-text sentence (no Markdown).
    """
    n = dict(zip(counts["change"], counts["units"], strict=True))
    first = int(n["first inspection"])
    compared = int(n["improved"] + n["unchanged"] + n["declined"])
    if not compared:
        if not first:
            return "No units are selected."
        return f"None of the {_units(first)} selected has an earlier inspection to compare with."
    first_part = f"; {_units(first)} had a first inspection" if first else ""
    return (
        f"Against their previous inspection, of {_units(compared)} inspected before: "
        f"{n['improved']:,} improved, {n['unchanged']:,} unchanged, {n['declined']:,} "
        f"declined{first_part}."
    )
