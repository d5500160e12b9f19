"""DFA, WID/OWID and Piketty loaders on the staged files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from twochannel.data import (
    DataError,
    load_dfa_levels,
    load_dfa_shares,
    load_piketty,
    load_wid,
    piketty_tables,
    wid_series,
)

from .helpers import replace_file

#: DFA shares are published rounded to 0.1 pp; five groups sum to 1 within 5 x 0.05 pp.
DFA_SUM_TOL = 0.0025
#: README example, net-worth shares in 2026:Q1 (fractions).
README_2026Q1 = {
    "top01": 0.144,
    "remaining_top1": 0.172,
    "next9": 0.363,
    "next40": 0.296,
    "bottom50": 0.025,
}
EXACT = 1e-12  # values copied from the file, compared after division by 100
SIX_DP = 5e-7  # values quoted to six decimals (the file holds more digits)


# --- DFA ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shares(shared_data_dir: Path) -> pd.DataFrame:
    return load_dfa_shares(shared_data_dir)


def test_dfa_readme_example(shares: pd.DataFrame) -> None:
    nw = shares[(shares["instrument"] == "net_worth")].set_index(["quarter", "group"])["share"]
    for group, value in README_2026Q1.items():
        assert nw[("2026Q1", group)] == pytest.approx(value, abs=EXACT)
    assert nw[("1989Q3", "top01")] == pytest.approx(0.086, abs=EXACT)
    assert nw[("2026Q1", "top1")] == pytest.approx(0.316, abs=EXACT)
    eq = shares[shares["instrument"] == "corporate_equities_and_mutual_fund_shares"]
    top1 = eq[eq["group"] == "top1"].set_index("quarter")["share"]
    assert top1["2026Q1"] == pytest.approx(0.502, abs=EXACT)
    assert top1["1989Q3"] == pytest.approx(0.428, abs=EXACT)


def test_dfa_dates_and_groups(shares: pd.DataFrame) -> None:
    assert shares["quarter"].nunique() == 147  # 1989:Q3 ... 2026:Q1
    assert shares["date"].min() == pd.Timestamp("1989-07-01")
    assert shares["date"].max() == pd.Timestamp("2026-01-01")
    assert (shares["date"].dt.day == 1).all() and shares["date"].dt.month.isin([1, 4, 7, 10]).all()
    assert list(shares["group"].cat.categories) == [
        "top1", "top01", "remaining_top1", "next9", "next40", "bottom50",
    ]  # fmt: skip
    assert "household_count" not in set(shares["instrument"])


def test_dfa_shares_sum_to_one(shares: pd.DataFrame) -> None:
    nw = shares[(shares["instrument"] == "net_worth") & (shares["group"] != "top1")]
    total = nw.groupby("quarter")["share"].sum()
    assert (total.sub(1.0).abs() <= DFA_SUM_TOL).all()


def test_dfa_levels(shared_data_dir: Path) -> None:
    lv = load_dfa_levels(shared_data_dir, instruments=["net_worth", "household_count"])
    q = lv[lv["quarter"] == "2026Q1"].set_index(["instrument", "group"])
    assert q.loc[("net_worth", "top01"), "value"] == 25_072_282  # $25.07 trillion (README)
    assert q.loc[("net_worth", "top01"), "unit"] == "USD millions"
    assert q.loc[("household_count", "top1"), "value"] == 136_095 + 1_212_197
    assert q.loc[("household_count", "top1"), "unit"] == "households"
    cut = load_dfa_levels(shared_data_dir, instruments="minimum_wealth_cutoff")
    assert (cut["unit"] == "USD").all() and cut["value"].notna().any()


def test_dfa_income_groups(shared_data_dir: Path) -> None:
    inc = load_dfa_shares(shared_data_dir, kind="income", instruments="net_worth")
    assert set(inc["group"]) == {"top1", "p80_99", "p60_80", "p40_60", "p20_40", "bottom20"}
    total = inc.groupby("quarter")["share"].sum()
    assert (total.sub(1.0).abs() <= 6 * 0.0005).all()
    lv = load_dfa_levels(shared_data_dir, kind="income")
    assert {"minimum_income_cutoff", "maximum_income_cutoff"} <= set(lv["instrument"])


def test_dfa_errors(linked_data_dir: Path) -> None:
    with pytest.raises(DataError, match="unknown instruments"):
        load_dfa_shares(linked_data_dir, instruments="bitcoin")
    with pytest.raises(DataError, match="'wealth'"):
        load_dfa_shares(linked_data_dir, kind="wealth")  # type: ignore[arg-type]
    rel = "inequality/dfa/dfa-networth-shares-detail.csv"
    replace_file(linked_data_dir, rel, b"Date,Group,Net worth,Household count\n1989:Q3,x,1,2\n")
    with pytest.raises(DataError, match=r"dfa-networth-shares-detail\.csv.*\['Category'\]"):
        load_dfa_shares(linked_data_dir)
    (linked_data_dir / "inequality/dfa/dfa-networth-levels-detail.csv").unlink()
    with pytest.raises(DataError, match=r"dfa-networth-levels-detail\.csv.*not found"):
        load_dfa_levels(linked_data_dir)


# --- WID / OWID ---------------------------------------------------------------------------
def test_wid_us_series(shared_data_dir: Path) -> None:
    w = load_wid(data_dir=shared_data_dir)
    assert set(w["series"]) == set(wid_series())
    assert (w["entity"] == "United States").all() and w["share"].between(0, 1).all()
    v = w.set_index(["series", "year"])["share"]
    # README cross-checks: 20.2% (2014, 2018 vintage) and 20.87% (2022, 2024 vintage)
    assert v[("top1_income_pretax_wid2018", 2014)] == pytest.approx(0.202, abs=SIX_DP)
    assert v[("top1_income_pretax_wid2024", 2022)] == pytest.approx(0.2087, abs=EXACT)
    assert v[("top10_wealth_wid2018", 2014)] == pytest.approx(0.721834719, abs=1e-9)
    assert v[("top1_wealth_wid2018", 2014)] == pytest.approx(0.372446179, abs=1e-9)
    spans = w.groupby("series")["year"].agg(["min", "max"])
    assert tuple(spans.loc["top1_income_pretax_wid2024"]) == (1913, 2022)
    assert tuple(spans.loc["top1_wealth_wid2018"]) == (1913, 2014)


def test_wid_top1_wealth_files_disagree_as_documented(shared_data_dir: Path) -> None:
    w = load_wid(
        ["top1_wealth_wid2018", "top1_wealth_wid2018_alt", "top1_wealth_chartbook2017"],
        data_dir=shared_data_dir,
    )
    s = w.pivot(index="year", columns="series", values="share")
    diff = s["top1_wealth_wid2018_alt"] - s["top1_wealth_wid2018"]
    differs = diff.abs() > 1e-6
    assert differs.sum() == 28 and diff[differs].between(0.006, 0.037).all()
    gap_to_chartbook = (s["top1_wealth_wid2018"] - s["top1_wealth_chartbook2017"])[differs]
    assert gap_to_chartbook.abs().max() < 0.001


def test_wid_all_countries_and_errors(shared_data_dir: Path) -> None:
    w = load_wid("top1_income_pretax_wid2018", entity=None, data_dir=shared_data_dir)
    assert w["entity"].nunique() == 53  # README: 53 countries
    with pytest.raises(DataError, match="unknown"):
        load_wid("top1_income", data_dir=shared_data_dir)
    with pytest.raises(DataError, match="Atlantis"):
        load_wid(entity="Atlantis", data_dir=shared_data_dir)


# --- Piketty ------------------------------------------------------------------------------
@pytest.mark.parametrize("table", piketty_tables())
def test_piketty_tables_load(shared_data_dir: Path, table: str) -> None:
    df = load_piketty(table, shared_data_dir)
    assert len(df) > 10
    num = df.select_dtypes("number").drop(
        columns=["year", "start_year", "end_year"], errors="ignore"
    )
    vals = num.to_numpy().ravel()
    vals = vals[~np.isnan(vals)]
    assert (vals > -1).all() and (vals < 10).all()


def test_piketty_r_vs_g(shared_data_dir: Path) -> None:
    rg = load_piketty("TS10.3", shared_data_dir).set_index(["block", "period"])
    assert rg.loc[("fine", "1950-2012"), "r_pretax"] == pytest.approx(0.053323, abs=SIX_DP)
    assert rg.loc[("fine", "1950-2012"), "g"] == pytest.approx(0.037797, abs=SIX_DP)
    assert rg.loc[("coarse", "2100-2200"), "r_posttax"] == pytest.approx(0.043078, abs=SIX_DP)
    assert len(rg.loc["fine"]) == 9 and len(rg.loc["coarse"]) == 8
    assert (rg["r_pretax"] > rg["g"]).all()  # r > g in every period (Piketty's figure 10.9)


def test_piketty_capital_shares_cross_check(shared_data_dir: Path) -> None:
    """TS6.3's US capital share is Piketty-Zucman Table US.11 excluding government interest."""
    ts63 = load_piketty("TS6.3", shared_data_dir)
    us = ts63[ts63["country"] == "United States"].set_index("year")["capital_share"]
    us11 = load_piketty("US11", shared_data_dir).set_index("year")
    common = us.index.intersection(us11.index)
    assert len(common) == 41  # 1970-2010
    assert np.allclose(us[common], us11.loc[common, "capital_share_excl_govt_interest"], atol=1e-5)
    ts61 = load_piketty("TS6.1", shared_data_dir).set_index("year")
    assert ts61.loc[1770, "capital_share"] == pytest.approx(0.36)
    assert ts61.loc[2010, "wealth_income_ratio"] == pytest.approx(5.225548)


def test_piketty_top_wealth_and_income(shared_data_dir: Path) -> None:
    t = load_piketty("TS10.1", shared_data_dir)
    us = t[t["country"] == "United States"].set_index(["group", "year"])["share"]
    assert us[("top1", 2010)] == pytest.approx(0.338)
    assert us[("top10", 1810)] == pytest.approx(0.58)
    ts82 = load_piketty("TS8.2", shared_data_dir).set_index("year")
    assert ts82.loc[2010, "top1_income_share"] == pytest.approx(0.1977)


def test_piketty_layout_change_names_cell(linked_data_dir: Path) -> None:
    rel = "inequality/piketty2014/Chapter10TablesFigures.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "TS10.3"
    ws.cell(row=6, column=2, value="r (nominal)")
    buf = io.BytesIO()
    wb.save(buf)
    replace_file(linked_data_dir, rel, buf.getvalue())
    with pytest.raises(DataError, match=r"Chapter10TablesFigures\.xlsx.*'r \(nominal\)'"):
        load_piketty("TS10.3", linked_data_dir)
    with pytest.raises(DataError, match=r"sheet 'TS10\.1'"):
        load_piketty("TS10.1", linked_data_dir)
    with pytest.raises(DataError, match="unknown"):
        load_piketty("TS99", linked_data_dir)


# --- validation on load: shares in range, no duplicates, complete quarters, the pin -----------
_DFA_SHARES = "inequality/dfa/dfa-networth-shares-detail.csv"


def _dfa_lines(shared_data_dir: Path) -> list[str]:
    return (shared_data_dir / _DFA_SHARES).read_text(encoding="utf-8").splitlines(keepends=True)


def test_dfa_share_above_100_percent_is_refused(
    shared_data_dir: Path, linked_data_dir: Path
) -> None:
    lines = _dfa_lines(shared_data_dir)
    header = lines[0].split(",")
    col = header.index("Net worth")
    row = lines[1].split(",")
    row[col] = "150.0"
    replace_file(
        linked_data_dir, _DFA_SHARES, "".join([lines[0], ",".join(row), *lines[2:]]).encode()
    )
    with pytest.raises(DataError, match=r"outside \[0, 100\] % in column 'net_worth'"):
        load_dfa_shares(linked_data_dir)


def test_dfa_duplicated_row_is_refused(shared_data_dir: Path, linked_data_dir: Path) -> None:
    lines = _dfa_lines(shared_data_dir)
    replace_file(linked_data_dir, _DFA_SHARES, "".join([*lines, lines[1]]).encode())
    with pytest.raises(DataError, match=r"duplicated \(quarter, group\) rows"):
        load_dfa_shares(linked_data_dir)


def test_dfa_truncated_tail_is_refused(shared_data_dir: Path, linked_data_dir: Path) -> None:
    lines = _dfa_lines(shared_data_dir)
    replace_file(linked_data_dir, _DFA_SHARES, "".join(lines[:-2]).encode())
    with pytest.raises(DataError, match=r"incomplete quarters .* truncated"):
        load_dfa_shares(linked_data_dir)


def test_dfa_changed_but_valid_file_warns_with_its_name(
    shared_data_dir: Path, linked_data_dir: Path
) -> None:
    from twochannel.core.errors import TwochannelWarning

    lines = _dfa_lines(shared_data_dir)
    replace_file(linked_data_dir, _DFA_SHARES, "".join([*lines, "\n"]).encode())
    with pytest.warns(TwochannelWarning, match=r"dfa-networth-shares-detail\.csv .*pinned sha256"):
        load_dfa_shares(linked_data_dir)
