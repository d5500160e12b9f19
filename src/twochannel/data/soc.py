"""Occupation codes: the BLS SOC 2010 -> SOC 2018 crosswalk and the OEWS SOC 2018 structure.

The target of every harmonisation in this package is the **OEWS SOC 2018 structure**: the
detailed codes OEWS publishes from May 2021 on (the union over 2021-2025, 831 codes). It is SOC
2018 except for a dozen OEWS aggregates that combine SOC 2018 detailed codes of one broad
group (e.g. ``13-1020`` Buyers and Purchasing Agents = 13-1021 + 13-1022 + 13-1023, ``51-2090``
= 51-2092 + 51-2099). Those aggregates are found from the data: an OEWS code that is not a SOC
2018 code in the BLS crosswalk stands for the SOC 2018 codes of its broad group (first six
characters, ``xx-xxx``) that OEWS does not publish. SOC 2018 codes that belong to no published
code (military 55-xxxx, 45-3031 fishing and hunting workers) are outside OEWS coverage.

Source: U.S. Bureau of Labor Statistics for the OMB SOC Policy Committee, *2010 SOC to 2018 SOC
crosswalk* (November 2017), ``soc_2010_to_2018_crosswalk.xlsx``; public domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from twochannel.data._io import corrupt, read_excel
from twochannel.data.oews import load_oews
from twochannel.data.registry import require_file
from twochannel.data.settings import resolve_data_dir

__all__ = [
    "CROSSWALK_FILE",
    "SOC2018_YEARS",
    "OewsStructure",
    "load_soc_crosswalk",
    "oews_soc2018_structure",
]

CROSSWALK_FILE = "crosswalks/bls_soc_2010_to_2018_crosswalk.xlsx"
#: OEWS years published on SOC 2018 codes; their detailed codes define the target structure.
SOC2018_YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025)

_CODE = re.compile(r"^\d{2}-\d{4}$")
_HEADER = ("2010 SOC Code", "2010 SOC Title", "2018 SOC Code", "2018 SOC Title")


def load_soc_crosswalk(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the BLS SOC 2010 -> SOC 2018 crosswalk.

    Parameters
    ----------
    data_dir : str or Path, optional
        Data directory.

    Returns
    -------
    pandas.DataFrame
        One row per (2010 code, 2018 code) link, 900 rows; columns ``soc2010_code``,
        ``soc2010_title``, ``soc2018_code``, ``soc2018_title`` (string). The mapping is
        many-to-many (splits and merges).

    Raises
    ------
    DataError
        File missing, sheet ``Sorted by 2010`` absent, header row not found, or bad codes.
    """
    raw = read_excel(CROSSWALK_FILE, data_dir, sheet="Sorted by 2010", header=None)
    first = raw.iloc[:30, 0].astype("string").str.strip().fillna("")
    hits = [i for i, v in enumerate(first) if v == _HEADER[0]]
    if not hits or raw.shape[1] < 4:
        raise corrupt(CROSSWALK_FILE, data_dir, "header row '2010 SOC Code' not found")
    h = hits[0]
    header = tuple(str(v).strip() for v in raw.iloc[h, :4])
    if header != _HEADER:
        raise corrupt(CROSSWALK_FILE, data_dir, f"header {header}, expected {_HEADER}")
    body = raw.iloc[h + 1 :, :4].dropna(how="all")
    body.columns = ["soc2010_code", "soc2010_title", "soc2018_code", "soc2018_title"]
    body = body.astype("string").apply(lambda s: s.str.strip())
    for col in ("soc2010_code", "soc2018_code"):
        bad = ~body[col].fillna("").str.match(_CODE)
        if bad.any():
            raise corrupt(
                CROSSWALK_FILE,
                data_dir,
                f"{col} values not of the form xx-xxxx: {body.loc[bad, col].head(3).tolist()}",
            )
    return body.reset_index(drop=True)


@dataclass(frozen=True)
class OewsStructure:
    """The OEWS SOC 2018 occupation structure (harmonisation target).

    Attributes
    ----------
    codes : frozenset of str
        Detailed codes published in OEWS 2021-2025 (union).
    titles : dict
        Code -> title (from the latest year that publishes the code).
    aggregates : dict
        OEWS aggregate code -> frozenset of the SOC 2018 detailed codes it combines.
    soc2018_to_oews : dict
        SOC 2018 detailed code (crosswalk) -> the OEWS code holding it (itself or its
        aggregate); SOC 2018 codes outside OEWS coverage are absent.
    outside : frozenset of str
        SOC 2018 codes in the crosswalk that no OEWS code covers (military, 45-3031).
    employment_2021 : dict
        Code -> May 2021 employment (persons; 0 where suppressed), the split weights of the
        panel harmonisation.
    """

    codes: frozenset[str]
    titles: dict[str, str]
    aggregates: dict[str, frozenset[str]]
    soc2018_to_oews: dict[str, str]
    outside: frozenset[str]
    employment_2021: dict[str, float]

    def to_oews(self, soc2018_code: str) -> str | None:
        """The OEWS code that holds a SOC 2018 detailed code, or None if outside coverage."""
        if soc2018_code in self.codes:
            return soc2018_code
        return self.soc2018_to_oews.get(soc2018_code)


@lru_cache(maxsize=8)
def _structure(directory: Path, stamp: tuple[int, ...]) -> OewsStructure:
    cw = load_soc_crosswalk(directory)
    soc2018 = set(cw["soc2018_code"])
    titles: dict[str, str] = {}
    codes: set[str] = set()
    employment: dict[str, float] = {}
    for year in sorted(SOC2018_YEARS, reverse=True):
        df = load_oews(year, directory)
        for code, title in zip(df["soc_code"], df["soc_title"], strict=True):
            titles.setdefault(str(code), str(title))
        codes |= set(df["soc_code"].astype(str))
        if year == 2021:
            employment = {
                str(c): float(e) if pd.notna(e) else 0.0
                for c, e in zip(df["soc_code"], df["tot_emp"], strict=True)
            }
    unpublished = soc2018 - codes
    aggregates: dict[str, frozenset[str]] = {}
    for code in sorted(codes - soc2018):
        members = frozenset(c for c in unpublished if c[:6] == code[:6])
        if not members:
            raise corrupt(
                CROSSWALK_FILE,
                directory,
                f"OEWS code {code} is neither a SOC 2018 code nor an aggregate of unpublished "
                "SOC 2018 codes of its broad group",
            )
        aggregates[code] = members
    soc2018_to_oews: dict[str, str] = {}
    for agg, members in aggregates.items():
        for m in members:
            if m in soc2018_to_oews:
                raise corrupt(
                    CROSSWALK_FILE,
                    directory,
                    f"SOC 2018 code {m} falls in two OEWS aggregates ({soc2018_to_oews[m]}, {agg})",
                )
            soc2018_to_oews[m] = agg
    outside = frozenset(unpublished - set(soc2018_to_oews))
    return OewsStructure(frozenset(codes), titles, aggregates, soc2018_to_oews, outside, employment)


def oews_soc2018_structure(data_dir: str | Path | None = None) -> OewsStructure:
    """Derive the OEWS SOC 2018 structure from the OEWS 2021-2025 files and the crosswalk.

    Parameters
    ----------
    data_dir : str or Path, optional
        Data directory.

    Returns
    -------
    OewsStructure
        Cached per data directory and file modification times.

    Raises
    ------
    DataError
        A required file is missing or corrupt, or an OEWS code fits no rule.
    """
    directory = resolve_data_dir(data_dir)
    files = [CROSSWALK_FILE] + [f"oews/national_M{y}_dl.xlsx" for y in SOC2018_YEARS]
    stamp = tuple(require_file(f, directory).stat().st_mtime_ns for f in files)
    return _structure(directory, stamp)
