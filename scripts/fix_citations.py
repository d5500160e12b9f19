"""Rewrite citations of the design specifications into citations of the repository's docs.

The code was written from two specification files that are not part of the repository. Its
docstrings, comments, help texts and preset files cite them as ``MODEL.md §8.2``,
``AGENTS.md §2.5``, ``(MODEL.md)`` or, inside the aggregate model's modules, as a bare ``§5``.
This script rewrites every such citation into the page of ``docs/`` that carries the same
content:

* ``MODEL.md §N`` → ``docs/model.md §N``: docs/model.md keeps the specification's section and
  equation numbers (§0–§13, M1–M32), so the number does not change.
* ``AGENTS.md §N`` → ``docs/households.md §K`` by :data:`AGENTS_MAP` (docs/households.md
  numbers its sections differently; the table is written down in docs/households.md §9).
* A bare ``§N`` (no file named) → ``docs/model.md §N``, or ``docs/households.md §N`` in a file
  that cites only the household specification. Legal section signs (``Code §411``,
  ``article IX §15``) and numbers above 14 are left alone.

Usage::

    python scripts/fix_citations.py [--check] [--docs] [PATH ...]   # default PATH: src

In docs/ a bare ``§N`` is a section of the page itself and is left alone.
``--check`` rewrites nothing and exits 1 if anything would change. ``--docs`` writes the
targets relative to docs/ (``model.md §N``), for pages inside docs/. The script prints the
number of citations rewritten per file and in total. It is idempotent.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

#: AGENTS.md section → docs/households.md target. Steps of the yearly loop are items of
#: docs/households.md §2, whose list puts capital income (step 3) before wages (step 4).
AGENTS_MAP: dict[str, str] = {
    "1": "§1",
    "2": "§2",
    "2.1": "§2 (step 1)",
    "2.2": "§2 (step 2)",
    "2.3": "§2 (step 4)",
    "2.4": "§2 (step 3)",
    "2.5": "§2 (step 5)",
    "2.6": "§2 (step 6)",
    "2.7": "§2 (step 7)",
    "2.8": "§4",
    "3": "§7",
    "4": "§4",
    "5": "§8",
}

SUFFIXES = {".py", ".toml", ".md", ".txt", ".cfg"}
NUM = r"\d+(?:\.\d+)?"
# one section reference: §2, §2.5, §2.3–2.5, §1–§2 (a dash range)
SEC_RE = re.compile(rf"§ ?(?P<a>{NUM})(?:\s?[–-]\s?§?(?P<b>{NUM}))?")
# a specification name, optionally followed by a list of sections: "MODEL.md §9, §11.3"


def _sec_list() -> str:
    one = rf"§ ?{NUM}(?:\s?[–-]\s?§?{NUM})?"
    return rf"(?:(?:\s|\\\n)*{one}(?:(?:,\s?| and | or |/){one})*)?"


SPEC_RE = re.compile(
    rf"(?P<tick>`{{0,2}})(?P<spec>MODEL|AGENTS)\.md(?P=tick)(?P<secs>{_sec_list()})"
)
HOLD = "\x00"
_ONE = rf"§ ?{NUM}(?:\s?[–-]\s?§?{NUM})?"
_STEP = r"(?: \(steps? \d+(?:–\d+)?\))?"
QUALIFIED_RE = re.compile(
    rf"\.md`{{0,2}}(?: | ?\\\n)(?:{_ONE}{_STEP}|{HOLD}[^,;)\n]*?)"
    rf"(?:(?:,\s?| / | and | or |/|\s?[–-]\s?){_ONE}{_STEP})*"
)
# a bare section sign not preceded by a file name or a legal context
BARE_RE = re.compile(
    rf"(?<![\w.`/])(?<!\.md )(?<!Code )(?<!IX )(?<!IRC )(?<!U\.S\.C\. )§(?P<n>{NUM})"
    rf"(?:\s?[–-]\s?§?{NUM})?(?:(?:,\s?| / | and | or |/){_ONE})*"
)


def _steps(target: str) -> tuple[str, int | None]:
    m = re.fullmatch(r"(§\d+)(?: \(step (\d+)\))?", target)
    assert m, target
    return m.group(1), int(m.group(2)) if m.group(2) else None


def _agents_range(a: str, b: str | None) -> str:
    if b is None:
        return AGENTS_MAP.get(a, "§" + a)
    ta, tb = AGENTS_MAP.get(a, "§" + a), AGENTS_MAP.get(b, "§" + b)
    (sa, pa), (sb, pb) = _steps(ta), _steps(tb)
    if sa == sb and pa is not None and pb is not None:
        lo_hi = sorted(
            {
                int(AGENTS_MAP[k].split("step ")[1].rstrip(")"))
                for k in AGENTS_MAP
                if "step" in AGENTS_MAP[k] and float(a) <= float(k) <= float(b)
            }
        )
        return f"{sa} (steps {lo_hi[0]}–{lo_hi[-1]})"
    if sa == sb:
        return sa
    return f"{sa}–{sb}"


def _map_sections(spec: str, secs: str) -> str:
    def one(m: re.Match[str]) -> str:
        a, b = m.group("a"), m.group("b")
        if spec == "MODEL":
            return f"§{a}" if b is None else f"§{a}–{b}"
        return _agents_range(a, b)

    return SEC_RE.sub(one, secs)


def rewrite(
    text: str, *, in_docs: bool = False, bare_default: str | None = "model"
) -> tuple[str, int]:
    """Rewrite the citations in ``text``; return the new text and the number rewritten."""
    base = "" if in_docs else "docs/"
    count = 0

    def spec(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        page = "model.md" if m.group("spec") == "MODEL" else "households.md"
        tick = m.group("tick")
        secs = m.group("secs")
        lead = re.match(r"(?:\s|\\\n)*", secs).group(0) if secs else ""
        mapped = _map_sections(m.group("spec"), secs[len(lead) :]) if secs else ""
        mapped = mapped.replace("§", HOLD)  # the bare pass below must not touch these
        if mapped and "\n" in lead:  # keep a line continuation inside a TOML string
            return f"{tick}{base}{page}{tick}{lead}{mapped}"
        return f"{tick}{base}{page}{tick}" + (" " + mapped if mapped else "")

    text = SPEC_RE.sub(spec, text)
    # sections listed after an already qualified one ("docs/model.md §8.2 / §11.8") are qualified
    text = QUALIFIED_RE.sub(lambda m: m.group(0).replace("§", HOLD), text)
    if bare_default is not None:
        page = f"{base}{bare_default}.md"

        def bare(m: re.Match[str]) -> str:
            nonlocal count
            if float(m.group("n")) > 14:
                return m.group(0)
            count += 1
            return f"{page} {m.group(0)}"

        text = BARE_RE.sub(bare, text)
    return text.replace(HOLD, "§"), count


def bare_page(path: Path, text: str) -> str | None:
    """Which docs page a bare § refers to: households in the household layer's files and in
    files that cite only AGENTS.md; the aggregate model elsewhere."""
    if "households" in path.parts or ("AGENTS.md" in text and "MODEL.md" not in text):
        return "households"
    return "model"


def iter_files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_file():
            out.append(p)
        else:
            out += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix in SUFFIXES and "__pycache__" not in f.parts
            )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, default=[Path("src")])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if needed")
    ap.add_argument("--docs", action="store_true", help="targets relative to docs/")
    args = ap.parse_args(argv)
    total = 0
    for f in iter_files(args.paths):
        text = f.read_text(encoding="utf-8")
        page = None if args.docs else bare_page(f, text)  # in docs/ a bare § is the page's own
        new, n = rewrite(text, in_docs=args.docs, bare_default=page)
        if n and new != text:
            total += n
            print(f"{f}: {n}")
            if not args.check:
                f.write_text(new, encoding="utf-8")
    print(f"total: {total} citation(s) {'to rewrite' if args.check else 'rewritten'}")
    return 1 if (args.check and total) else 0


if __name__ == "__main__":
    sys.exit(main())
