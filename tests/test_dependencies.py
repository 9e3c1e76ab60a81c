"""The lock is what runs (issue 28, point 1): installed versions equal requirements/, and every
third-party import is a declared dependency.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ \\]+)", re.MULTILINE)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")
OURS = {"analytics", "ui", "app_pages", "tests", "dashboard"}


def canonical(name: str) -> str:
    """A distribution's name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    text = (REPO / "requirements" / lock).read_text(encoding="utf-8")
    return {canonical(n): v for n, v in PIN.findall(text)}


def declared() -> tuple[set[str], set[str]]:
    """The runtime dependencies and the test extras pyproject.toml names."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements):
        return {canonical(NAME.match(r).group()) for r in requirements}

    return names(project["dependencies"]), names(project["optional-dependencies"]["test"])


def imported(*roots: str) -> dict[str, str]:
    """Each third-party top-level module imported under ``roots``, with one file importing it."""
    found: dict[str, str] = {}
    for root in roots:
        path = REPO / root
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            if "node_modules" in file.parts:
                continue
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in OURS:
                        found.setdefault(top, str(file.relative_to(REPO)))
    return found


def test_every_locked_version_is_the_one_installed():
    locked = pins("test.txt")
    assert len(locked) > 40  # the whole tree, not only what pyproject.toml names
    installed = {name: metadata.version(name) for name in locked}
    assert installed == locked


def test_the_run_lock_is_the_test_locks_runtime_part():
    run, test = pins("run.txt"), pins("test.txt")
    assert {n: test.get(n) for n in run} == run
    runtime, extras = declared()
    assert runtime <= set(run)
    # the linters are pinned like everything else: a release of either cannot fail CI unasked
    assert {"ruff", "mypy", "pytest"} | extras <= set(test)


def test_every_import_is_a_declared_dependency():
    runtime, extras = declared()
    providers = metadata.packages_distributions()

    def undeclared(found: dict[str, str], allowed: set[str]) -> dict[str, str]:
        return {
            module: where
            for module, where in found.items()
            if not {canonical(d) for d in providers.get(module, [module])} & allowed
        }

    assert undeclared(imported("analytics", "ui", "app_pages", "dashboard.py"), runtime) == {}
    assert undeclared(imported("tests"), runtime | extras) == {}
