"""Exceptions raised by analytics/; the dashboard and CLI translate them once at their boundary."""

from __future__ import annotations


class AnalyticsError(Exception):
    """Base class of every error analytics/ raises on purpose."""


class InvalidFilterError(ValueError, AnalyticsError):
    """A filter or option value is not one of the allowed values."""


class UnknownUnitError(LookupError, AnalyticsError):
    """A unit named by the caller is not in the database."""


class DatabaseError(AnalyticsError):
    """The database file is missing, unreadable or not one this code built."""


class DataValidationError(ValueError, AnalyticsError):
    """Input files failed validation; nothing was written.

    Parameters
    ----------
    problems
        Every problem found, each a :class:`Problem` naming file, row and column.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        first = self.problems[0]
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        super().__init__(f"{first}{suffix}")


class Problem:
    """One validation problem: ``FILE:ROW:COLUMN: message``.

    ``row`` is the spreadsheet-style row number (the header is row 1, the first data row is row 2);
    ``row`` is ``None`` for a problem with the file as a whole, ``column`` ``None`` for a whole row.
    """

    __slots__ = ("file", "row", "column", "message")

    def __init__(self, file: str, row: int | None, column: str | None, message: str):
        self.file = file
        self.row = row
        self.column = column
        self.message = message

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))
