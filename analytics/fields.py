r"""What one cell of an input file may hold, checked to what the database can store.

Each check is a pure function of the cell's text that returns the parsed value or raises
:class:`FieldError` with the reason; pipeline/validate.py adds the file, row and column.
The rules are the defence against hand-typed spreadsheets: ASCII digits only (``int()`` and
``\\d`` also read full-width and Arabic-Indic digits), numbers within their column's bounds (an
INTEGER holds at most 2,147,483,647), dates within the years HMIP has rated probation, one line of
plain text, and web addresses that a real URL parser accepts and Markdown cannot misread.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass

from analytics.errors import InvalidInputError

# Longest cell of any file: the longest shipped value is a 187-character web address.
MAX_CELL_CHARS = 1000
MAX_URL_CHARS = 1000
# HMIP's first ratings of probation services were published in 2018; a published date may be at
# most this many days after today (a report announced for the coming days, or a clock ahead).
FIRST_RATED_YEAR = 2018
PUBLISHED_MARGIN_DAYS = 7
# Fieldwork precedes publication by months; none before this year can belong to a rated
# inspection (the first were published in 2018).
FIRST_FIELDWORK_YEAR = 2017
# Dated events (the Trends chart's markers) may reach back to the reforms before the ratings.
FIRST_EVENT_YEAR = 2000

_ASCII_NUMBER = re.compile(r"[0-9]+")
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
# overrides that can make text read differently from what it holds ("Trojan Source").
_NOT_PLAIN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_CHARACTER_NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a line break", "\x00": "a NUL byte"}
# Characters a web address never needs here and Markdown or HTML would read: a link's text or
# target could otherwise be closed early (``https://x)![i](...)``).
_URL_FORBIDDEN = set(" <>\"'`()[]{}|\\^")
_HOST = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


class FieldError(InvalidInputError):
    """A cell's text is not a value its column can hold; the message says why."""


def shown(value: str, limit: int = 60) -> str:
    """A value quoted in a message: clipped, with invisible characters written as escapes."""
    clipped = value if len(value) <= limit else value[: limit - 1] + "…"
    return _NOT_PLAIN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), clipped)


def plain_text(value: str) -> str:
    """The value if it is one line of plain text of at most ``MAX_CELL_CHARS`` characters.

    Surrounding spaces, tabs and line breaks are trimmed by the readers before this check; one
    left inside a cell (or any other control character) is refused rather than guessed at.
    """
    bad = _NOT_PLAIN.search(value)
    if bad:
        char = bad.group()
        what = _CHARACTER_NAMES.get(char, "a control character")
        raise FieldError(
            f"contains {what} (U+{ord(char):04X}) at character {bad.start() + 1}; "
            "a cell holds one line of plain text"
        )
    if len(value) > MAX_CELL_CHARS:
        raise FieldError(f"is {len(value):,} characters long; the limit is {MAX_CELL_CHARS:,}")
    return value


def whole_number(value: str, *, maximum: int, minimum: int = 0) -> int:
    """A whole number written in ASCII digits, from ``minimum`` to ``maximum``."""
    if not _ASCII_NUMBER.fullmatch(value):
        if value and all(unicodedata.digit(c, None) is not None for c in value):
            raise FieldError(f"'{shown(value)}' uses digits other than 0-9; type it with 0-9")
        raise FieldError(f"'{shown(value)}' is not a whole number >= 0")
    # Compared as text first: int() of a 5,000-digit string is refused by Python itself.
    if len(value.lstrip("0")) > len(str(maximum)) or int(value) > maximum:
        raise FieldError(f"{shown(value)} is more than {maximum:,}, the largest allowed here")
    number = int(value)
    if number < minimum:
        raise FieldError(f"{number} is less than {minimum}, the smallest allowed here")
    return number


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as its source: ``2024``, ``2024-05`` or ``2024-05-17``."""

    text: str
    precision: str  # day | month | year
    first_day: dt.date

    @property
    def last_day(self) -> dt.date:
        """The last day the date can mean (31 December for a year, the month's end)."""
        if self.precision == "day":
            return self.first_day
        if self.precision == "year":
            return self.first_day.replace(month=12, day=31)
        following = (self.first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` in ASCII digits; raise FieldError otherwise."""
    match = _PARTIAL_DATE.fullmatch(text)
    if not match:
        if any(unicodedata.digit(c, None) is not None and not c.isascii() for c in text):
            raise FieldError(f"'{shown(text)}' uses digits other than 0-9; type it with 0-9")
        raise FieldError(f"'{shown(text)}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        first = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise FieldError(f"'{text}' is not a real date ({exc})") from None
    precision = "day" if day else "month" if month else "year"
    return PartialDate(text, precision, first)


def published_date(text: str, *, today: dt.date | None = None) -> PartialDate:
    """A publication date from 2018 up to a week after today."""
    date = parse_partial_date(text)
    if date.first_day.year < FIRST_RATED_YEAR:
        raise FieldError(
            f"'{text}' is before {FIRST_RATED_YEAR}, when HMIP's ratings of probation began"
        )
    _not_after_today(date, today)
    return date


def fieldwork_date(text: str, published: PartialDate | None) -> PartialDate:
    """A fieldwork month or year, from 2017 and not after the publication it led to."""
    date = parse_partial_date(text)
    if date.precision == "day":
        raise FieldError(f"'{text}' should be YYYY-MM or YYYY")
    if date.first_day.year < FIRST_FIELDWORK_YEAR:
        raise FieldError(
            f"'{text}' is before {FIRST_FIELDWORK_YEAR}, earlier than the fieldwork of any rated "
            f"inspection (the first were published in {FIRST_RATED_YEAR})"
        )
    if published is not None and date.first_day > published.last_day:
        raise FieldError(f"fieldwork '{text}' is after the publication date '{published.text}'")
    return date


def event_date(text: str, *, today: dt.date | None = None) -> PartialDate:
    """An event's date, from 2000 up to a week after today."""
    date = parse_partial_date(text)
    if date.first_day.year < FIRST_EVENT_YEAR:
        raise FieldError(f"'{text}' is before {FIRST_EVENT_YEAR}, the earliest event date allowed")
    _not_after_today(date, today)
    return date


def _not_after_today(date: PartialDate, today: dt.date | None) -> None:
    latest = (today or dt.date.today()) + dt.timedelta(days=PUBLISHED_MARGIN_DAYS)
    if date.first_day > latest:
        raise FieldError(
            f"'{date.text}' is in the future (today is {(today or dt.date.today()).isoformat()})"
        )


def web_address(value: str) -> str:
    """An ``http(s)://`` address with a host name, and nothing Markdown or HTML would read."""
    if not value.lower().startswith(("http://", "https://")):
        raise FieldError(f"'{shown(value)}' is not an http(s) web address")
    reason = _url_problem(value)
    if reason:
        raise FieldError(f"'{shown(value)}' is not an http(s) web address ({reason})")
    return value


def is_web_address(value: object) -> bool:
    """Whether ``value`` passes :func:`web_address` (for code that builds links)."""
    if not isinstance(value, str):
        return False
    try:
        web_address(value)
    except FieldError:
        return False
    return True


def _url_problem(value: str) -> str | None:
    if len(value) > MAX_URL_CHARS:
        return f"longer than {MAX_URL_CHARS:,} characters"
    if not value.isascii():
        return "has characters other than ASCII; percent-encode them"
    bad = next((c for c in value if c in _URL_FORBIDDEN or _NOT_PLAIN.match(c)), None)
    if bad is not None:
        return f"contains {shown(bad)!r}" if bad != " " else "contains a space"
    try:
        parts = urllib.parse.urlsplit(value)
        port = parts.port  # raises for a port that is not a number in range
    except ValueError as exc:
        return str(exc)
    del port
    if parts.username is not None or parts.password is not None:
        return "has a user name before the host"
    if not parts.hostname or not _HOST.fullmatch(parts.hostname):
        return "has no valid host name"
    return None
