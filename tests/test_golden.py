"""Golden outputs: the main commands' JSON answers must not move (scripts/make_golden.py).

A change that moves results on purpose regenerates the files with
``python scripts/make_golden.py`` in a commit that says why; this test then lists every field
that differs from the stored answer.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_golden", ROOT / "scripts" / "make_golden.py")
assert _spec is not None and _spec.loader is not None
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(golden.CASES))
def test_golden(name: str) -> None:
    stored = json.loads((golden.GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    diffs = golden.differences(stored, golden.run_case(golden.CASES[name]), 1e-12, name)
    assert not diffs, "\n".join(diffs[:40])


def test_differences_lists_fields() -> None:
    old = {"a": 1.0, "b": [1, 2], "c": "x", "d": True}
    assert golden.differences(old, old, 0.0) == []
    new = {"a": 1.0 + 1e-9, "b": [1, 3], "c": "y", "d": False, "e": 0}
    diffs = golden.differences(old, new, 1e-12)
    assert {d.split(":")[0] for d in diffs} == {".a", ".b[1]", ".c", ".d", ".e"}
    assert golden.differences({"a": 1.0}, {"a": 1.0 + 1e-15}, 1e-12) == []
