"""Regenerate the numbers of docs/validation.md from ``twochannel validate history``:

    python scripts/make_validation_doc.py [--check] [--json FILE]

runs both hindcasts with the command's defaults (20,000 households, three seeds) and rewrites
the block between the markers of :data:`twochannel.reports.validation.DOC_BEGIN` and
``DOC_END``; ``--check`` compares instead (exit 1 when the page is out of date); ``--json``
renders from a saved ``history.json`` instead of running. tests/validation/test_history.py
checks the page against a fresh run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from twochannel.core.io import write_text
from twochannel.reports.validation import DOC_BEGIN, DOC_END, run_history, validation_doc_block

DOC = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


def updated(text: str, block: str) -> str:
    """``text`` with its generated block replaced by ``block``."""
    head, sep, rest = text.partition(DOC_BEGIN)
    _, sep2, tail = rest.partition(DOC_END)
    if not sep or not sep2:
        raise SystemExit(f"{DOC}: markers {DOC_BEGIN!r} ... {DOC_END!r} not found")
    return head + block + tail


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--data-dir", default=None)
    args = ap.parse_args(argv)
    if args.json is not None:
        summary = json.loads(args.json.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            summary = run_history(tmp, args.data_dir)
    text = DOC.read_text(encoding="utf-8")
    new = updated(text, validation_doc_block(summary))
    if args.check:
        if new != text:
            print(f"{DOC} is out of date: run python scripts/make_validation_doc.py")
            return 1
        return 0
    write_text(DOC, new)
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
