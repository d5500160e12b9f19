"""BLS OEWS national cross-industry tables, May 2018 - May 2025: one tidy frame per year.

Source: U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics,
``oesmYYnat.zip -> national_MYYYY_dl.xlsx`` (public domain). Employment excludes the
self-employed; wages are nominal USD per year.

What :func:`load_oews` normalises:

* header variants: 2018 names the level column ``OCC_GROUP`` and carries an extra third column
  inserted by the uploader of the staged copy (read by pandas as ``OCC_CODE.1``; not BLS data,
  dropped); 2019 headers are lower case; numbers may carry thousands separators;
* special markers: ``*`` (wage not available), ``**`` (employment not available) and ``~``
  (fewer than 0.5% of establishments report) become NaN; ``#`` (wage at or above the top-code)
  becomes NaN with a boolean ``topcoded_<column>`` flag and the top-code in ``a_topcode``;
* May 2025 is published without top-coding; ``recap_2025=True`` re-applies the 2022-2024
  top-code ($239,200 a year) so upper percentiles compare with earlier years (values at or
  above it become NaN and flagged, ``topcode_rule = "recap-2025"``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from twochannel.data._io import corrupt, read_excel, require_columns
from twochannel.data.errors import DataError
from twochannel.data.registry import require_file
from twochannel.data.settings import resolve_data_dir

__all__ = [
    "OEWS_YEARS",
    "O_GROUPS",
    "PERCENTILE_COLUMNS",
    "RECAP_TOPCODE_ANNUAL",
    "TOPCODE_ANNUAL",
    "WAGE_COLUMNS",
    "load_oews",
    "oews_file",
]

#: Years with a staged national file.
OEWS_YEARS: tuple[int, ...] = tuple(range(2018, 2026))

#: Annual wage percentiles (nominal USD per year).
PERCENTILE_COLUMNS: tuple[str, ...] = ("a_pct10", "a_pct25", "a_median", "a_pct75", "a_pct90")
#: Mean and percentiles of annual wages (nominal USD per year).
WAGE_COLUMNS: tuple[str, ...] = ("a_mean", *PERCENTILE_COLUMNS)

#: Occupation levels, from the all-occupations total to detailed SOC codes.
O_GROUPS: tuple[str, ...] = ("total", "major", "minor", "broad", "detailed")

#: Annual-wage top-code in force for each year (USD per year); ``#`` marks values at or above
#: it. 2019-2021: $208,000 and 2022-2024: $239,200 per each file's Field Descriptions sheet;
#: 2018 has no such sheet but the same ``#`` pattern, and BLS used $208,000 from 2017; May 2025
#: is published without top-coding (None).
TOPCODE_ANNUAL: dict[int, float | None] = {
    2018: 208_000.0,
    2019: 208_000.0,
    2020: 208_000.0,
    2021: 208_000.0,
    2022: 239_200.0,
    2023: 239_200.0,
    2024: 239_200.0,
    2025: None,
}

#: Top-code re-applied to May 2025 by ``recap_2025=True`` (the 2022-2024 value, USD per year).
RECAP_TOPCODE_ANNUAL = 239_200.0

_MARKERS = frozenset({"*", "**", "#", "~"})
_CODE = re.compile(r"^\d{2}-\d{4}$")
_REQUIRED: tuple[str, ...] = ("OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP")
_REQUIRED += tuple(c.upper() for c in WAGE_COLUMNS)


def oews_file(year: int) -> str:
    """Relative path of the OEWS national file for ``year`` (e.g. ``oews/national_M2024_dl.xlsx``)."""
    return f"oews/national_M{year}_dl.xlsx"


def _check_year(year: int) -> int:
    if int(year) not in OEWS_YEARS:
        raise DataError(
            f"OEWS year {year!r}: not available; staged years are "
            f"{OEWS_YEARS[0]}-{OEWS_YEARS[-1]} (May reference period)"
        )
    return int(year)


def _parse_numeric(
    raw: pd.Series, column: str, codes: pd.Series, path: str, data_dir: str | Path | None
) -> tuple[pd.Series, pd.Series]:
    """Numbers from text cells; returns (values as float64, marker text or '' per row)."""
    text = raw.astype("string").str.strip()
    marker = text.where(text.isin(_MARKERS), "").fillna("")
    cleaned = text.where(~text.isin(_MARKERS)).str.replace(",", "", regex=False)
    values = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    bad = cleaned.notna() & (cleaned != "") & values.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise corrupt(
            path,
            data_dir,
            f"unexpected value {text.iloc[i]!r} in column {column} (occupation {codes.iloc[i]}); "
            "expected a number or one of the markers *, **, #, ~",
        )
    return values, marker


def load_oews(
    year: int,
    data_dir: str | Path | None = None,
    detailed_only: bool = True,
    recap_2025: bool = False,
) -> pd.DataFrame:
    """Load one year of OEWS national occupation employment and annual wages.

    Parameters
    ----------
    year : int
        May reference year, 2018-2025.
    data_dir : str or Path, optional
        Data directory (argument, else ``$TWOCHANNEL_DATA_DIR``, else the user cache).
    detailed_only : bool, default True
        Keep only ``detailed`` occupations (no double counting: their employment adds up to the
        All Occupations total). With False, all levels including the 00-0000 total row.
    recap_2025 : bool, default False
        For 2025 only: treat annual percentiles at or above $239,200 as top-coded (NaN and
        flagged), the rule BLS applied in 2022-2024. Ignored for other years.

    Returns
    -------
    pandas.DataFrame
        One row per occupation, columns:

        ``year`` (int64); ``soc_code`` (string, ``xx-xxxx``; SOC 2010 in 2018, OES hybrid codes
        in 2019-2020, SOC 2018 from 2021); ``soc_title`` (string); ``o_group`` (category:
        total, major, minor, broad, detailed); ``tot_emp`` (float64, persons employed, rounded
        to tens by BLS; NaN where suppressed ``**``); ``a_mean``, ``a_pct10``, ``a_pct25``,
        ``a_median``, ``a_pct75``, ``a_pct90`` (float64, nominal USD per year; NaN for ``*``,
        ``#``, ``~``); ``topcoded_a_pct10`` ... ``topcoded_a_pct90`` (bool, value at or above
        the top-code); ``a_topcode`` (float64, USD per year, NaN where none);
        ``topcode_rule`` (string: ``bls``, ``recap-2025`` or ``none``); ``annual_only`` and
        ``hourly_only`` (bool, BLS publishes only annual or only hourly wages).

    Raises
    ------
    DataError
        Year not staged; file missing, unreadable, or without the expected columns, occupation
        codes or All Occupations row.

    Examples
    --------
    >>> df = load_oews(2024)  # doctest: +SKIP
    >>> int(df["tot_emp"].sum())  # doctest: +SKIP
    154186300
    """
    year = _check_year(year)
    directory = resolve_data_dir(data_dir)
    stat = require_file(oews_file(year), directory).stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    return _load_oews(directory, year, detailed_only, recap_2025, stamp).copy()


@lru_cache(maxsize=64)
def _load_oews(
    data_dir: Path, year: int, detailed_only: bool, recap_2025: bool, stamp: tuple[int, int]
) -> pd.DataFrame:
    """Parse one year (cached per file modification time and size; callers get copies)."""
    path = oews_file(year)
    raw = read_excel(path, data_dir, sheet=0, header=0, as_str=True)
    raw.columns = [str(c).strip().upper() for c in raw.columns]
    # 2018 copy: third column inserted by the uploader (education label), not BLS data.
    raw = raw.drop(columns=[c for c in raw.columns if c.startswith("OCC_CODE.")])
    raw = raw.rename(columns={"OCC_GROUP": "O_GROUP"})
    require_columns(raw, _REQUIRED, path, data_dir)
    raw = raw.dropna(how="all")

    codes = raw["OCC_CODE"].astype("string").str.strip()
    bad = ~codes.fillna("").str.match(_CODE)
    if bad.any():
        examples = codes[bad].head(3).tolist()
        raise corrupt(path, data_dir, f"occupation codes not of the form xx-xxxx: {examples}")
    groups = raw["O_GROUP"].astype("string").str.strip().str.lower()
    unknown = sorted(set(groups.dropna()) - set(O_GROUPS))
    if unknown or groups.isna().any():
        raise corrupt(path, data_dir, f"unknown occupation levels in O_GROUP: {unknown}")
    if not (codes == "00-0000").any():
        raise corrupt(path, data_dir, "no 'All Occupations' row (OCC_CODE 00-0000)")

    out = pd.DataFrame(
        {
            "year": np.full(len(raw), year, dtype="int64"),
            "soc_code": codes.to_numpy(),
            "soc_title": raw["OCC_TITLE"].astype("string").str.strip().to_numpy(),
            "o_group": pd.Categorical(groups.to_numpy(), categories=list(O_GROUPS)),
        }
    )
    out["soc_code"] = out["soc_code"].astype("string")
    out["soc_title"] = out["soc_title"].astype("string")
    emp, _ = _parse_numeric(raw["TOT_EMP"], "TOT_EMP", codes, path, data_dir)
    out["tot_emp"] = emp.to_numpy()
    markers: dict[str, pd.Series] = {}
    for col in WAGE_COLUMNS:
        values, marker = _parse_numeric(raw[col.upper()], col.upper(), codes, path, data_dir)
        out[col] = values.to_numpy()
        markers[col] = marker.reset_index(drop=True)
    for col in PERCENTILE_COLUMNS:
        out[f"topcoded_{col}"] = (markers[col] == "#").to_numpy()

    topcode = TOPCODE_ANNUAL[year]
    rule = "bls" if topcode is not None else "none"
    if year == 2025 and recap_2025:
        topcode, rule = RECAP_TOPCODE_ANNUAL, "recap-2025"
        for col in PERCENTILE_COLUMNS:
            above = out[col] >= RECAP_TOPCODE_ANNUAL
            out.loc[above, col] = np.nan
            out[f"topcoded_{col}"] = out[f"topcoded_{col}"] | above
    out["a_topcode"] = np.float64(np.nan if topcode is None else topcode)
    out["topcode_rule"] = pd.Series(rule, index=out.index, dtype="string")
    for flag in ("ANNUAL", "HOURLY"):
        cells = raw[flag] if flag in raw.columns else pd.Series("", index=raw.index)
        out[f"{flag.lower()}_only"] = (
            cells.astype("string").str.strip().str.upper().eq("TRUE").fillna(False).to_numpy()
        )
    if detailed_only:
        out = out[out["o_group"] == "detailed"].reset_index(drop=True)
        if out.empty:
            raise corrupt(path, data_dir, "no detailed occupation rows")
    return out
