"""Data contracts on the shipped CSVs, read with the csv module alone (not analytics/)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
RATINGS = {"Outstanding", "Good", "Requires improvement", "Inadequate"}
UNIT_TYPES = {"PDU", "Region", "National", "CRC", "NPS division"}
STANDARDS = {
    "Leadership",
    "Staffing",
    "Services",
    "Information and facilities",
    "Court work",
    "Assessment",
    "Planning",
    "Implementation and delivery",
    "Reviewing",
    "Unpaid work",
    "Through the Gate",
    "Victim work",
}
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_files_and_row_counts():
    assert sorted(p.name for p in DATA.glob("*.csv")) == [
        "events.csv",
        "inspections.csv",
        "regions.csv",
        "report_figures.csv",
        "standard_ratings.csv",
        "units.csv",
    ]
    assert {
        n: len(read(n))
        for n in (
            "inspections.csv",
            "standard_ratings.csv",
            "units.csv",
            "regions.csv",
            "events.csv",
            "report_figures.csv",
        )
    } == {
        "inspections.csv": 114,
        "standard_ratings.csv": 95,
        "units.csv": 112,
        "regions.csv": 12,
        "events.csv": 6,
        "report_figures.csv": 27,
    }


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside this checkout")
def test_shipped_data_is_the_shared_data():
    for path in SHARED.glob("*"):
        assert (DATA / path.name).read_bytes() == path.read_bytes(), path.name


def test_inspection_key_is_unique():
    keys = Counter(
        (r["unit_type"], r["unit_name"], r["published"]) for r in read("inspections.csv")
    )
    assert [k for k, n in keys.items() if n > 1] == []


def test_inspection_values_in_vocabulary():
    rows = read("inspections.csv")
    assert {r["overall_rating"] for r in rows} <= RATINGS
    assert {r["unit_type"] for r in rows} <= UNIT_TYPES
    assert {r["date_basis"] for r in rows} == {"stated", "url", "derived"}
    assert [r["published"] for r in rows if not DATE.match(r["published"])] == []
    assert [r for r in rows if r["overall_rating"] == ""] == []


def test_every_inspection_unit_exists_with_the_same_region():
    units = {(u["unit_type"], u["unit_name"]): u["region"] for u in read("units.csv")}
    missing = [r for r in read("inspections.csv") if (r["unit_type"], r["unit_name"]) not in units]
    assert missing == []
    mismatched = [
        r for r in read("inspections.csv") if units[(r["unit_type"], r["unit_name"])] != r["region"]
    ]
    assert mismatched == []


def test_regions_known_and_twelve():
    regions = {r["region"] for r in read("regions.csv")}
    assert len(regions) == 12
    used = {u["region"] for u in read("units.csv")} | {i["region"] for i in read("inspections.csv")}
    assert used - {""} <= regions
    tiles = Counter((r["tile_row"], r["tile_col"]) for r in read("regions.csv"))
    assert max(tiles.values()) == 1


def test_pre_2021_units_have_no_region_and_today_units_do():
    for unit in read("units.csv"):
        if unit["unit_type"] in {"CRC", "NPS division", "National"}:
            assert unit["region"] == "", unit
        else:
            assert unit["region"] != "", unit


def test_standard_ratings_refer_to_inspections_and_vocabulary():
    inspections = {
        (r["unit_type"], r["unit_name"], r["published"]) for r in read("inspections.csv")
    }
    rows = read("standard_ratings.csv")
    assert [
        r for r in rows if (r["unit_type"], r["unit_name"], r["published"]) not in inspections
    ] == []
    assert {r["standard"] for r in rows} <= STANDARDS
    assert {r["rating"] for r in rows} <= RATINGS
    keys = Counter((r["unit_type"], r["unit_name"], r["published"], r["standard"]) for r in rows)
    assert max(keys.values()) == 1


def test_sources_are_web_addresses_or_blank():
    urls = [r["source_url"] for r in read("inspections.csv")]
    assert [u for u in urls if u and not u.startswith(("http://", "https://"))] == []
    # York PDU (2024) is the one inspection whose source page is not recorded.
    assert [
        (r["unit_name"], r["published"]) for r in read("inspections.csv") if not r["source_url"]
    ] == [("York", "2024")]


def test_report_figures_refer_to_inspections_and_are_whole_numbers_in_their_range():
    inspections = {
        (r["unit_type"], r["unit_name"], r["published"]) for r in read("inspections.csv")
    }
    rows = read("report_figures.csv")
    assert [
        r for r in rows if (r["unit_type"], r["unit_name"], r["published"]) not in inspections
    ] == []
    assert Counter(r["figure"] for r in rows) == {
        "Recommendations": 16,
        "Assessment: keeping people safe (% of cases sufficient)": 6,
        "Implementation and delivery: keeping people safe (% of cases sufficient)": 4,
        "Implementation and delivery: desistance (% of cases sufficient)": 1,
    }
    assert [r for r in rows if not re.fullmatch(r"[0-9]{1,3}", r["value"])] == []
    shares = [int(r["value"]) for r in rows if r["figure"] != "Recommendations"]
    assert (min(shares), max(shares)) == (18, 45)
    keys = Counter((r["unit_type"], r["unit_name"], r["published"], r["figure"]) for r in rows)
    assert max(keys.values()) == 1
    assert [r for r in rows if not r["source_url"].startswith(("http://", "https://"))] == []
