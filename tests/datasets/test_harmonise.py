"""The OEWS 2018-2025 panel on the OEWS SOC 2018 structure: rules, totals and coverage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from twochannel.data import (
    HYBRID_AGGREGATES,
    OES2018_AGGREGATES,
    OEWS_YEARS,
    harmonisation_edges,
    load_oews,
    load_oews_panel,
    load_soc_crosswalk,
    oews_panel_coverage,
    oews_soc2018_structure,
)
from twochannel.data.harmonise import HARMONISATION_LABELS

from .test_oews import ALL_OCCUPATIONS, TOTAL_REL_TOL

#: Split weights sum to one per source code up to float rounding.
WEIGHT_TOL = 1e-12
#: The panel keeps each year's detailed employment up to float summation error (persons).
PANEL_EMP_ABS_TOL = 1e-3

#: Measured shares of source detailed employment that the harmonisation maps (all 1.0: every
#: detailed code of every year reaches a target code); asserted as lower bounds.
MIN_SHARE_MAPPED = 0.9999
#: Measured shares of harmonised employment by rule (oews_panel_coverage; `twochannel data
#: coverage`): 2018 identical 81.06%, crosswalk 7.97%, crosswalk-merge 5.31%, crosswalk-split
#: 5.66%; 2019 identical 95.03%, hybrid-aggregate 4.89%, crosswalk-split 0.08% (19-3031);
#: 2020 identical 94.68%, hybrid-aggregate 5.24%, crosswalk-split 0.08%.
MIN_SHARE_IDENTICAL = {2018: 0.81, 2019: 0.95, 2020: 0.946}
MAX_SHARE_HYBRID = {2019: 0.049, 2020: 0.053}


@pytest.fixture(scope="module")
def panel(shared_data_dir: Path) -> pd.DataFrame:
    return load_oews_panel(data_dir=shared_data_dir)


@pytest.fixture(scope="module")
def coverage(shared_data_dir: Path) -> pd.DataFrame:
    return oews_panel_coverage(data_dir=shared_data_dir).set_index("year")


def test_target_structure(shared_data_dir: Path) -> None:
    s = oews_soc2018_structure(shared_data_dir)
    assert len(s.codes) == 831
    assert sorted(s.aggregates) == [
        "13-1020", "13-2020", "21-1018", "25-2052", "25-9045", "29-2010",
        "31-1120", "39-7010", "47-4090", "51-2028", "51-2090", "53-1047",
    ]  # fmt: skip
    assert s.aggregates["13-1020"] == {"13-1021", "13-1022", "13-1023"}
    assert {c[:2] for c in s.outside} == {"55", "45"} and "45-3031" in s.outside
    assert s.to_oews("51-2092") == "51-2090" and s.to_oews("15-1252") == "15-1252"
    assert s.to_oews("55-1011") is None


def test_crosswalk_layout(shared_data_dir: Path) -> None:
    cw = load_soc_crosswalk(shared_data_dir)
    assert len(cw) == 900  # README
    assert list(cw.columns) == ["soc2010_code", "soc2010_title", "soc2018_code", "soc2018_title"]
    split = cw[cw["soc2010_code"] == "15-1132"]["soc2018_code"].tolist()
    assert split == ["15-1252", "15-1253"]  # applications developers split (many-to-many)


@pytest.mark.parametrize("year", [2019, 2020])
def test_hybrid_table_partitions_unpublished_targets(shared_data_dir: Path, year: int) -> None:
    """Each hybrid aggregate maps to targets that year does not publish, without overlap, and
    together with the crosswalked codes they cover every target exactly once."""
    s = oews_soc2018_structure(shared_data_dir)
    published = set(load_oews(year, shared_data_dir)["soc_code"])
    hybrid = published - s.codes
    assert hybrid - set(HYBRID_AGGREGATES) == {"19-3031"}  # the one SOC 2010 code left
    targets = [t for code in hybrid & set(HYBRID_AGGREGATES) for t in HYBRID_AGGREGATES[code]]
    assert len(targets) == len(set(targets))
    assert set(targets) <= s.codes and not set(targets) & published
    edges = harmonisation_edges(year, shared_data_dir)
    reached = set(edges["target_code"])
    assert reached == s.codes
    per_target = edges.groupby("target_code")["source_code"].nunique()
    assert (per_target == 1).all()


def test_oes2018_table_values_are_soc2018(shared_data_dir: Path) -> None:
    s = oews_soc2018_structure(shared_data_dir)
    cw = load_soc_crosswalk(shared_data_dir)
    soc2018 = set(cw["soc2018_code"])
    assert all(c in soc2018 or c in s.codes for v in OES2018_AGGREGATES.values() for c in v)
    published = set(load_oews(2018, shared_data_dir)["soc_code"])
    not_in_crosswalk = published - set(cw["soc2010_code"])
    assert not_in_crosswalk - s.codes == set(OES2018_AGGREGATES)


@pytest.mark.parametrize("year", OEWS_YEARS)
def test_edges_weights_sum_to_one(shared_data_dir: Path, year: int) -> None:
    edges = harmonisation_edges(year, shared_data_dir)
    total = edges.groupby("source_code")["weight"].sum()
    assert np.allclose(total, 1.0, atol=WEIGHT_TOL, rtol=0)
    assert (edges["weight"] > 0).all()


@pytest.mark.parametrize("year", OEWS_YEARS)
def test_panel_keeps_detailed_total(shared_data_dir: Path, panel: pd.DataFrame, year: int) -> None:
    source = load_oews(year, shared_data_dir)["tot_emp"].sum()
    harmonised = panel.loc[panel["year"] == year, "tot_emp"].sum()
    assert abs(harmonised - source) < PANEL_EMP_ABS_TOL
    total = ALL_OCCUPATIONS[year][0]
    assert abs(harmonised - total) / total < TOTAL_REL_TOL


def test_panel_shape_and_labels(shared_data_dir: Path, panel: pd.DataFrame) -> None:
    s = oews_soc2018_structure(shared_data_dir)
    assert not panel.duplicated(["year", "soc_code"]).any()
    assert set(panel["soc_code"]) <= s.codes
    assert panel.groupby("year").size().to_dict() == {
        2018: 831, 2019: 831, 2020: 831, 2021: 831, 2022: 830, 2023: 831, 2024: 831, 2025: 830,
    }  # fmt: skip
    assert set(panel["harmonisation"].cat.categories) == set(HARMONISATION_LABELS)
    assert (panel.loc[panel["year"] >= 2021, "harmonisation"] == "soc2018").all()
    assert not (panel.loc[panel["year"] < 2021, "harmonisation"] == "soc2018").any()


@pytest.mark.parametrize("year", range(2021, 2026))
def test_panel_is_identity_from_2021(shared_data_dir: Path, panel: pd.DataFrame, year: int) -> None:
    src = load_oews(year, shared_data_dir).set_index("soc_code")
    got = panel[panel["year"] == year].set_index("soc_code")
    cols = ["tot_emp", "a_mean", "a_median", "a_pct90", "topcoded_a_pct90"]
    pd.testing.assert_frame_equal(got[cols], src.loc[got.index, cols], check_names=False)


def test_hybrid_aggregate_split(panel: pd.DataFrame, shared_data_dir: Path) -> None:
    """2019 15-1256 (software developers + QA testers) splits by 2021 employment."""
    p19 = panel[panel["year"] == 2019].set_index("soc_code")
    src = load_oews(2019, shared_data_dir).set_index("soc_code")
    e21 = load_oews(2021, shared_data_dir).set_index("soc_code")["tot_emp"]
    total = src.loc["15-1256", "tot_emp"]
    share = e21["15-1252"] / (e21["15-1252"] + e21["15-1253"])
    assert p19.loc["15-1252", "tot_emp"] == pytest.approx(total * share, rel=1e-12)
    assert p19.loc["15-1252", "harmonisation"] == "hybrid-aggregate"
    assert p19.loc["15-1252", "a_median"] == src.loc["15-1256", "a_median"]
    assert p19.loc["11-1011", "harmonisation"] == "identical"


def test_2018_crosswalk_merge_weights_wages(panel: pd.DataFrame, shared_data_dir: Path) -> None:
    """2018 SOC 2010 codes merged into one target: employment added, wages emp-weighted."""
    p18 = panel[panel["year"] == 2018].set_index("soc_code")
    merged = p18[p18["harmonisation"] == "crosswalk-merge"]
    assert len(merged) > 0
    src = load_oews(2018, shared_data_dir).set_index("soc_code")
    for code, row in merged.iterrows():
        parts = src.loc[row["source_codes"].split("; ")]
        assert row["tot_emp"] == pytest.approx(parts["tot_emp"].sum(), rel=1e-12)
        if parts["a_mean"].notna().all():
            w = parts["tot_emp"] / parts["tot_emp"].sum()
            assert row["a_mean"] == pytest.approx((w * parts["a_mean"]).sum(), rel=1e-12), code


def test_topcode_flags_propagate(panel: pd.DataFrame) -> None:
    flagged = panel[panel["topcoded_a_pct90"]]
    assert flagged["a_pct90"].isna().all()
    assert (panel.loc[panel["year"] == 2018, "topcoded_a_pct90"].sum()) >= 33


def test_coverage_numbers(coverage: pd.DataFrame) -> None:
    assert (coverage["share_mapped"] >= MIN_SHARE_MAPPED).all()
    assert (coverage["unmapped_codes"] == "").all()
    assert np.allclose(coverage["panel_emp"], coverage["mapped_emp"], rtol=1e-12)
    for year, low in MIN_SHARE_IDENTICAL.items():
        assert coverage.loc[year, "share_identical"] >= low
    for year, high in MAX_SHARE_HYBRID.items():
        assert 0.04 <= coverage.loc[year, "share_hybrid-aggregate"] <= high
    assert coverage.loc[2018, "share_crosswalk-split"] < 0.06
    shares = coverage[[f"share_{label}" for label in HARMONISATION_LABELS]].sum(axis=1)
    assert np.allclose(shares, 1.0)
