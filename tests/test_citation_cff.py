"""CITATION.cff at the repository root is valid CFF 1.2.0 with the project's metadata.

Parsed with PyYAML when it is installed; otherwise a minimal line-based check of the
required top-level keys and of the references' titles and identifiers.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
REQUIRED = ("cff-version", "message", "title", "authors", "version", "license", "abstract")
SOURCES = (
    "Occupational Employment and Wage Statistics",
    "Distributional Financial Accounts",
    "World Inequality Database",
    "Capital is back",
)


def _top_level() -> dict[str, str]:
    """Top-level keys with their inline values (no YAML parser needed)."""
    return {
        m.group(1): m.group(2).strip().strip('"')
        for m in re.finditer(r"^([a-z][\w-]*):[ \t]*(.*)$", TEXT, flags=re.M)
    }


def test_required_keys_and_values() -> None:
    top = _top_level()
    for key in REQUIRED:
        assert key in top, key
    assert top["cff-version"] == "1.2.0"
    assert top["version"] == VERSION
    assert top["license"] == "MIT"
    assert "twochannel developers" in TEXT
    assert "keywords" in top and "references" in top


def test_references_name_the_data_sources_and_carry_identifiers() -> None:
    for title in SOURCES:
        assert title in TEXT, title
    entries = re.split(r"^  - type: ", TEXT.split("\nreferences:\n", 1)[1], flags=re.M)[1:]
    assert len(entries) >= 8
    for e in entries:
        assert re.search(r"^\s+(doi|url): ", e, flags=re.M), e.splitlines()[0]


def test_parses_as_yaml_when_available() -> None:
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load(TEXT)
    assert data["cff-version"] == "1.2.0" and str(data["version"]) == VERSION
    assert data["authors"] == [{"name": "twochannel developers"}]
    assert all("title" in r and "authors" in r for r in data["references"])
