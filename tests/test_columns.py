"""analytics/export/columns.py: every column of every view declared once; README's dictionary is
made from it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analytics.analyses import registry, viewspecs
from analytics.analyses.views import ViewOptions
from analytics.export import columns
from analytics.filters import Filters

README = Path(__file__).resolve().parent.parent / "README.md"
UNIT = ViewOptions(unit_type="PDU", unit_name="Alpha")
COMPARED = ViewOptions(compare=(("PDU", "Alpha"), ("PDU", "Beta")))


@pytest.mark.parametrize("view", list(viewspecs.VIEWS))
def test_every_column_of_every_view_is_declared(con, view):
    options = (
        UNIT if view.startswith("unit-") else COMPARED if view in viewspecs.COMPARE_VIEWS else None
    )
    table = viewspecs.build_view(con, view, Filters(), options).table
    described = [columns.column(c) for c in table.columns]
    assert all(c.kind in columns.KINDS for c in described)
    # a header for people: no machine name
    assert [c.label for c in described if "_" in c.label] == []


def test_every_analysis_the_cli_prints_has_declared_columns(con):
    for name in ("history", "report_figures", "benchmark"):
        frame = registry.analysis(name).function(con, Filters(), unit_type="PDU", unit_name="Alpha")
        assert [c for c in frame.columns if c not in columns.COLUMNS] == []


def test_an_undeclared_column_is_named():
    with pytest.raises(KeyError, match="column 'mystery' is not declared"):
        columns.column("mystery")


def test_a_standard_is_its_own_header():
    assert columns.column("Leadership") == columns.Column(
        "Leadership", "text", "the latest known rating of Leadership"
    )


def test_readme_holds_the_dictionary_as_made():
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- columns: generated -->\n(.*?)\n<!-- /columns -->", text, re.S)
    assert found is not None
    assert found.group(1) == columns.dictionary()
