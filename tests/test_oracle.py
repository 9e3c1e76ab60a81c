"""Every SQL analysis against the plain-pandas reference, on a synthetic database of 20,000 inspections.

The reference (analytics/reference.py) loads whole tables with ``select *`` and does everything else
in pandas, so agreement on many filters is strong evidence that both follow their docstrings.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics import reference
from analytics.analyses import breakdowns, compare, registry, trends
from analytics.errors import InvalidFilterError, UnknownUnitError
from analytics.filters import Filters
from analytics.pipeline import db
from analytics.pipeline.synthetic import generate

INSPECTIONS = 20_000
HOSTILE = ("' OR 1=1 --", '"; DROP TABLE inspections; --')


@pytest.fixture(scope="module")
def syn_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("oracle") / "synthetic.duckdb"
    generate(path, inspections=INSPECTIONS, seed=2024)
    return path


@pytest.fixture(scope="module")
def syn_con(syn_path):
    con = db.connect(syn_path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def sample_units(syn_con) -> dict[str, str]:
    """One real unit name of each type, chosen from the database rather than guessed."""
    unit_table = reference.load(syn_con, "units").sort_values(["unit_type", "unit_name"])
    first = unit_table.groupby("unit_type")["unit_name"].first()
    return {"PDU": first["PDU"], "CRC": first["CRC"], "Region": "London"}


def inspection_count(con) -> int:
    return db.cursor(con).execute("select count(*) from inspections").fetchone()[0]


# id -> filters; "units" is built from real unit names by filters_for
FILTER_CASES: dict[str, Filters | None] = {
    "none": Filters(),
    "regions": Filters(regions=("London", "Wales", "Kent, Surrey and Sussex")),
    "unit_types": Filters(unit_types=("CRC", "PDU")),
    "ratings": Filters(ratings=("Good", "Inadequate")),
    "dates": Filters(date_from=dt.date(2019, 3, 15), date_to=dt.date(2023, 6, 30)),
    "units": None,
    "standards": Filters(standards=("Leadership", "Court work", "Victim work")),
    "exact_dates_only": Filters(include_approximate=False),
    "combination": Filters(
        regions=("London", "North West"),
        unit_types=("PDU", "Region"),
        ratings=("Good", "Requires improvement", "Outstanding"),
        date_from=dt.date(2022, 1, 1),
        date_to=dt.date(2024, 12, 31),
        standards=("Planning", "Reviewing"),
        include_approximate=False,
    ),
    "nothing": Filters(regions=("No such region",)),
    "empty_period": Filters(date_from=dt.date(2030, 1, 1)),
}


def filters_for(case: str, sample_units: dict[str, str]) -> Filters:
    if case == "units":
        return Filters(units=tuple(sample_units.values()))
    filters = FILTER_CASES[case]
    assert filters is not None
    return filters


# Every analysis of the registry with every option value it lists: (SQL, reference, options)
ANALYSES = [
    pytest.param(
        a.function,
        a.reference,
        dict(zip(a.options, values, strict=True)),
        id="-".join([a.name, *(str(v) for v in values)]),
    )
    for a in registry.ANALYSES.values()
    if not a.needs_unit and not a.needs_units
    for values in itertools.product(*a.options.values())
]
UNIT_ANALYSES = [
    pytest.param(a.function, a.reference, id=a.name)
    for a in registry.ANALYSES.values()
    if a.needs_unit
]


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """One dtype per kind of column, so only values, order and column names are compared."""
    frame = frame.reset_index(drop=True).copy()
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            frame[column] = values.astype("datetime64[ns]")
        elif pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
            frame[column] = values.astype("float64")
        else:
            frame[column] = values.astype(object).where(values.notna(), None)
    return frame


def assert_same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(actual.columns) == list(expected.columns)
    assert len(actual) == len(expected)
    assert_frame_equal(
        normalise(actual),
        normalise(expected),
        # An empty result has no values from which either side could infer a dtype.
        check_dtype=len(actual) > 0,
        check_exact=False,
        rtol=1e-9,
        atol=1e-12,
    )


@pytest.mark.parametrize("case", FILTER_CASES)
@pytest.mark.parametrize(("sql_fn", "ref_fn", "options"), ANALYSES)
def test_analysis_matches_reference(syn_con, sample_units, case, sql_fn, ref_fn, options):
    filters = filters_for(case, sample_units)
    assert_same(sql_fn(syn_con, filters, **options), ref_fn(syn_con, filters, **options))


# Unit analyses apply only the period of the filters: the cases whose periods differ, and two
# whose other restrictions must be ignored.
UNIT_FILTER_CASES = ("none", "regions", "dates", "exact_dates_only", "combination", "empty_period")


@pytest.mark.parametrize("case", UNIT_FILTER_CASES)
@pytest.mark.parametrize("unit_type", ["PDU", "CRC", "Region"])
@pytest.mark.parametrize(("sql_fn", "ref_fn"), UNIT_ANALYSES)
def test_unit_analysis_matches_reference(syn_con, sample_units, case, unit_type, sql_fn, ref_fn):
    filters = filters_for(case, sample_units)
    unit_name = sample_units[unit_type]
    expected = ref_fn(syn_con, filters, unit_type=unit_type, unit_name=unit_name)
    assert_same(sql_fn(syn_con, filters, unit_type=unit_type, unit_name=unit_name), expected)
    if case == "empty_period":
        assert expected.empty
    elif case in ("none", "regions"):
        assert not expected.empty


COMPARE_ANALYSES = [
    pytest.param(a.function, a.reference, id=a.name)
    for a in registry.ANALYSES.values()
    if a.needs_units
]


@pytest.mark.parametrize("case", UNIT_FILTER_CASES)
@pytest.mark.parametrize(("sql_fn", "ref_fn"), COMPARE_ANALYSES)
def test_compare_analysis_matches_reference(syn_con, sample_units, case, sql_fn, ref_fn):
    # every type at once, in an order that is not the database's, and a unit of no region
    units = (
        ("Region", sample_units["Region"]),
        ("PDU", sample_units["PDU"]),
        ("CRC", sample_units["CRC"]),
    )
    filters = filters_for(case, sample_units)
    options = {"as_of": dt.date(2026, 12, 2)} if sql_fn is compare.compare_table else {}
    expected = ref_fn(syn_con, filters, units=units, **options)
    assert_same(sql_fn(syn_con, filters, units=units, **options), expected)
    # the history of an empty period is empty; the other tables keep a row per unit
    assert expected.empty == (case == "empty_period" and sql_fn is compare.compare_history)


@pytest.mark.parametrize(
    ("units", "error", "message"),
    [
        ((("PDU", "A"),), InvalidFilterError, "compare needs 2 to 6 units, not 1"),
        (
            tuple(("PDU", str(i)) for i in range(7)),
            InvalidFilterError,
            "compare needs 2 to 6 units, not 7",
        ),
        ((("CRC", "x"), ("CRC", "x")), InvalidFilterError, "'x (CRC)' is named twice"),
        (
            (("PDU", "No such PDU"), ("CRC", "Nor this")),
            UnknownUnitError,
            "no unit No such PDU (PDU) in the database",
        ),
    ],
)
@pytest.mark.parametrize(("sql_fn", "ref_fn"), COMPARE_ANALYSES)
def test_compare_checks_its_units_in_both(syn_con, units, error, message, sql_fn, ref_fn):
    units = tuple(units)
    for fn in (sql_fn, ref_fn):
        with pytest.raises(error) as info:
            fn(syn_con, Filters(), units=units)
        assert str(info.value) == message


@pytest.mark.parametrize("case", FILTER_CASES)
def test_filter_cases_select_what_they_should(syn_con, sample_units, case):
    """Guards the comparisons above against filters that silently select everything or nothing."""
    filters = filters_for(case, sample_units)
    selected = reference.apply_filters(reference.load(syn_con, "inspections"), filters)
    if case in ("nothing", "empty_period"):
        assert selected.empty
    elif case in ("none", "standards"):
        assert len(selected) == INSPECTIONS
    else:
        assert 0 < len(selected) < INSPECTIONS
    if case == "units":
        assert set(selected["unit_type"]) == {"PDU", "CRC", "Region"}


@pytest.mark.parametrize(("sql_fn", "ref_fn"), UNIT_ANALYSES)
def test_unknown_unit_raises_in_both(syn_con, sql_fn, ref_fn):
    for fn in (sql_fn, ref_fn):
        with pytest.raises(UnknownUnitError):
            fn(syn_con, Filters(), unit_type="PDU", unit_name="No such PDU")


@pytest.mark.parametrize("field", ["regions", "units"])
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_region_or_unit_matches_nothing(syn_con, field, value):
    before = inspection_count(syn_con)
    hostile = Filters(**{field: (value,)})
    for fn in (breakdowns.kpis, reference.kpis):
        assert fn(syn_con, hostile)["inspections"].tolist() == [0]
    # Every analysis treats the value as an unknown name, exactly like an innocent one.
    innocent = Filters(**{field: ("No such name",)})
    for analysis in ANALYSES:
        sql_fn, _, options = analysis.values
        assert_same(sql_fn(syn_con, hostile, **options), sql_fn(syn_con, innocent, **options))
    assert inspection_count(syn_con) == before == INSPECTIONS


# field -> (URL parameter, an allowed value)
VOCABULARY_FIELDS = {
    "ratings": ("rating", "Good"),
    "unit_types": ("unit_type", "PDU"),
    "standards": ("standard", "Leadership"),
}


@pytest.mark.parametrize("field", VOCABULARY_FIELDS)
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_vocabulary_value_is_rejected(syn_con, field, value):
    param, allowed = VOCABULARY_FIELDS[field]
    with pytest.raises(InvalidFilterError):
        Filters(**{field: (value,)})
    with pytest.raises(InvalidFilterError):
        Filters(**{field: (allowed, value)})
    with pytest.raises(InvalidFilterError):
        Filters.from_query_params({param: [allowed, value]})
    assert inspection_count(syn_con) == INSPECTIONS


@pytest.mark.parametrize(
    ("fn", "option"),
    [
        (reference.rating_distribution, {"by": "region; drop table inspections"}),
        (reference.rating_trend, {"freq": "month"}),
        (reference.trend_excluded, {"freq": "decade"}),
    ],
)
def test_reference_rejects_unknown_options_like_sql(syn_con, fn, option):
    sql_fn = getattr(breakdowns, fn.__name__, None) or getattr(trends, fn.__name__)
    for f in (sql_fn, fn):
        with pytest.raises(InvalidFilterError):
            f(syn_con, Filters(), **option)


# The shipped dataset has what the synthetic one lacks: inspections with few or no standards
# known, units inspected once, and real names.
@pytest.fixture(scope="module")
def shipped_con(tmp_path_factory):
    path = tmp_path_factory.mktemp("oracle-shipped") / "ratings.duckdb"
    db.build(db.DEFAULT_DATA_DIR, path)
    con = db.connect(path)
    yield con
    con.close()


SHIPPED_FILTERS = {
    "none": Filters(),
    "exact_dates_only": Filters(include_approximate=False),
    "pdus_since_2023": Filters(unit_types=("PDU",), date_from=dt.date(2023, 1, 1)),
}


@pytest.mark.parametrize("case", SHIPPED_FILTERS)
@pytest.mark.parametrize(("sql_fn", "ref_fn", "options"), ANALYSES)
def test_shipped_data_matches_reference(shipped_con, case, sql_fn, ref_fn, options):
    filters = SHIPPED_FILTERS[case]
    assert_same(sql_fn(shipped_con, filters, **options), ref_fn(shipped_con, filters, **options))


@pytest.mark.parametrize(("sql_fn", "ref_fn"), UNIT_ANALYSES)
def test_shipped_units_match_reference(shipped_con, sql_fn, ref_fn):
    unit_table = reference.load(shipped_con, "units").sort_values(["unit_type", "unit_name"])
    for unit_type, unit_name in (
        unit_table.groupby("unit_type").head(3)[["unit_type", "unit_name"]].itertuples(index=False)
    ):
        expected = ref_fn(shipped_con, Filters(), unit_type=unit_type, unit_name=unit_name)
        actual = sql_fn(shipped_con, Filters(), unit_type=unit_type, unit_name=unit_name)
        assert_same(actual, expected)
