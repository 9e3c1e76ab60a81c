"""The documents name files and tests that exist: a promise in SECURITY.md points at the test that
keeps it, and a moved module or test leaves no stale path behind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "SECURITY.md", "ARCHITECTURE.md", "BENCHMARKS.md")
TEST_SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "tests").rglob("*.py"))


@pytest.mark.parametrize("doc", DOCS)
def test_every_path_a_document_names_exists(doc):
    text = (REPO / doc).read_text(encoding="utf-8")
    named = set(re.findall(r"\b((?:analytics|ui|app_pages|tests)/[\w/]+\.py)\b", text))
    assert sorted(p for p in named if not (REPO / p).is_file()) == []


def test_every_test_security_md_names_is_defined():
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\b(test_\w+)", text)) - {
        n for n in re.findall(r"\b(test_\w+)\.py", text)
    }
    # a name ending in _ was cut at a parameter, as in test_x[published-*]
    missing = [n for n in sorted(named) if not re.search(rf"def {n}\w*\(", TEST_SOURCES)]
    assert missing == []
