"""Rows that belong to one inspection (analytics/pipeline/inspection_rows.py): standard ratings
and report figures, each naming an inspection that exists and saying one thing about it once.
"""

from __future__ import annotations

from tests.fixture_data import build_with


def test_report_figures_are_checked_by_row_and_column(tmp_path):
    share = "Assessment: keeping people safe (% of cases sufficient)"
    bad = [
        ("PDU", "Alpha", "2023", "Recommendations", "4", "https://example.org/a"),  # no such
        ("PDU", "Alpha", "2024-11", "Staff morale", "4", "https://example.org/a"),
        ("PDU", "Alpha", "2022-02-10", share, "101", "https://example.org/a"),
        ("PDU", "Alpha", "2022-02-10", "Recommendations", "４", "https://example.org/a"),
        ("PDU", "Alpha", "2022-02-10", "Recommendations", "", "https://example.org/a"),
        ("PDU", "Alpha", "2022-02-10", "Recommendations", "3", ""),
        ("PDU", "Alpha", "2024-11", "Recommendations", "7", "https://example.org/b"),
    ]
    assert build_with(tmp_path, report_figures=bad) == [
        "report_figures.csv:5:published: no inspection of PDU 'Alpha' published 2023 in "
        "inspections.csv",
        "report_figures.csv:6:figure: unknown value 'Staff morale' (allowed: Recommendations, "
        "Assessment: keeping people safe (% of cases sufficient), Implementation and delivery: "
        "keeping people safe (% of cases sufficient), Implementation and delivery: desistance (% "
        "of cases sufficient))",
        "report_figures.csv:7:value: 101 is more than 100, the largest allowed here",
        "report_figures.csv:8:value: '４' uses digits other than 0-9; type it with 0-9",
        "report_figures.csv:9:value: is blank; a whole number is required",
        "report_figures.csv:10:source_url: is blank; every figure names the page that states it",
        "report_figures.csv:11:figure: duplicate figure 'Recommendations' for this inspection "
        "(first at row 2)",
    ]


def test_standard_ratings_name_a_known_inspection_and_standard_once(tmp_path):
    bad = [
        ("PDU", "Alpha", "2024-11", "Leadership", "Good"),  # the fixture's row 4 rates it
        ("PDU", "Alpha", "2024-11", "Courage", "Good"),
        ("PDU", "Alpha", "2023", "Assessment", "Good"),
        ("PDU", "Alpha", "2022-02-10", "Planning", "Great"),
    ]
    assert build_with(tmp_path, standard_ratings=bad) == [
        "standard_ratings.csv:9:standard: duplicate rating of 'Leadership' for this inspection "
        "(first at row 4)",
        "standard_ratings.csv:10:standard: unknown value 'Courage' (allowed: Leadership, "
        "Staffing, Services, Information and facilities, Court work, Assessment, Planning, "
        "Implementation and delivery, Reviewing, Unpaid work, Through the Gate, Victim work)",
        "standard_ratings.csv:11:published: no inspection of PDU 'Alpha' published 2023 in "
        "inspections.csv",
        "standard_ratings.csv:12:rating: unknown value 'Great' (allowed: Outstanding, Good, "
        "Requires improvement, Inadequate)",
    ]
