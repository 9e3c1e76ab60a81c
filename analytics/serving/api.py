"""A read-only data API and an Atom feed, served beside the dashboard by its own server.

``GET /api/v1/<analysis>.csv|.json`` answers every analysis of the registry with the bytes
``probation-ratings query <analysis> --format csv|json`` prints for the same filters (the
``inspections`` list, which the command line has no query for, as that command would print it).
It takes a page link's filter parameters, parsed as a link is (the same messages), and the
analysis's options (``by``, ``freq``, ``as_of``, ``older_than``, ``limit``; ``compare`` names the
units of the comparisons, as in a link). Anything it cannot read is refused with 400 and a
message naming the parameter; nothing reaches SQL but as a bound value.

``GET /feed.atom`` is the latest inspections as an Atom 1.0 feed (``region`` and ``unit_type``
narrow it). Both carry the data's content hash as their ETag and answer ``If-None-Match`` with
304, and both count against one limit of requests per client shared by every process serving
the database (:class:`analytics.serving.throttle.RequestLimit`).

Plain Starlette: the routes are handed to ``st.App`` by ``ui/asgi.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET  # noqa: S405 -- writing XML, never parsing it

import duckdb
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from analytics import __version__
from analytics.analyses import catalog, registry
from analytics.analyses.league import league_table
from analytics.analyses.units import inspections
from analytics.cli.parser import build_parser
from analytics.cli.queries import NARROW_OPTIONS, format_frame, run_analysis
from analytics.errors import AnalyticsError, ConfigurationError, InvalidFilterError
from analytics.export.tables import MAX_ROWS
from analytics.filter_fields import CHOICES, PERIOD
from analytics.filters import Filters, parse_query_params, single_value
from analytics.pipeline import db
from analytics.serving.throttle import RequestLimit, per_minute
from analytics.settings import Settings

LOG = logging.getLogger(__name__)
PREFIX = "/api/v1/"
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
ATOM = "application/atom+xml; charset=utf-8"
# The analyses' options as URL parameters, and the units of the comparisons (as in a link).
OPTION_PARAMS = ("by", "freq", "as_of", "older_than", "limit")
COMPARE_PARAM = "compare"
ROW_LIMIT = MAX_ROWS["csv"]  # as many rows as a CSV download holds
FEED_ENTRIES = 50
FEED_PARAMS = ("region", "unit_type")


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, body and content type (headers beyond those: ``headers``)."""

    status: int
    body: str
    media_type: str = "text/plain; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)


class Refused(InvalidFilterError):
    """A request the API will not answer, with its status (400 or 404) and plain message."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _params(items: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in items:
        params.setdefault(name, []).append(value)
    return params


def _options(analysis: registry.Analysis, params: dict[str, list[str]]) -> dict[str, str]:
    """The options given, each checked against what the analysis takes."""
    problems: list[str] = []
    given = {}
    for name in OPTION_PARAMS:
        value = single_value(params, name, problems)
        if value is None:
            continue
        # the command line's own names of the options (cli.queries.NARROW_OPTIONS)
        taken = {arg: option for arg, option, _ in NARROW_OPTIONS}.get(name, name)
        takers = [a.name for a in registry.ANALYSES.values() if taken in a.options]
        if name == "limit":
            takers = [league_table.__name__]  # as `query --limit` (cli.queries.cmd_query)
        if analysis.name not in takers:
            problems.append(f"'{name}' applies only to: {', '.join(takers)}")
        given[name] = value
    if problems:
        raise Refused("; ".join(problems))
    return given


@functools.cache
def _query_defaults() -> dict[str, object]:
    """Every default of `probation-ratings query`, parsed once (not on every request)."""
    return vars(build_parser().parse_args(["query", "kpis"]))


def _namespace(name: str, filters: Filters, params: dict[str, list[str]]) -> argparse.Namespace:
    """The command line's arguments for the same question (so the same code answers it)."""
    analysis = registry.ANALYSES[name]
    options = _options(analysis, params)
    args = argparse.Namespace(**_query_defaults())
    args.analysis = name
    # the command line's filter options hold what the link's parameters say (queries._filters)
    for choice in CHOICES:
        setattr(args, choice.param, getattr(filters, choice.field))
    for name in PERIOD.fields:
        setattr(args, name, getattr(filters, name))
    args.exclude_approximate = not filters.include_approximate
    compared = [v for v in params.get(COMPARE_PARAM, []) if v]
    if compared and not analysis.needs_units:
        raise Refused(f"'{COMPARE_PARAM}' applies only to the comparisons")
    if analysis.needs_units:
        args.unit = tuple(compared)
    for option, value in options.items():
        try:
            if option == "by":
                args.by = _choice(option, value, analysis.options["by"])
            elif option == "freq":
                args.freq = _choice(option, value, analysis.options["freq"])
            elif option == "as_of":
                args.as_of = dt.date.fromisoformat(value)
            else:
                number = int(value) if value.isascii() and value.isdigit() else -1
                if not 0 <= number <= 1_000_000:
                    raise ValueError(value)
                setattr(args, option, number)
        except Refused:
            raise
        except ValueError:
            what = "a date YYYY-MM-DD" if option == "as_of" else "a whole number"
            raise Refused(f"'{option}' must be {what}, not '{value[:40]}'") from None
    return args


def _choice(name: str, value: str, allowed: Sequence[object]) -> str:
    shown = [str(a) for a in allowed if a is not None]
    if value not in shown:
        raise Refused(f"unknown {name} '{value[:40]}' (allowed: {', '.join(shown)})")
    return value


def answer_analysis(
    con: duckdb.DuckDBPyConnection, name: str, fmt: str, items: Sequence[tuple[str, str]]
) -> Answer:
    """``GET /api/v1/<name>.<fmt>?<items>``: the analysis's table as the command line prints it.

    Raises
    ------
    Refused
        An unknown analysis or format (404), or a parameter it cannot read (400).
    """
    name = registry.current_name(name)
    if name not in registry.ANALYSES or fmt not in FORMATS:
        raise Refused(
            f"no such table: '{name[:40]}.{fmt[:8]}' (tables: "
            f"{', '.join(registry.ANALYSES)}; formats: {', '.join(FORMATS)})",
            404,
        )
    params = _params(items)
    vocab = catalog.vocabulary(con)
    filters, problems = parse_query_params(
        params,
        known_regions=vocab.regions,
        known_units=vocab.unit_names,
        other_params=(*OPTION_PARAMS, COMPARE_PARAM),
    )
    if problems:
        raise Refused("; ".join(problems))
    if registry.ANALYSES[name].needs_unit and len(filters.units) != 1:
        raise Refused(f"'{name}' needs exactly one 'unit' parameter")
    args = _namespace(name, filters, params)
    try:
        table = run_analysis(con, filters, args)
    except Refused:
        raise
    except InvalidFilterError as exc:  # a unit that does not exist, or names several
        raise Refused(str(exc)) from exc
    if len(table) > ROW_LIMIT:
        raise Refused(
            f"the answer has {len(table):,} rows; at most {ROW_LIMIT:,} are served: narrow the "
            "filters"
        )
    return Answer(200, format_frame(table, fmt) + "\n", FORMATS[fmt])


def _atom_time(published_date: dt.date) -> str:
    """An RFC 3339 time, as Atom requires: the day's start (the first of the month or year where
    only that is known).
    """
    return f"{published_date:%Y-%m-%d}T00:00:00Z"


def _urn(*parts: str) -> str:
    """An entry's or the feed's id: a URN of its parts, each percent-encoded."""
    return "urn:probation-ratings:" + ":".join(urllib.parse.quote(p, safe="") for p in parts)


def answer_feed(con: duckdb.DuckDBPyConnection, items: Sequence[tuple[str, str]]) -> Answer:
    """``GET /feed.atom``: the latest inspections (at most 50), newest first, as Atom 1.0.

    An entry's ``published`` is the first day of what its source states (a month or a year where
    no day is known); its summary says the date as precisely as it is known.
    """
    params = _params(items)
    unknown = [n for n in params if n not in FEED_PARAMS]
    if unknown:
        raise Refused(f"unknown parameter '{unknown[0][:40]}' (allowed: {', '.join(FEED_PARAMS)})")
    vocab = catalog.vocabulary(con)
    filters, problems = parse_query_params(params, known_regions=vocab.regions)
    if problems:
        raise Refused("; ".join(problems))
    rows = inspections(con, filters, limit=FEED_ENTRIES)
    atom = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", atom)
    feed = ET.Element(f"{{{atom}}}feed")

    def add(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{atom}}}{tag}", attrs)
        element.text = text
        return element

    add(feed, "id", _urn("feed", *sorted(f"{k}={v}" for k, v in items)))
    add(feed, "title", f"Probation inspection ratings ({filters.describe()})")
    newest = rows["published_date"].max() if len(rows) else None
    add(
        feed,
        "updated",
        # an empty feed was last updated when its data was built
        _atom_time(newest)
        if newest is not None
        else db.dataset_info(con).built_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    author = ET.SubElement(feed, f"{{{atom}}}author")
    add(author, "name", "HM Inspectorate of Probation (compiled by probation-ratings)")
    add(feed, "rights", f"{db.SOURCE_DESCRIPTION}. {db.LICENCE}.")
    for row in rows.itertuples():
        entry = ET.SubElement(feed, f"{{{atom}}}entry")
        label = catalog.unit_label(row.unit_type, row.unit_name)
        add(entry, "id", _urn("inspection", row.unit_type, row.unit_name, row.published))
        add(entry, "title", f"{label}: {row.rating}")
        add(entry, "published", _atom_time(row.published_date))
        add(entry, "updated", _atom_time(row.published_date))
        approx = row.date_basis != "stated"
        add(
            entry,
            "summary",
            f"{label} rated {row.rating}, published {row.published}"
            + (" (approximate date)" if approx else "")
            + ".",
        )
        if isinstance(row.source_url, str) and row.source_url:
            ET.SubElement(entry, f"{{{atom}}}link", {"rel": "alternate", "href": row.source_url})
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Answer(200, body + "\n", ATOM)


def respond(
    path: str, items: Sequence[tuple[str, str]], *, client: str, if_none_match: str | None
) -> Answer:
    """The whole answer to one request: limited per client, cached by the data's version."""
    try:
        limit = per_minute(Settings.from_env().api_per_minute)
    except ConfigurationError as exc:
        return Answer(503, f"The data API is not configured: {exc}\n")
    allowed, retry_after = RequestLimit(db.default_db_path(), per_minute=limit).attempt(client)
    if not allowed:
        return Answer(
            429,
            f"Too many requests: at most {limit} a minute per client.\n",
            headers={"Retry-After": str(int(retry_after) + 1)},
        )
    try:
        con = db.connect(db.default_db_path())
    except AnalyticsError as exc:
        LOG.exception("the API could not open the database")
        return Answer(503, f"The data is not available: {exc}\n")
    try:
        # the data's version and the code's: either changes what a URL answers
        etag = f'"{db.dataset_info(con).content_hash}-{__version__}"'
        if if_none_match is not None and etag in [t.strip() for t in if_none_match.split(",")]:
            return Answer(304, "", headers={"ETag": etag})
        if path == "/feed.atom":
            found = answer_feed(con, items)
        else:
            name, _, fmt = path.removeprefix(PREFIX).rpartition(".")
            found = answer_analysis(con, name, fmt, items)
        return Answer(found.status, found.body, found.media_type, {"ETag": etag})
    except Refused as exc:
        return Answer(exc.status, f"{exc}\n")
    except (AnalyticsError, duckdb.Error):
        LOG.exception("the API failed on %s", path)
        return Answer(500, "The table could not be computed; the error is in the server's log.\n")
    finally:
        con.close()


def _endpoint(request: Request) -> Response:
    found = respond(
        request.url.path,
        request.query_params.multi_items(),
        # uvicorn's: the peer, or the client a trusted proxy names (analytics.serving.server)
        client=request.client.host if request.client else "unknown",
        if_none_match=request.headers.get("if-none-match"),
    )
    return Response(found.body, found.status, dict(found.headers), found.media_type)


def routes() -> list[Route]:
    """The API's and the feed's routes, for ``st.App`` (a plain function: run in a thread)."""
    return [Route(PREFIX + "{table}", _endpoint), Route("/feed.atom", _endpoint)]
