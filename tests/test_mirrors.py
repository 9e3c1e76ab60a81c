"""Tests mirror modules: a reader finds each module's tests by its name."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Sub-packages tested as one, by the test module named here: the families that mirror another on
# purpose (the pandas reference is the oracle the analyses are tested against; every chart,
# export and command through their package's tests).
PACKAGE_TESTS = {
    "analytics/reference": "test_oracle.py",
    "analytics/charts": "test_charts.py",
    "analytics/export": "test_export.py",
    "analytics/cli": "test_cli.py",
}


def _test_modules() -> set[str]:
    return {p.name for p in (REPO / "tests").rglob("test_*.py")}


def test_every_analytics_module_has_a_namesake_test_module():
    tests = _test_modules()
    assert set(PACKAGE_TESTS.values()) <= tests
    untested = []
    for path in sorted((REPO / "analytics").rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        package = str(path.parent.relative_to(REPO))
        if f"test_{path.name}" not in tests and package not in PACKAGE_TESTS:
            untested.append(str(path.relative_to(REPO)))
    assert untested == []


def test_every_dashboard_page_has_a_namesake_test_module():
    tests = _test_modules()
    pages = sorted(p.name for p in (REPO / "app_pages").glob("*.py") if p.name != "__init__.py")
    assert pages == ["add_inspections.py", "dashboard.py"]
    # the dashboard page is the tabs' AppTests and the browser tests in tests/e2e
    assert {"test_add_inspections.py", "test_dashboard_browser.py"} <= tests
