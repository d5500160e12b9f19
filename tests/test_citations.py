"""Every citation in src/ points to something that exists in docs/.

The code's docstrings, comments, help texts and preset files cite sections of the docs
(``docs/model.md §8.2``, ``docs/households.md §2 (step 5)``), equations (``M12``, ``M27–M28``)
and decisions (``decision 14`` of docs/model.md §14). This test scans src/ and checks that

* each cited section has a heading with that number in the cited page (and a cited step of
  the household year is an item of docs/households.md §2);
* each cited equation number is defined, as ``(MNN)``, in docs/model.md or docs/households.md;
* each cited decision is a numbered item of the page's decisions section;
* no citation of the design specifications (``MODEL.md``, ``AGENTS.md``, …), no bare ``§N``
  without a page, and no internal table ID such as ``T-L1`` remains
  (``scripts/fix_citations.py`` rewrites the first two).

It also checks the rewriting script itself on fixed examples.
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The tree to scan; CITATIONS_SRC points it at a rewritten copy (a dry run of the script).
SRC = Path(os.environ.get("CITATIONS_SRC", ROOT / "src"))
DOCS = ROOT / "docs"
NUM = r"\d+(?:\.\d+)?"
ONE = rf"§ ?{NUM}(?:\s?[–-]\s?§?{NUM})?(?: \(steps? \d+(?:–\d+)?\))?"
CITE_RE = re.compile(
    rf"docs/(?P<page>[\w-]+)\.md`{{0,2}}(?:\s|\\\n)*(?P<secs>{ONE}(?:(?:,\s?| / | and | or |/){ONE})*)"
)
EQ_RE = re.compile(r"\bM(\d{1,2}[ab]?)(?:\s?[–-]\s?M?(\d{1,2}[ab]?))?\b")
DECISION_RE = re.compile(r"\bdecisions? (\d+)((?:(?:, | and | or )\d+)*)")
SPEC_RE = re.compile(r"\b(MODEL|AGENTS|TARGETS|STYLE)\.md")
INTERNAL_ID_RE = re.compile(r"\bT-[A-Z]{1,2}\d")


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "fix_citations", ROOT / "scripts" / "fix_citations.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


FIX = _load_script()


def _files() -> list[Path]:
    return [p for p in FIX.iter_files([SRC]) if p.suffix in {".py", ".toml"}]


FILES = _files()


@cache
def _headings(page: str) -> set[str]:
    path = DOCS / f"{page}.md"
    if not path.exists():
        return set()
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"^#{2,4} (\d+(?:\.\d+)*)[.\s]", text, flags=re.M))


@cache
def _section_text(page: str, number: str) -> str:
    text = (DOCS / f"{page}.md").read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(number)}\..*?(?=^## |\Z)", text, flags=re.M | re.S)
    return m.group(0) if m else ""


@cache
def _equations() -> set[str]:
    text = "".join((DOCS / f).read_text(encoding="utf-8") for f in ("model.md", "households.md"))
    return set(re.findall(r"\(M(\d{1,2}[ab]?)\)", text))


@cache
def _decisions(page: str) -> set[int]:
    text = (DOCS / f"{page}.md").read_text(encoding="utf-8")
    m = re.search(r"^## [\d.]*\s*Decisions.*?(?=^## |\Z)", text, flags=re.M | re.S)
    return {int(n) for n in re.findall(r"^\s*(\d+)\. ", m.group(0), flags=re.M)} if m else set()


def _section_numbers(secs: str) -> list[tuple[str, list[int]]]:
    out: list[tuple[str, list[int]]] = []
    for m in re.finditer(
        rf"§ ?({NUM})(?:\s?[–-]\s?§?({NUM}))?(?: \(steps? (\d+)(?:–(\d+))?\))?", secs
    ):
        steps = [int(s) for s in m.group(3, 4) if s]
        out.append((m.group(1), steps))
        if m.group(2):
            out.append((m.group(2), []))
    return out


def _rel(p: Path) -> str:
    return str(p.relative_to(SRC.parent))


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_no_specification_names_or_internal_ids(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    bad = [m.group(0) for m in SPEC_RE.finditer(text)]
    bad += [m.group(0) for m in INTERNAL_ID_RE.finditer(text)]
    _, n = FIX.rewrite(text, bare_default=FIX.bare_page(path, text))
    assert not bad and n == 0, (
        f"{_rel(path)}: {sorted(set(bad))} and {n} citation(s) for scripts/fix_citations.py"
    )


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_cited_sections_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    missing = []
    for m in CITE_RE.finditer(text):
        page = m.group("page")
        for number, steps in _section_numbers(m.group("secs")):
            if number not in _headings(page):
                missing.append(f"docs/{page}.md §{number}")
            for k in range(min(steps, default=0), max(steps, default=-1) + 1):
                if not re.search(rf"^{k}\. ", _section_text(page, number), flags=re.M):
                    missing.append(f"docs/{page}.md §{number} step {k}")
    assert not missing, f"{_rel(path)} cites sections that docs/ lacks: {missing}"


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_cited_equations_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    known = _equations()
    missing = set()
    for m in EQ_RE.finditer(text):
        for eq in m.groups():
            if eq and eq not in known:
                missing.add(f"M{eq}")
    assert not missing, f"{_rel(path)} cites equations not defined in docs/: {sorted(missing)}"


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_cited_decisions_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    missing = []
    for m in DECISION_RE.finditer(text):
        before = text[max(0, m.start() - 80) : m.start()]
        pages = re.findall(r"docs/([\w-]+)\.md", before)
        page = pages[-1] if pages else "model"
        for n in [m.group(1), *re.findall(r"\d+", m.group(2))]:
            if int(n) not in _decisions(page):
                missing.append(f"docs/{page}.md decision {n}")
    assert not missing, f"{_rel(path)} cites decisions that docs/ lacks: {missing}"


def test_docs_name_no_specification() -> None:
    hits = {
        p.name: sorted(set(SPEC_RE.findall(p.read_text(encoding="utf-8"))))
        for p in DOCS.glob("*.md")
    }
    assert not {k: v for k, v in hits.items() if v}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("(MODEL.md)", "(docs/model.md)"),
        ("(MODEL.md §8.2, §11.6)", "(docs/model.md §8.2, §11.6)"),
        ("MODEL.md M12", "docs/model.md M12"),
        ("``MODEL.md`` §3", "``docs/model.md`` §3"),
        ("(AGENTS.md §2.5)", "(docs/households.md §2 (step 5))"),
        ("(AGENTS.md §2.3–2.6, §5)", "(docs/households.md §2 (steps 3–6), §8)"),
        ("AGENTS.md §3", "docs/households.md §7"),
        ("symbols of MODEL.md and AGENTS.md", "symbols of docs/model.md and docs/households.md"),
        ("the §5 system", "the docs/model.md §5 system"),
        ("of §8.2 / §11.8 vii", "of docs/model.md §8.2 / §11.8 vii"),
        ("IRC §411 and art. IX §15", "IRC §411 and art. IX §15"),
        ("MODEL.md \\\n§12 places", "docs/model.md \\\n§12 places"),
    ],
)
def test_fix_citations_examples(text: str, want: str) -> None:
    got, _ = FIX.rewrite(text)
    assert got == want
    assert FIX.rewrite(got)[1] == 0  # idempotent


def test_fix_citations_in_docs() -> None:
    assert FIX.rewrite("see MODEL.md §9", in_docs=True)[0] == "see model.md §9"


def test_agents_map_targets_exist() -> None:
    for target in FIX.AGENTS_MAP.values():
        number, step = FIX._steps(target)
        assert number.lstrip("§") in _headings("households")
        if step is not None:
            assert re.search(rf"^{step}\. ", _section_text("households", number.lstrip("§")), re.M)
