"""World Inequality Database (WID) top income and wealth shares, as compiled by Our World in
Data (OWID), and the Chartbook of Economic Inequality.

Series (all returned as fractions of the total, 0-1):

=========================================  =============================================  =====
series                                     file (``inequality/wid/``), column              unit
=========================================  =============================================  =====
``top1_income_pretax_wid2018``             ``owid_wid2018_top1_pretax_income_share.csv``  frac.
``top1_income_pretax_wid2024``             ``owid_wid_top1_pretax_income_share_2024vin``  %
                                           ``tage.csv``, ``p99p100_share_pretax``
``top1_income_pretax_wid2024_extrapolated`` same, ``p99p100_share_pretax_extrapolated``    %
``top10_wealth_wid2018``                   ``owid_wid2018_top10_top1_wealth_shares.csv``  %
``top1_wealth_wid2018``                    same file, top 1% column                       %
``top1_wealth_wid2018_alt``                ``owid_wid2018_top1_wealth_share.csv``         frac.
``top1_wealth_chartbook2017``              ``owid_chartbook2017_top1_wealth_shares.csv``  %
=========================================  =============================================  =====

WID definitions: equal-split adults (age 20+), pre-tax national income (``sptinc992j``) and net
personal wealth (``shweal992j``). Licences: WID data CC BY 4.0, OWID compilations CC BY 4.0.
The two WID 2018 top-1% wealth series disagree: ``top1_wealth_wid2018_alt`` (OWID dataset
"Share of Top 1% in net personal wealth - WID (2018)") equals ``top1_wealth_wid2018`` (OWID
dataset "Top Net Personal Wealth Shares - WID (2018)") in 74 of the 102 US years but is 0.7-3.7
pp higher in 28 years between 1966 and 2014 (2014: 38.6% against 37.2%); the OWID files do not
say why. ``top1_wealth_wid2018`` agrees with the Chartbook series to within 0.1 pp in those
years, so it is the one to use; the other is kept for transparency.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from twochannel.data._io import corrupt, read_csv, require_columns
from twochannel.data.errors import DataError

__all__ = ["WID_SERIES", "WidSeries", "load_wid", "wid_series"]


@dataclass(frozen=True)
class WidSeries:
    """One WID/OWID series: file, column, and the divisor that turns it into a fraction."""

    name: str
    file: str
    column: str
    divisor: float
    description: str


_D = "inequality/wid/"
WID_SERIES: dict[str, WidSeries] = {
    s.name: s
    for s in (
        WidSeries(
            "top1_income_pretax_wid2018",
            _D + "owid_wid2018_top1_pretax_income_share.csv",
            "Share of Top 1% in Pre-tax national income",
            1.0,
            "Top 1% share of pre-tax national income, WID 2018 vintage (via OWID)",
        ),
        WidSeries(
            "top1_income_pretax_wid2024",
            _D + "owid_wid_top1_pretax_income_share_2024vintage.csv",
            "p99p100_share_pretax",
            100.0,
            "Top 1% share of pre-tax national income, WID 2024 vintage (OWID grapher), observed",
        ),
        WidSeries(
            "top1_income_pretax_wid2024_extrapolated",
            _D + "owid_wid_top1_pretax_income_share_2024vintage.csv",
            "p99p100_share_pretax_extrapolated",
            100.0,
            "Same, with OWID's extrapolations filling gaps",
        ),
        WidSeries(
            "top10_wealth_wid2018",
            _D + "owid_wid2018_top10_top1_wealth_shares.csv",
            "Top 10% share of net personal wealth (WID 2018)",
            100.0,
            "Top 10% share of net personal wealth, WID 2018 vintage (via OWID)",
        ),
        WidSeries(
            "top1_wealth_wid2018",
            _D + "owid_wid2018_top10_top1_wealth_shares.csv",
            "Top 1% share of net personal wealth (WID 2018)",
            100.0,
            "Top 1% share of net personal wealth, WID 2018 vintage (via OWID)",
        ),
        WidSeries(
            "top1_wealth_wid2018_alt",
            _D + "owid_wid2018_top1_wealth_share.csv",
            "Share of Top 1% in net personal wealth",
            1.0,
            "Top 1% share of net personal wealth, WID 2018 vintage, second OWID dataset (differs "
            "from top1_wealth_wid2018 in 28 US years; see the module docstring)",
        ),
        WidSeries(
            "top1_wealth_chartbook2017",
            _D + "owid_chartbook2017_top1_wealth_shares.csv",
            "Share of wealth held by top 1% (Chartbook of Economic Inequality 2017)",
            100.0,
            "Top 1% wealth share, Chartbook of Economic Inequality (Atkinson, Hasell, Morelli "
            "& Roser 2017)",
        ),
    )
}


def wid_series() -> tuple[str, ...]:
    """Names accepted by :func:`load_wid`."""
    return tuple(WID_SERIES)


def load_wid(
    series: str | list[str] | None = None,
    entity: str | None = "United States",
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Top income and wealth shares by country and year.

    Parameters
    ----------
    series : str or list of str, optional
        Series names (see :func:`wid_series`); default all.
    entity : str or None, default "United States"
        Country (OWID ``Entity``); None keeps every country.
    data_dir : str or Path, optional
        Data directory.

    Returns
    -------
    pandas.DataFrame
        Tidy rows ``series`` (string), ``entity`` (string), ``year`` (int64), ``share``
        (float64, fraction 0-1), sorted by series and year; rows without a value are dropped.

    Raises
    ------
    DataError
        Unknown series; a file missing or without the expected columns.

    Examples
    --------
    >>> w = load_wid("top1_income_pretax_wid2024")  # doctest: +SKIP
    >>> w.loc[w["year"] == 2022, "share"].item()  # doctest: +SKIP
    0.2087
    """
    names = (
        list(WID_SERIES)
        if series is None
        else ([series] if isinstance(series, str) else list(series))
    )
    unknown = [n for n in names if n not in WID_SERIES]
    if unknown:
        raise DataError(f"WID series {unknown}: unknown; choose from {', '.join(WID_SERIES)}")
    frames = []
    for name in names:
        spec = WID_SERIES[name]
        df = read_csv(spec.file, data_dir)
        require_columns(df, ["Entity", "Year", spec.column], spec.file, data_dir)
        year = pd.to_numeric(df["Year"], errors="coerce")
        value = pd.to_numeric(df[spec.column], errors="coerce")
        if year.isna().any():
            raise corrupt(spec.file, data_dir, "non-numeric Year values")
        out = pd.DataFrame(
            {
                "series": name,
                "entity": df["Entity"].astype("string").str.strip(),
                "year": year.astype("int64"),
                "share": value.astype("float64") / spec.divisor,
            }
        ).dropna(subset=["share"])
        if entity is not None:
            out = out[out["entity"] == entity]
        frames.append(out)
    res = pd.concat(frames, ignore_index=True)
    if entity is not None and res.empty:
        raise DataError(f"WID: no rows for entity {entity!r} in series {names}")
    res["series"] = res["series"].astype("string")
    bad = (res["share"] < 0) | (res["share"] > 1)
    if bad.any():
        raise DataError(
            f"WID: shares outside [0, 1] in series {sorted(set(res.loc[bad, 'series']))}"
        )
    return res.sort_values(["series", "entity", "year"]).reset_index(drop=True)
