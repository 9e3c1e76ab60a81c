"""The fixed vocabularies of HMIP ratings, defined once for every table, chart and legend."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rating:
    """One point of HMIP's four-point scale: its name, points and colour."""

    name: str
    points: int
    colour: str


# Best first. Colours are ColorBrewer RdBu (colour-blind safe, diverging from good to bad); every
# chart also names the rating in text, so colour is never the only cue.
RATINGS: tuple[Rating, ...] = (
    Rating("Outstanding", 3, "#2166ac"),
    Rating("Good", 2, "#67a9cf"),
    Rating("Requires improvement", 1, "#f4a582"),
    Rating("Inadequate", 0, "#b2182b"),
)
RATING_NAMES: tuple[str, ...] = tuple(r.name for r in RATINGS)
RATING_POINTS: dict[str, int] = {r.name: r.points for r in RATINGS}
RATING_COLOURS: dict[str, str] = {r.name: r.colour for r in RATINGS}
GOOD_OR_BETTER: tuple[str, ...] = ("Outstanding", "Good")

# In the order the dashboard lists them: today's units first, then the pre-June-2021 ones.
UNIT_TYPES: tuple[str, ...] = ("PDU", "Region", "National", "CRC", "NPS division")
UNIT_TYPE_LABELS: dict[str, str] = {
    "PDU": "Probation Delivery Unit (from June 2021)",
    "Region": "Probation region (from June 2021)",
    "National": "National inspection",
    "CRC": "Community Rehabilitation Company (2018-2021)",
    "NPS division": "National Probation Service division (2018-2021)",
}
# The units replaced in June 2021 by the Probation Service's regions and PDUs, and today's.
FORMER_UNIT_TYPES: tuple[str, ...] = ("CRC", "NPS division")
CURRENT_UNIT_TYPES: tuple[str, ...] = tuple(t for t in UNIT_TYPES if t not in FORMER_UNIT_TYPES)
# CRCs and NPS divisions predate the 12 regions; a national inspection covers all of them.
UNIT_TYPES_WITHOUT_REGION: frozenset[str] = frozenset({"CRC", "NPS division", "National"})

DOMAINS: tuple[str, ...] = ("Organisational delivery", "Case supervision", "Specific services")
# (standard, domain) in HMIP's order; names are normalised across inspection eras.
STANDARDS: tuple[tuple[str, str], ...] = (
    ("Leadership", "Organisational delivery"),
    ("Staffing", "Organisational delivery"),
    ("Services", "Organisational delivery"),
    ("Information and facilities", "Organisational delivery"),
    ("Court work", "Case supervision"),
    ("Assessment", "Case supervision"),
    ("Planning", "Case supervision"),
    ("Implementation and delivery", "Case supervision"),
    ("Reviewing", "Case supervision"),
    ("Unpaid work", "Specific services"),
    ("Through the Gate", "Specific services"),
    ("Victim work", "Specific services"),
)
STANDARD_NAMES: tuple[str, ...] = tuple(s for s, _ in STANDARDS)
STANDARD_DOMAIN: dict[str, str] = dict(STANDARDS)


@dataclass(frozen=True)
class ReportFigure:
    """A number a source states about one inspection's report (report_figures.csv).

    ``percent``: the value is a share of the inspected cases, in whole per cent (0 to 100);
    otherwise a count of at most ``maximum``. ``label`` names it in a sentence.
    """

    name: str
    label: str
    percent: bool
    maximum: int

    def value_text(self, value: int) -> str:
        """The value as a table cell shows it beside the figure's name ("33%"; "5")."""
        return f"{value}%" if self.percent else f"{value}"

    def words(self, value: int) -> str:
        """The figure and its value as a person reads it ("Recommendations: 5";
        "Assessment, keeping people safe: 33% of cases sufficient").
        """
        return (
            f"{self.label}: {value}% of cases sufficient"
            if self.percent
            else f"{self.label}: {value}"
        )


# In the order a unit's reports list them: how many recommendations, then the case-inspection
# shares (keeping people safe first: public protection is the weakest area HMIP reports).
REPORT_FIGURES: tuple[ReportFigure, ...] = (
    ReportFigure("Recommendations", "Recommendations", percent=False, maximum=100),
    ReportFigure(
        "Assessment: keeping people safe (% of cases sufficient)",
        "Assessment, keeping people safe",
        percent=True,
        maximum=100,
    ),
    ReportFigure(
        "Implementation and delivery: keeping people safe (% of cases sufficient)",
        "Implementation and delivery, keeping people safe",
        percent=True,
        maximum=100,
    ),
    ReportFigure(
        "Implementation and delivery: desistance (% of cases sufficient)",
        "Implementation and delivery, desistance",
        percent=True,
        maximum=100,
    ),
)
REPORT_FIGURE_NAMES: tuple[str, ...] = tuple(f.name for f in REPORT_FIGURES)
REPORT_FIGURE_BY_NAME: dict[str, ReportFigure] = {f.name: f for f in REPORT_FIGURES}

DATE_BASES: tuple[str, ...] = ("stated", "url", "derived")
# Dates that no page states: the year comes from a report's web address or the inspection round.
APPROXIMATE_DATE_BASES: tuple[str, ...] = ("url", "derived")

# A share or mean resting on fewer inspections than this is marked as small wherever it is shown
# (charts fade it, tables and the CLI carry a small_count column), as public dashboards of official
# statistics mark small counts: with 114 inspections over eight years, one inspection can be a
# whole year's "100% Good".
SMALL_COUNT = 5
SMALL_COUNT_NOTE = f"fewer than {SMALL_COUNT} inspections"
DATE_BASIS_LABELS: dict[str, str] = {
    "stated": "stated on a source page",
    "url": "approximate: year taken from the report's web address",
    "derived": "approximate: year follows from the inspection round",
}

PRECISIONS: tuple[str, ...] = ("day", "month", "year")

# How old a unit's latest rating is, in whole months since its publication (counted from the first
# day of the month or year when only that is known): bands as CQC-based explorers band rating age,
# upper bounds inclusive, shown in one sequential colour scale (ColorBrewer Greys: darker = older).
FRESHNESS_BANDS: tuple[tuple[str, int | None, str], ...] = (
    ("under 2 years", 23, "#d9d9d9"),
    # white text on it (the league's category pills, the Compare table) keeps 4.7:1; on the
    # lighter #969696 it was 2.9:1
    ("2 to 4 years", 48, "#737373"),
    ("over 4 years", None, "#252525"),
)
FRESHNESS_NAMES: tuple[str, ...] = tuple(name for name, _, _ in FRESHNESS_BANDS)
FRESHNESS_COLOURS: dict[str, str] = {name: colour for name, _, colour in FRESHNESS_BANDS}
