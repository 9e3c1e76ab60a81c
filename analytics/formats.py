"""How numbers are written for people: the one percent format of tiles, charts and reports."""

from __future__ import annotations

import pandas as pd

BLANK = "–"  # a share of nothing: shown, never a made-up 0%


def percent(value: float | None) -> str:
    """A share as a whole percent (``0.351`` -> ``"35%"``), or an en dash when there is none."""
    return BLANK if value is None or pd.isna(value) else f"{value:.0%}"
