"""Errors (issue 29, point 5): a caller tells bad input, a missing program and damaged data
apart, and every raise in analytics/ uses analytics' own classes.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import typing
from pathlib import Path

import pytest

from analytics import errors
from analytics.export import images
from analytics.pipeline import synthetic
from analytics.serving import fleet, nginx

REPO = Path(__file__).resolve().parents[1]

# Raised and caught again inside analytics/, or a bug's own signal: never reaches a caller.
INTERNAL = {
    ("analytics/filters.py", "_iso_date", "ValueError"),  # parse_query_params turns it into words
    ("analytics/serving/api.py", "_namespace", "ValueError"),  # caught a few lines below: a 400
    # argparse's own signal from a type function: it prints the usage and the message
    ("analytics/cli/parser.py", "_date", "argparse.ArgumentTypeError"),
    ("analytics/cli/parser.py", "_whole", "argparse.ArgumentTypeError"),
    ("analytics/cli/parser.py", "parse", "argparse.ArgumentTypeError"),
    ("analytics/pipeline/validate.py", "record", "ValueError"),  # a bug: an incomplete row's record
    ("analytics/export/columns.py", "column", "KeyError"),  # a bug: a column not declared
    ("analytics/reference/common.py", "load", "ValueError"),  # a bug: a table not in TABLES
    ("analytics/reference/common.py", "with_points", "ValueError"),  # a bug: not a rating column
    ("analytics/pipeline/synthetic.py", "generate", "RuntimeError"),  # cannot happen (10 per unit)
}


def _raises() -> list[tuple[str, str, str]]:
    """(module path, function, exception class name) of every ``raise Name(...)`` in analytics/."""
    found = []
    for path in sorted((REPO / "analytics").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                    func = node.exc.func
                    name = func.id if isinstance(func, ast.Name) else ast.unparse(func)
                    found.append((path.relative_to(REPO).as_posix(), function.name, name))
    return found


def _exception(module_path: str, name: str) -> type:
    """The class ``name`` (``X`` or ``module.X``) means in that module."""
    found: object = importlib.import_module(module_path.removesuffix(".py").replace("/", "."))
    first, *rest = name.split(".")
    found = getattr(found, first, None) or getattr(builtins, first)
    for part in rest:
        found = getattr(found, part)
    if callable(found) and not isinstance(found, type):  # a function that makes the exception
        found = typing.get_type_hints(found)["return"]
    assert isinstance(found, type), name
    return found


def test_every_raise_in_analytics_is_an_analytics_error_but_the_internal_ones():
    outside = sorted(
        {
            (path, function, name)
            for path, function, name in _raises()
            if not issubclass(_exception(path, name), errors.AnalyticsError)
        }
    )
    assert outside == sorted(INTERNAL)


def test_the_three_kinds_are_told_apart():
    kinds = (errors.InvalidInputError, errors.MissingPackageError, errors.CorruptDataError)
    for one in kinds:
        assert [issubclass(one, other) for other in kinds].count(True) == 1
    assert issubclass(errors.InvalidFilterError, errors.InvalidInputError)
    assert issubclass(errors.DataValidationError, errors.InvalidInputError)
    assert issubclass(errors.ConfigurationError, errors.InvalidInputError)
    assert issubclass(errors.ExportUnavailableError, errors.MissingPackageError)


def test_no_nginx_is_a_missing_package_and_a_bad_port_bad_input(monkeypatch, tmp_path):
    monkeypatch.setattr(nginx, "nginx_path", lambda: None)
    with pytest.raises(errors.MissingPackageError) as missing:
        fleet.run_fleet(
            processes=2, port=8501, host="127.0.0.1", db_path=tmp_path, data_dir=tmp_path
        )
    assert str(missing.value) == "nginx is not installed: run 'sudo apt-get install -y nginx'"
    with pytest.raises(errors.InvalidInputError) as port:
        fleet.run_fleet(processes=2, port=0, host="127.0.0.1", db_path=tmp_path, data_dir=tmp_path)
    assert str(port.value) == "--port must be 1 to 65535, not 0"
    assert not isinstance(port.value, errors.InvalidFilterError)


def test_bad_arguments_to_the_generator_and_the_image_maker_are_bad_input(tmp_path):
    with pytest.raises(errors.InvalidInputError) as count:
        synthetic.generate(tmp_path / "s.duckdb", inspections=0)
    assert str(count.value) == "inspections must be a whole number >= 1, not 0"
    with pytest.raises(errors.InvalidInputError) as fmt:
        images.figure_image(None, None, "gif")
    assert str(fmt.value) == "unknown image format 'gif'"
