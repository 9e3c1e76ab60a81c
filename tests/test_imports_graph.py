"""Imports flow one way (ARCHITECTURE.md): no cycle between the project's modules, lazy imports
and packages' own __init__ modules included (issue 29, point 3).
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROOTS = ("analytics", "ui", "app_pages")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """Module -> the project modules its import statements name (anywhere in the module).

    ``from package import name`` is an edge to the package (its namespace is read) and to
    ``package.name`` when that is a module; ``from package.module import name`` to the module
    alone. Parent packages Python runs first are not edges: a package that imports its own
    modules is no cycle, one whose module reads the package's namespace back is.
    """
    paths = [p for root in ROOTS for p in (REPO / root).rglob("*.py")]
    modules = {_module_name(p): p for p in paths} | {"dashboard": REPO / "dashboard.py"}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the package this module is in
                    base = ".".join(
                        [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                    ).strip(".")
                # the names come from the package's namespace: it is imported, and each
                # module named
                edges.add(base)
                edges |= {f"{base}.{alias.name}" for alias in node.names}
        graph[name] = {e for e in edges if e in modules and e != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected set of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_module_imports_itself_through_others():
    assert _cycles(_graph()) == []


def test_a_cycle_through_a_package_is_found():
    # the loop issue 29 found: the package's __init__ imports summary, which imported the package
    graph = {
        "analytics.reference": {"analytics.reference.summary"},
        "analytics.reference.summary": {"analytics.reference"},
        "analytics.filters": set(),
    }
    assert _cycles(graph) == [["analytics.reference", "analytics.reference.summary"]]
