"""The KPI tiles' change badge: its words, its arrow and its colour, for every tone."""

from __future__ import annotations

import pytest

from ui.tiles import Tile, change_colour, change_text


@pytest.mark.parametrize(
    ("change", "unit", "text"),
    [
        (None, "", None),
        (6, "", "↑ +6"),
        (-50, "pts", "↓ -50 pts"),
        (0, "pts", "+0 pts"),  # no change: no arrow
        (1234, "", "↑ +1234"),
    ],
)
def test_change_text(change, unit, text):
    assert change_text(Tile("k", "Label", "1", change, unit=unit)) == text


@pytest.mark.parametrize(
    ("change", "tone", "colour"),
    [
        (5, "normal", "green"),  # a rise where rising is good
        (-5, "normal", "red"),
        (5, "inverse", "red"),  # more Inadequate
        (-5, "inverse", "green"),
        (5, "off", "gray"),  # a count: neither better nor worse
        (-5, "off", "gray"),
        (0, "normal", "gray"),
        (0, "inverse", "gray"),
        (None, "normal", "gray"),
    ],
)
def test_change_colour(change, tone, colour):
    assert change_colour(Tile("k", "Label", "1", change, tone=tone)) == colour
