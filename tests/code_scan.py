"""Where the tree writes names out: the project's Python files and their literal collections and
strings (the tests that hold a declaration to being the only list of its names read them).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODE = [REPO / "dashboard.py"] + [
    path
    for root in ("analytics", "ui", "app_pages", "tests")
    for path in (REPO / root).rglob("*.py")
]


def spelled_out(
    names: Iterable[str], *, dict_keys: bool = False, in_order: bool = False
) -> list[str]:
    """``FILE:LINE`` of each literal list, tuple or set (with ``dict_keys``, dict too: its keys)
    holding every one of ``names``; with ``in_order``, also of each string listing them in order,
    comma-separated (a CSV header line, an SQL select list).
    """
    wanted = list(names)
    listed = re.compile(r",\s*(?:\w+\.)?".join(map(re.escape, wanted)))
    found = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.List | ast.Tuple | ast.Set) or (
                dict_keys and isinstance(node, ast.Dict)
            ):
                items = node.keys if isinstance(node, ast.Dict) else node.elts
                hit = set(wanted) <= {e.value for e in items if isinstance(e, ast.Constant)}
            elif in_order and isinstance(node, ast.Constant) and isinstance(node.value, str):
                hit = bool(listed.search(node.value))
            else:
                continue
            if hit:
                found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    return found
