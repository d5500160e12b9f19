"""OEWS loader on every staged year: layouts, markers, totals, top-codes, named errors."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from twochannel.data import OEWS_YEARS, DataError, load_oews
from twochannel.data.oews import PERCENTILE_COLUMNS, RECAP_TOPCODE_ANNUAL, TOPCODE_ANNUAL

from .helpers import replace_file

# README "Quick map" table: rows of all levels and detailed occupations per file.
ROWS_ALL = {2018: 1379, 2019: 1329, 2020: 1329, 2021: 1403, 2022: 1402, 2023: 1403, 2024: 1403}
ROWS_ALL[2025] = 1401
ROWS_DETAILED = {2018: 808, 2019: 789, 2020: 789, 2021: 831, 2022: 830, 2023: 831, 2024: 831}
ROWS_DETAILED[2025] = 830

# README: the All Occupations row (TOT_EMP, A_MEAN, A_PCT10, A_MEDIAN, A_PCT90), BLS headline.
ALL_OCCUPATIONS = {
    2018: (144_733_270, 51_960, 20_690, 38_640, 98_410),
    2019: (146_875_480, 53_490, 21_530, 39_810, 101_020),
    2020: (139_099_570, 56_310, 22_810, 41_950, 106_050),
    2021: (140_886_310, 58_260, 23_980, 45_760, 102_810),
    2022: (147_886_000, 61_900, 27_340, 46_310, 110_290),
    2023: (151_853_870, 65_470, 29_050, 48_060, 121_470),
    2024: (154_187_380, 67_920, 29_990, 49_500, 125_720),
    2025: (155_495_730, 69_770, 31_200, 50_980, 128_560),
}

#: Detailed employment adds up to the All Occupations row to within this relative gap.
#: Measured gaps (detailed sum minus total): 2018 -2,050; 2019 -2,010; 2020 -2,780 (one '**'
#: row); 2021 -740; 2022 -1,240; 2023 -700; 2024 -1,080; 2025 -13,890 (8.9e-5). Rows are
#: rounded to tens (at most ~4,200 over ~830 rows, 3e-5) and suppressed rows count as zero.
TOTAL_REL_TOL = 1e-4
MEASURED_GAP = {2018: -2050, 2019: -2010, 2020: -2780, 2021: -740, 2022: -1240, 2023: -700}
MEASURED_GAP |= {2024: -1080, 2025: -13890}

COLUMNS = [
    "year",
    "soc_code",
    "soc_title",
    "o_group",
    "tot_emp",
    "a_mean",
    *PERCENTILE_COLUMNS,
    *(f"topcoded_{c}" for c in PERCENTILE_COLUMNS),
    "a_topcode",
    "topcode_rule",
    "annual_only",
    "hourly_only",
]


@pytest.mark.parametrize("year", OEWS_YEARS)
def test_every_year_loads_tidy(shared_data_dir: Path, year: int) -> None:
    det = load_oews(year, shared_data_dir)
    allv = load_oews(year, shared_data_dir, detailed_only=False)
    assert list(det.columns) == COLUMNS
    assert len(det) == ROWS_DETAILED[year] and len(allv) == ROWS_ALL[year]
    assert (det["o_group"] == "detailed").all() and det["soc_code"].is_unique
    assert (det["year"] == year).all() and det["year"].dtype == np.int64
    assert str(det["soc_code"].dtype) == "string" and det["o_group"].dtype == "category"
    for col in ("tot_emp", "a_mean", *PERCENTILE_COLUMNS):
        assert det[col].dtype == np.float64
    assert det["soc_code"].str.fullmatch(r"\d{2}-\d{4}").all()
    # percentiles are ordered where all are published
    p = det[list(PERCENTILE_COLUMNS)].dropna()
    assert (np.diff(p.to_numpy(), axis=1) >= 0).all()


@pytest.mark.parametrize("year", OEWS_YEARS)
def test_all_occupations_row_matches_readme(shared_data_dir: Path, year: int) -> None:
    allv = load_oews(year, shared_data_dir, detailed_only=False)
    total = allv[allv["soc_code"] == "00-0000"].iloc[0]
    assert total["o_group"] == "total"
    got = tuple(total[c] for c in ("tot_emp", "a_mean", "a_pct10", "a_median", "a_pct90"))
    assert got == ALL_OCCUPATIONS[year]


@pytest.mark.parametrize("year", OEWS_YEARS)
def test_detailed_employment_adds_up_to_total(shared_data_dir: Path, year: int) -> None:
    det = load_oews(year, shared_data_dir)
    total = ALL_OCCUPATIONS[year][0]
    gap = det["tot_emp"].sum() - total
    assert abs(gap) / total < TOTAL_REL_TOL
    assert gap == MEASURED_GAP[year]


def test_2018_inserted_column_dropped_and_header_normalised(shared_data_dir: Path) -> None:
    raw = pd.read_excel(shared_data_dir / "oews/national_M2018_dl.xlsx", dtype=str)
    assert "OCC_CODE.1" in raw.columns and "OCC_GROUP" in raw.columns
    df = load_oews(2018, shared_data_dir)
    assert not any(c.startswith("occ_code") for c in df.columns)
    assert not df["soc_title"].str.contains("degree", case=False).any()


def test_markers_become_nan_with_flags(shared_data_dir: Path) -> None:
    df = load_oews(2020, shared_data_dir)
    # '**' employment: one detailed row in 2020
    assert df["tot_emp"].isna().sum() == 1
    # '*' wages: hourly-only occupations (actors, dancers, ...) have no annual wages
    assert (df.loc[df["hourly_only"], "a_mean"].isna()).all()
    # '#' top-coded: NaN and flagged, never a number
    for col in PERCENTILE_COLUMNS:
        flagged = df[f"topcoded_{col}"]
        assert df.loc[flagged, col].isna().all()


@pytest.mark.parametrize("year", [y for y in OEWS_YEARS if y != 2025])
def test_topcode_counts_and_bounds(shared_data_dir: Path, year: int) -> None:
    df = load_oews(year, shared_data_dir)
    n90 = int(df["topcoded_a_pct90"].sum())
    assert 33 <= n90 <= 51  # README: 33-51 top-coded detailed occupations in A_PCT90
    topcode = TOPCODE_ANNUAL[year]
    assert topcode is not None and (df["a_topcode"] == topcode).all()
    assert (df["topcode_rule"] == "bls").all()
    for col in PERCENTILE_COLUMNS:
        assert (df[col].dropna() < topcode).all()


@pytest.mark.parametrize("year", range(2019, 2025))
def test_topcode_matches_field_descriptions(shared_data_dir: Path, year: int) -> None:
    sheet = pd.read_excel(
        shared_data_dir / f"oews/national_M{year}_dl.xlsx", sheet_name="Field Descriptions"
    )
    text = " ".join(map(str, sheet.to_numpy().ravel()))
    assert f"{TOPCODE_ANNUAL[year]:,.0f}" in text


def test_2025_uncapped_and_recap(shared_data_dir: Path) -> None:
    raw = load_oews(2025, shared_data_dir)
    assert not raw[[f"topcoded_{c}" for c in PERCENTILE_COLUMNS]].any().any()
    assert raw["a_pct90"].max() == 742_310  # README
    assert raw["a_topcode"].isna().all() and (raw["topcode_rule"] == "none").all()
    capped = load_oews(2025, shared_data_dir, recap_2025=True)
    above = raw["a_pct90"] >= RECAP_TOPCODE_ANNUAL
    assert capped.loc[above, "a_pct90"].isna().all()
    assert (capped["topcoded_a_pct90"] == above).all() and 33 <= above.sum() <= 60
    assert (capped["a_topcode"] == RECAP_TOPCODE_ANNUAL).all()
    assert (capped["topcode_rule"] == "recap-2025").all()
    pd.testing.assert_series_equal(capped["tot_emp"], raw["tot_emp"])
    # recap has no effect on other years
    pd.testing.assert_frame_equal(
        load_oews(2024, shared_data_dir, recap_2025=True), load_oews(2024, shared_data_dir)
    )


def test_thousands_separators_and_lower_case_headers(tmp_path: Path) -> None:
    """A 2019-style file with lower-case headers and '1,234' numbers loads."""
    rel = "oews/national_M2019_dl.xlsx"
    df = pd.DataFrame(
        {
            "occ_code": ["00-0000", "11-1011"],
            "occ_title": ["All Occupations", "Chief Executives"],
            "o_group": ["total", "detailed"],
            "tot_emp": ["1,000", "1,000"],
            "a_mean": ["50,000", "200,000"],
            "a_pct10": ["20,000", "*"],
            "a_pct25": ["30,000", "~"],
            "a_median": ["40,000", "150,000"],
            "a_pct75": ["60,000", "#"],
            "a_pct90": ["90,000", "#"],
        }
    )
    (tmp_path / "oews").mkdir()
    df.to_excel(tmp_path / rel, index=False)
    out = load_oews(2019, tmp_path)
    row = out.iloc[0]
    assert row["tot_emp"] == 1000 and row["a_mean"] == 200_000 and row["a_median"] == 150_000
    assert np.isnan(row["a_pct10"]) and np.isnan(row["a_pct25"])
    assert row["topcoded_a_pct90"] and not row["topcoded_a_pct25"]


def test_missing_file_names_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"oews/national_M2022_dl\.xlsx.*not found"):
        load_oews(2022, tmp_path)


def test_unknown_year(shared_data_dir: Path) -> None:
    with pytest.raises(DataError, match="2017"):
        load_oews(2017, shared_data_dir)


def test_corrupt_workbook_names_file(linked_data_dir: Path) -> None:
    rel = "oews/national_M2023_dl.xlsx"
    good = (linked_data_dir / rel).read_bytes()
    replace_file(linked_data_dir, rel, good[: len(good) // 2])  # truncated download
    with pytest.raises(DataError, match=r"national_M2023_dl\.xlsx.*cannot read.*data check"):
        load_oews(2023, linked_data_dir)


def test_wrong_columns_name_file_and_column(linked_data_dir: Path) -> None:
    rel = "oews/national_M2021_dl.xlsx"
    df = pd.read_excel(linked_data_dir / rel, dtype=str).head(20).drop(columns=["A_PCT90"])
    buf = io.BytesIO()
    df.to_excel(buf, index=False)
    replace_file(linked_data_dir, rel, buf.getvalue())
    with pytest.raises(DataError, match=r"national_M2021_dl\.xlsx.*missing columns \['A_PCT90'\]"):
        load_oews(2021, linked_data_dir)


def test_unexpected_cell_value_names_column(linked_data_dir: Path) -> None:
    rel = "oews/national_M2021_dl.xlsx"
    df = pd.read_excel(linked_data_dir / rel, dtype=str).head(20)
    df.loc[5, "A_MEDIAN"] = "about 50k"
    buf = io.BytesIO()
    df.to_excel(buf, index=False)
    replace_file(linked_data_dir, rel, buf.getvalue())
    with pytest.raises(DataError, match=r"'about 50k' in column A_MEDIAN"):
        load_oews(2021, linked_data_dir)
