"""The whole package (issue 28, point 2): the wheel holds the dashboard, its pages, its UI and the
shipped data, and serves them from a fresh environment outside any checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# the folders the wheel carries under other names: the CSVs and Streamlit's configuration
MAPPED = {"analytics.shipped_data": "data", "analytics.streamlit_config": ".streamlit"}


def setuptools_config() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]


def test_the_package_list_is_every_code_folder_and_the_data():
    folders = {
        ".".join(init.parent.relative_to(REPO).parts)
        for root in ("analytics", "ui", "app_pages")
        for init in (REPO / root).rglob("__init__.py")
    }
    config = setuptools_config()
    assert set(config["packages"]) == folders | set(MAPPED)
    assert config["package-dir"] == MAPPED
    assert config["py-modules"] == ["dashboard"]


def build_wheel(folder: Path) -> Path:
    """The wheel `pip wheel .` builds from this checkout's files, in ``folder``.

    Built from a copy of the files git knows (committed or not, never ignored): setuptools
    builds in the source folder, and a ``build/`` left by an earlier build would put modules
    since moved or deleted into the wheel.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    source = folder / "source"
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():  # a file deleted but not yet committed is listed too
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(source), "-w", folder],
        check=True,
        timeout=600,
    )
    (wheel,) = folder.glob("probation_ratings-*.whl")
    return wheel


def test_the_wheel_carries_code_pages_ui_data_and_configuration(tmp_path):
    wheel = zipfile.ZipFile(build_wheel(tmp_path))
    names = set(wheel.namelist())
    for name in ("dashboard.py", "app_pages/dashboard.py", "ui/tabs/compare.py", "ui/keyboard.py"):
        assert name in names
    shipped = sorted(n.split("/")[-1] for n in names if n.startswith("analytics/shipped_data/"))
    assert shipped == [
        "README.md",
        "events.csv",
        "inspections.csv",
        "regions.csv",
        "report_figures.csv",
        "standard_ratings.csv",
        "units.csv",
    ]  # no database, no import journal: those are built where the package runs
    config = wheel.read("analytics/streamlit_config/config.toml")
    assert config == (REPO / ".streamlit" / "config.toml").read_bytes()
