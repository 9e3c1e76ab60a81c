"""Exceptions raised by analytics/; the dashboard and CLI translate them once at their boundary.

Three kinds a caller tells apart: bad input (InvalidInputError and its kinds: a filter or option,
a file's rows, a setting), a program or package that is not installed (MissingPackageError), and
damaged data (CorruptDataError). Every raise in analytics/ uses one of these classes, but for the
few values raised and caught inside one function (tests/test_errors.py lists them).
"""

from __future__ import annotations

from dataclasses import dataclass


class AnalyticsError(Exception):
    """Base class of every error analytics/ raises on purpose."""


class InvalidInputError(ValueError, AnalyticsError):
    """A value a caller gave (an argument, a command-line option, a path) cannot be used."""


class InvalidFilterError(InvalidInputError):
    """A filter or option value is not one of the allowed values."""


class MissingPackageError(AnalyticsError):
    """A program or package this needs (nginx, Chromium, Streamlit) is not installed; the
    message says how to install it.
    """


class CorruptDataError(ValueError, AnalyticsError):
    """Data is damaged: stored rows break a key or reference the build keeps, or a file's
    parts do not parse; nothing was written.
    """


class UnsafeFolderError(PermissionError, AnalyticsError):
    """A folder this process would keep private files in is not its own (another user's, open
    to others, or not a folder): nothing in it is used.
    """


class FleetError(RuntimeError, AnalyticsError):
    """The fleet cannot start or keep serving (said in one line)."""


class ConfigurationError(InvalidInputError):
    """A setting (an environment variable) cannot be used as it is."""


class UnknownUnitError(LookupError, AnalyticsError):
    """A unit named by the caller is not in the database."""


class DatabaseError(AnalyticsError):
    """The database file is missing, unreadable or not one this code built."""


class QueryError(AnalyticsError):
    """DuckDB failed while an analysis ran (a bug, or a database changed under the query): said
    in plain words at the boundary; DuckDB's own error is logged, never shown.
    """


class DataValidationError(InvalidInputError):
    """Input files failed validation; nothing was written.

    Parameters
    ----------
    problems
        Every problem found, each a :class:`Problem` naming file, row and column.
    """

    def __init__(self, problems: list[Problem] | ProblemLog):
        self.problems = list(problems)
        # Problems past the first MAX_PROBLEMS are counted, not kept (see ProblemLog).
        self.omitted = getattr(problems, "omitted", 0)
        first = self.problems[0]
        more = len(self.problems) - 1 + self.omitted
        suffix = f" (and {more:,} more problem{'s' if more != 1 else ''})" if more else ""
        super().__init__(f"{first}{suffix}")

    @property
    def total(self) -> int:
        """Every problem found, kept or only counted."""
        return len(self.problems) + self.omitted

    def omitted_line(self) -> str | None:
        """A line saying how many problems are not listed, or None when all are."""
        if not self.omitted:
            return None
        return (
            f"... and {self.omitted:,} more problem{'s' if self.omitted != 1 else ''} "
            f"(only the first {len(self.problems):,} are listed)"
        )


MAX_PROBLEMS = 1000


class ProblemLog:
    """Problems as a validator finds them: the first ``limit`` kept, the rest only counted.

    A file of two million bad rows then costs a counter, not two million messages in memory and
    on the admin's page.
    """

    def __init__(self, limit: int = MAX_PROBLEMS):
        self.limit = limit
        self.kept: list[Problem] = []
        self.omitted = 0

    def append(self, problem: Problem) -> None:
        """Keep ``problem`` if fewer than ``limit`` are kept, else count it."""
        if len(self.kept) < self.limit:
            self.kept.append(problem)
        else:
            self.omitted += 1

    def __iter__(self):
        return iter(self.kept)

    def __len__(self) -> int:
        return len(self.kept) + self.omitted

    def __bool__(self) -> bool:
        return bool(self.kept)


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem: ``FILE:ROW:COLUMN: message``.

    ``row`` is the spreadsheet-style row number (the header is row 1, the first data row is row 2);
    ``row`` is ``None`` for a problem with the file as a whole, ``column`` ``None`` for a whole row.
    Frozen: a problem reported is never edited afterwards.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"


class ImportNotFoundError(LookupError, AnalyticsError):
    """No import with that id in the journal."""


class ImportChangedError(AnalyticsError):
    """A checked file would now do something else: another import changed the data first."""


class ExportError(RuntimeError, AnalyticsError):
    """A file could not be made (Chromium did not answer in time)."""


class ExportUnavailableError(ExportError, MissingPackageError):
    """An export needs Chromium and none is installed."""


class ExportTooLargeError(ExportError):
    """A table has more rows than its file format takes here."""
