"""Federal Reserve Distributional Financial Accounts (DFA): quarterly household balance sheets
by wealth or income group, 1989:Q3 onwards.

Source: Board of Governors of the Federal Reserve System, Distributional Financial Accounts,
``dfa.zip`` (``dfa-networth-*-detail.csv`` by wealth percentile group,
``dfa-income-*-detail.csv`` by income percentile group). Staged vintage: latest quarter
2026:Q1.

Groups are renamed to lower snake case:

* by wealth (``kind="networth"``): ``top01`` (top 0.1%, DFA ``TopPt1``), ``remaining_top1``
  (99-99.9th percentile, ``RemainingTop1``), ``next9`` (90-99), ``next40`` (50-90),
  ``bottom50``; plus the convenience group ``top1`` = ``top01`` + ``remaining_top1``;
* by income (``kind="income"``): ``top1`` (``pct99to100``), ``p80_99``, ``p60_80``,
  ``p40_60``, ``p20_40``, ``bottom20`` (``pct00to20``).

Instrument names are the DFA column labels in lower snake case, e.g. ``net_worth``,
``corporate_equities_and_mutual_fund_shares``, ``miscellaneous_other_equity`` (equity in
noncorporate business).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from twochannel.data._io import corrupt, read_csv, require_columns, warn_if_not_pinned
from twochannel.data.errors import DataError

__all__ = [
    "DFA_GROUPS",
    "WEALTH_GROUPS",
    "dfa_annual_shares",
    "dfa_file",
    "dfa_wealth_groups",
    "load_dfa_levels",
    "load_dfa_shares",
]

DfaKind = Literal["networth", "income"]

#: DFA category -> group name, top to bottom.
DFA_GROUPS: dict[str, dict[str, str]] = {
    "networth": {
        "TopPt1": "top01",
        "RemainingTop1": "remaining_top1",
        "Next9": "next9",
        "Next40": "next40",
        "Bottom50": "bottom50",
    },
    "income": {
        "pct99to100": "top1",
        "pct80to99": "p80_99",
        "pct60to80": "p60_80",
        "pct40to60": "p40_60",
        "pct20to40": "p20_40",
        "pct00to20": "bottom20",
    },
}

# Columns that are not balance-sheet instruments (levels: counts and cutoffs).
_NOT_INSTRUMENTS = {
    "household_count": "households",
    "minimum_wealth_cutoff": "USD",
    "minimum_income_cutoff": "USD",
    "maximum_income_cutoff": "USD",
}


def dfa_file(kind: DfaKind, measure: Literal["levels", "shares"]) -> str:
    """Relative path of a DFA detail file, e.g. ``inequality/dfa/dfa-networth-shares-detail.csv``."""
    return f"inequality/dfa/dfa-{kind}-{measure}-detail.csv"


def _slug(label: str) -> str:
    s = label.strip().lower().replace("u.s.", "us").replace("n.e.c.", "nec")
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def _check_kind(kind: str) -> DfaKind:
    if kind not in DFA_GROUPS:
        raise DataError(f"DFA kind {kind!r}: unknown; choose 'networth' or 'income'")
    return kind  # type: ignore[return-value]


def _read(
    kind: DfaKind, measure: Literal["levels", "shares"], data_dir: str | Path | None
) -> pd.DataFrame:
    """Wide frame: date, quarter, group, then one float column per (slugged) DFA column."""
    path = dfa_file(kind, measure)
    df = read_csv(path, data_dir, dtype=str, keep_default_na=False)
    require_columns(df, ["Date", "Category", "Net worth", "Household count"], path, data_dir)
    dates = df["Date"].astype("string").str.strip()
    ok = dates.str.fullmatch(r"\d{4}:Q[1-4]").fillna(False)
    if not ok.all():
        raise corrupt(
            path, data_dir, f"dates not of the form YYYY:Qn: {dates[~ok].head(3).tolist()}"
        )
    groups = DFA_GROUPS[kind]
    cats = df["Category"].astype("string").str.strip()
    unknown = sorted(set(cats) - set(groups))
    if unknown:
        raise corrupt(path, data_dir, f"unknown Category values {unknown}; expected {list(groups)}")
    periods = pd.PeriodIndex(dates.str.replace(":", "", regex=False), freq="Q")
    out = pd.DataFrame(
        {
            "date": periods.start_time,
            "quarter": pd.Series(periods.strftime("%YQ%q"), dtype="string").to_numpy(),
            "group": cats.map(groups).to_numpy(),
        }
    )
    for col in df.columns[2:]:
        text = df[col].astype("string").str.strip()
        text = text.mask(text.isin(["", "NA", "NaN"]))
        values = pd.to_numeric(text, errors="coerce")
        bad = values.isna() & text.notna()
        if bad.any():
            raise corrupt(
                path,
                data_dir,
                f"non-numeric values in column {col!r}: {text[bad].head(3).tolist()}",
            )
        out[_slug(col)] = values.astype("float64").to_numpy()
    _check_rows(out, groups, path, data_dir)
    if measure == "shares":
        _check_shares(out, path, data_dir)
    warn_if_not_pinned(path, data_dir)
    return out


def _check_rows(
    out: pd.DataFrame, groups: dict[str, str], path: str, data_dir: str | Path | None
) -> None:
    """One row per quarter and group, and every group in every quarter (a cut-off tail or a
    duplicated row would otherwise pass silently)."""
    dup = out.duplicated(["quarter", "group"], keep=False)
    if dup.any():
        rows = out.loc[dup, ["quarter", "group"]].head(3).to_records(index=False).tolist()
        raise corrupt(path, data_dir, f"duplicated (quarter, group) rows, e.g. {rows}")
    counts = out.groupby("quarter", sort=False)["group"].nunique()
    short = counts[counts < len(groups)]
    if not short.empty:
        raise corrupt(
            path,
            data_dir,
            f"incomplete quarters (fewer than the {len(groups)} groups): "
            f"{short.index[:3].tolist()}; is the file truncated?",
        )


def _check_shares(out: pd.DataFrame, path: str, data_dir: str | Path | None) -> None:
    """Shares are percentages in [0, 100] and the groups' net-worth shares add up to 100
    (the DFA rounds each to 0.1 pp; up to 0.6 pp of rounding is allowed)."""
    values = out.drop(columns=["date", "quarter", "group"])
    values = values[[c for c in values.columns if c not in _NOT_INSTRUMENTS]]
    bad = (values < 0) | (values > 100)
    if bad.to_numpy().any():
        col = values.columns[bad.any(axis=0).to_numpy()][0]
        rows = out.loc[bad[col], "quarter"].head(3).tolist()
        raise corrupt(
            path, data_dir, f"shares outside [0, 100] % in column {col!r}, quarters {rows}"
        )
    total = out.groupby("quarter", sort=False)["net_worth"].sum()
    off = total[(total - 100.0).abs() > 0.6]
    if not off.empty:
        raise corrupt(
            path,
            data_dir,
            f"net-worth shares of the groups do not add up to 100 %: "
            f"{off.head(3).round(2).to_dict()}",
        )


def _group_categories(kind: DfaKind) -> list[str]:
    names = list(DFA_GROUPS[kind].values())
    return ["top1", *names] if kind == "networth" else names


def load_dfa_shares(
    data_dir: str | Path | None = None,
    kind: DfaKind = "networth",
    instruments: str | list[str] | None = None,
) -> pd.DataFrame:
    """Quarterly shares of each group in each balance-sheet instrument.

    Parameters
    ----------
    data_dir : str or Path, optional
        Data directory.
    kind : {"networth", "income"}, default "networth"
        Groups by wealth percentile or by income percentile.
    instruments : str or list of str, optional
        Keep only these instruments (snake-case names, e.g. ``"net_worth"``); default all.

    Returns
    -------
    pandas.DataFrame
        Tidy rows ``date`` (Timestamp, first day of the quarter), ``quarter`` (string
        ``YYYYQn``), ``group`` (ordered category, top to bottom; for ``networth`` including
        ``top1`` = ``top01`` + ``remaining_top1``), ``instrument`` (string), ``share`` (float64,
        fraction of the aggregate, i.e. the DFA percentage / 100; the DFA rounds to 0.1 pp, so
        the ``top1`` sum carries up to 0.1 pp of rounding).

    Raises
    ------
    DataError
        Unknown kind or instrument; file missing or not in the expected layout.

    Examples
    --------
    >>> s = load_dfa_shares(instruments="net_worth")  # doctest: +SKIP
    >>> s.query("quarter == '2026Q1' and group == 'top01'")["share"].item()  # doctest: +SKIP
    0.144
    """
    kind = _check_kind(kind)
    wide = _read(kind, "shares", data_dir)
    value_cols = [c for c in wide.columns[3:] if c not in _NOT_INSTRUMENTS]
    long = wide.melt(
        id_vars=["date", "quarter", "group"],
        value_vars=value_cols,
        var_name="instrument",
        value_name="share",
    )
    long["share"] = long["share"] / 100.0
    if kind == "networth":
        top = long[long["group"].isin(["top01", "remaining_top1"])]
        top1 = (
            top.groupby(["date", "quarter", "instrument"], as_index=False, sort=False)["share"]
            .sum(min_count=2)
            .assign(group="top1")
        )
        long = pd.concat([long, top1], ignore_index=True)
    long = _select(long, instruments, dfa_file(kind, "shares"))
    long["group"] = pd.Categorical(long["group"], categories=_group_categories(kind), ordered=True)
    long["instrument"] = long["instrument"].astype("string")
    long["quarter"] = long["quarter"].astype("string")
    return long.sort_values(["date", "instrument", "group"]).reset_index(drop=True)[
        ["date", "quarter", "group", "instrument", "share"]
    ]


def _select(long: pd.DataFrame, instruments: str | list[str] | None, path: str) -> pd.DataFrame:
    if instruments is None:
        return long
    wanted = [instruments] if isinstance(instruments, str) else list(instruments)
    known = set(long["instrument"])
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise DataError(
            f"{path}: unknown instruments {unknown}; available: {', '.join(sorted(known))}"
        )
    return long[long["instrument"].isin(wanted)]


def load_dfa_levels(
    data_dir: str | Path | None = None,
    kind: DfaKind = "networth",
    instruments: str | list[str] | None = None,
) -> pd.DataFrame:
    """Quarterly levels of each group's balance sheet, household counts and cutoffs.

    Parameters
    ----------
    data_dir : str or Path, optional
        Data directory.
    kind : {"networth", "income"}, default "networth"
        Groups by wealth percentile or by income percentile.
    instruments : str or list of str, optional
        Keep only these (e.g. ``["net_worth", "household_count"]``); default all.

    Returns
    -------
    pandas.DataFrame
        Tidy rows ``date``, ``quarter``, ``group`` (as in :func:`load_dfa_shares`),
        ``instrument`` (string: balance-sheet items, ``household_count``, and
        ``minimum_wealth_cutoff`` or ``minimum_income_cutoff`` / ``maximum_income_cutoff``),
        ``value`` (float64) and ``unit`` (string): ``USD millions`` for balance-sheet items
        (current dollars), ``households`` for counts, ``USD`` for cutoffs (may be NaN in the
        latest quarters). For ``networth`` the ``top1`` group sums ``top01`` and
        ``remaining_top1`` for USD-millions items and counts; its minimum wealth cutoff is
        that of ``remaining_top1``.

    Raises
    ------
    DataError
        Unknown kind or instrument; file missing or not in the expected layout.
    """
    kind = _check_kind(kind)
    wide = _read(kind, "levels", data_dir)
    long = wide.melt(
        id_vars=["date", "quarter", "group"],
        value_vars=list(wide.columns[3:]),
        var_name="instrument",
        value_name="value",
    )
    long["unit"] = long["instrument"].map(_NOT_INSTRUMENTS).fillna("USD millions")
    if kind == "networth":
        top = long[long["group"].isin(["top01", "remaining_top1"])]
        summed = (
            top[top["unit"] != "USD"]
            .groupby(["date", "quarter", "instrument", "unit"], sort=False)["value"]
            .sum(min_count=2)
            .reset_index()
        )
        cutoff = top[(top["unit"] == "USD") & (top["group"] == "remaining_top1")].drop(
            columns="group"
        )
        top1_rows: pd.DataFrame = pd.concat([summed, cutoff], ignore_index=True)
        long = pd.concat([long, top1_rows.assign(group="top1")], ignore_index=True)
    long = _select(long, instruments, dfa_file(kind, "levels"))
    long["group"] = pd.Categorical(long["group"], categories=_group_categories(kind), ordered=True)
    for col in ("instrument", "unit", "quarter"):
        long[col] = long[col].astype("string")
    long["value"] = long["value"].astype(np.float64)
    return long.sort_values(["date", "instrument", "group"]).reset_index(drop=True)[
        ["date", "quarter", "group", "instrument", "value", "unit"]
    ]


#: The five DFA wealth groups, bottom to top (the household engine's order).
WEALTH_GROUPS = ("bottom50", "next40", "next9", "remaining_top1", "top01")


def dfa_annual_shares(data_dir: str | Path | None = None, quarter: int = 3) -> pd.DataFrame:
    """Net-worth shares of the wealth groups in one quarter of every year (issue 16).

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (int), columns ``bottom50``, ``next40``, ``next9``, ``remaining_top1``,
        ``top01`` and ``top1`` (fractions of aggregate net worth) for every year whose
        quarter ``quarter`` (1-4) is published (the DFA starts in 1989:Q3).
    """
    if quarter not in (1, 2, 3, 4):
        raise DataError(f"quarter = {quarter!r} is outside the allowed range [1, 4]")
    s = load_dfa_shares(data_dir, "networth", "net_worth")
    s = s[s["quarter"].str.endswith(f"Q{quarter}")]
    wide = s.pivot_table(index="quarter", columns="group", values="share", observed=True)
    wide.index = pd.Index([int(str(q)[:4]) for q in wide.index], name="year")
    wide.columns = [str(c) for c in wide.columns]
    return wide[[*WEALTH_GROUPS, "top1"]].astype("float64")


def dfa_wealth_groups(quarter: str, data_dir: str | Path | None = None) -> dict[str, object]:
    """The household engine's starting distribution at one DFA quarter (e.g. ``"1989Q3"``):
    the five groups' net-worth shares and the minimum-wealth cutoffs P50, P90, P99, P99.9
    relative to mean net worth per household — the layout of the shipped
    ``households/data/wealth_groups.json`` (docs/households.md §1).
    """
    shares = load_dfa_shares(data_dir, "networth", "net_worth")
    sq = shares[(shares["quarter"] == quarter) & shares["group"].isin(WEALTH_GROUPS)]
    if len(sq) != len(WEALTH_GROUPS):
        raise DataError(f"DFA quarter {quarter!r}: not in {dfa_file('networth', 'shares')}")
    lv = load_dfa_levels(
        data_dir, "networth", ["net_worth", "household_count", "minimum_wealth_cutoff"]
    )
    lq = lv[(lv["quarter"] == quarter) & lv["group"].isin(WEALTH_GROUPS)]
    table: Any = lq.pivot_table(index="group", columns="instrument", values="value", observed=True)
    mean = float(table["net_worth"].sum() * 1e6 / table["household_count"].sum())
    cut = [float(table.loc[g, "minimum_wealth_cutoff"]) / mean for g in WEALTH_GROUPS[1:]]
    if not all(np.isfinite(cut)):
        raise DataError(f"DFA quarter {quarter!r}: minimum-wealth cutoffs not published")
    by_group = dict(zip(sq["group"].astype(str), sq["share"].astype(float), strict=True))
    return {
        "quarter": quarter,
        "shares": {g: by_group[g] for g in WEALTH_GROUPS},
        "top1_share": by_group["remaining_top1"] + by_group["top01"],
        "cutoffs_over_mean": cut,
        "cutoff_groups": ["P50", "P90", "P99", "P99.9"],
        "cutoff_quarter": quarter,
        "mean_net_worth_usd_at_cutoff_quarter": mean,
        "households": float(table["household_count"].sum()),
    }
