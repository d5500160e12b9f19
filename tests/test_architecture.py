"""The rules of docs/architecture.md that a linter does not check: short functions and project
imports at the top of their modules. (The layer order itself is import-linter's contract in
pyproject.toml, run by .ci/run.)"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "twochannel"
MAX_FUNCTION_LINES = 150


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SRC.rglob("*.py"))]


def test_no_function_is_longer_than_150_lines() -> None:
    long = [
        f"{p.relative_to(SRC)}:{n.name} ({n.end_lineno - n.lineno + 1} lines)"
        for p, tree in _modules()
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        and (n.end_lineno or n.lineno) - n.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, long


def test_project_imports_sit_at_the_top_of_their_modules() -> None:
    """A function-local import of the project hides a dependency from the layer check."""
    hidden = []
    for p, tree in _modules():
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "twochannel"
                ):
                    hidden.append(f"{p.relative_to(SRC)}:{fn.name} imports {node.module}")
                elif isinstance(node, ast.Import) and any(
                    a.name.startswith("twochannel") for a in node.names
                ):
                    hidden.append(f"{p.relative_to(SRC)}:{fn.name}")
    assert not hidden, hidden
