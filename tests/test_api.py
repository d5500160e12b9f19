"""The public API (``import twochannel as tc``): every name resolves, is documented in
docs/api.md, and the page's examples run as doctests; importing the package stays light."""

from __future__ import annotations

import doctest
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import twochannel as tc

ROOT = Path(__file__).resolve().parents[1]
API_DOC = ROOT / "docs" / "api.md"

#: Libraries ``import twochannel`` must not load.
HEAVY = ("numpy", "numba", "xarray", "pandas", "scipy", "statsmodels", "pydantic", "matplotlib")


def _modules_after(code: str) -> list[str]:
    """Top-level packages loaded by running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_import_twochannel_loads_no_numerical_library() -> None:
    loaded = _modules_after("import twochannel")
    assert not [m for m in HEAVY if m in loaded]


@pytest.mark.parametrize("name", sorted(set(tc.__all__) - {"__version__"}))
def test_every_public_name_resolves(name: str) -> None:
    obj = getattr(tc, name)
    assert obj is not None
    assert name in dir(tc)


def test_unknown_name_is_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'solve_everything'"):
        tc.solve_everything  # noqa: B018


def test_every_public_name_is_documented() -> None:
    text = API_DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"`tc\.([A-Za-z_]+)`", text))
    assert set(tc.__all__) <= documented, set(tc.__all__) - documented
    assert documented - {"__all__"} <= set(tc.__all__), documented - set(tc.__all__)


@pytest.mark.slow
def test_api_doc_examples_run() -> None:
    """The ``>>>`` examples of docs/api.md, in order, in one namespace."""
    text = API_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    source = "\n".join(b for b in blocks if ">>>" in b)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(source, {"tc": tc}, "docs/api.md", str(API_DOC), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 30
    assert result.failed == 0
