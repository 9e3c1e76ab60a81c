"""The About tab."""

from __future__ import annotations

import streamlit as st

from analytics.analyses import breakdowns
from analytics.filters import Filters
from analytics.pipeline import db
from analytics.vocab import (
    DATE_BASIS_LABELS,
    RATINGS,
    STANDARDS,
    UNIT_TYPE_LABELS,
    UNIT_TYPES,
)
from ui.data import Data
from ui.text import md_escape, rating_badge


def render(data: Data, filters: Filters) -> None:
    """Draw the About tab: the data's sources, licence, coverage and limits."""
    del filters  # the About tab is the same for every selection
    info = data.info
    missing = int(data(breakdowns.kpis, Filters()).iloc[0].without_source)
    scale = "\n".join(f"| {rating_badge(r.name)} | {r.points} |" for r in RATINGS)
    types = "\n".join(f"| {t} | {UNIT_TYPE_LABELS[t]} |" for t in UNIT_TYPES)
    bases = "\n".join(f"| {k} | {v} |" for k, v in DATE_BASIS_LABELS.items())
    domains = "\n".join(f"| {d} | {s} |" for s, d in STANDARDS)
    st.markdown(
        f"""
## The rating scale
HM Inspectorate of Probation rates each unit overall and on each standard on a four-point scale.
Mean points average these over inspections or ratings.

| Rating | Points |
|---|---|
{scale}

2021-2023 PDU inspections were also scored out of 27 (shown as Score where a source states it).

## Types of service and eras
Before June 2021 probation was split between Community Rehabilitation Companies (CRCs) and the
National Probation Service (NPS), inspected by company and division; since the unification on
26 June 2021 HMIP inspects Probation Delivery Units (PDUs) in 12 regions, the regions themselves,
and national arrangements. CRCs and NPS divisions have no region here: their areas predate the 12.

| Type | Meaning |
|---|---|
{types}

## Standards and domains
| Domain | Standard |
|---|---|
{domains}

## Dates
Publication dates are as precise as their source (`2024`, `2024-05` or `2024-05-17`). By quarter,
inspections known only to the year are left out and counted, never guessed into a quarter.

| date_basis | Meaning |
|---|---|
{bases}

## Sources and licence
{md_escape(info.source)}. Every inspection links to its source page where one is recorded
({missing} {"has" if missing == 1 else "have"} none). Contains public sector information
licensed under the [Open Government Licence v3.0]({db.LICENCE_URL}). Not an official HMIP
dataset: check a rating against its source report before relying on it.

## Figures stated about reports
For some inspections a source states how many recommendations the report made, or the share of
the cases HMIP inspected that it judged sufficient on keeping people safe or on desistance
(the Units tab lists them under each report, each with the page that states it). HMIP publishes
these shares for every case-inspection question in data annexes that could not be read, so most
inspections have none here.

## Known gaps
- Standard-level ratings are known for only some inspections; a blank is unknown, not "not rated".
- Not every PDU is listed: London, West Midlands, North West and South Central are incomplete.
- The second inspection of Hull and East Riding PDU (2024) is missing, and so is the Yorkshire
  and the Humber regional inspection (rated Requires improvement, published between November
  2024 and March 2025; no page gives its date).
- From October 2025 HMIP paused its rated PDU and regional inspections for six months of
  dynamic inspections of public protection, which give no rating. Approved Premises, rated in a
  separate programme since July 2025, are not included.
- No rating or date is ever guessed.
""",
        unsafe_allow_html=True,
    )
