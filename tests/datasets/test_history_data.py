"""Loaders of the series used by the historical validation (docs/validation.md), on the staged
files: Bank of England wages and productivity, the DFA annual shares and 1989 groups, and the
shipped derived capital-share table (regenerated from the staged Piketty–Zucman data)."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest

from twochannel.data import load_piketty
from twochannel.data.dfa import WEALTH_GROUPS, dfa_annual_shares, dfa_wealth_groups
from twochannel.data.errors import DataError
from twochannel.data.historical import (
    load_boe_productivity,
    load_boe_real_wage,
    load_us_capital_share,
    us_capital_share_provenance,
)

ROOT = Path(__file__).resolve().parents[2]


def test_boe_real_wage(shared_data_dir: Path) -> None:
    df = load_boe_real_wage(shared_data_dir)
    assert df["year"].iloc[0] == 1750 and df["year"].iloc[-1] == 2015
    assert list(df.columns) == ["year", "nominal_wage", "cpi", "real_wage"]
    assert (df[["nominal_wage", "cpi", "real_wage"]] > 0).all().all()
    assert np.all(np.diff(df["year"]) == 1)


def test_boe_productivity(shared_data_dir: Path) -> None:
    df = load_boe_productivity(shared_data_dir)
    assert df["year"].iloc[0] == 1760 and 2013 in set(df["year"])
    assert df.set_index("year").loc[2013, "output_per_hour"] == pytest.approx(100.0, abs=0.5)
    # output per hour rose several-fold over the nineteenth century
    s = df.set_index("year")["output_per_hour"]
    assert s.loc[1900] > 2 * s.loc[1770]


def test_dfa_annual_shares(shared_data_dir: Path) -> None:
    df = dfa_annual_shares(shared_data_dir)
    assert df.index[0] == 1989 and df.index[-1] >= 2025
    total = df[list(WEALTH_GROUPS)].sum(axis=1)
    assert np.all(np.abs(total - 1.0) <= 0.006)
    assert df.loc[1989, "top1"] == pytest.approx(0.228)
    assert df.loc[2025, "top1"] == pytest.approx(0.316)
    with pytest.raises(DataError):
        dfa_annual_shares(shared_data_dir, quarter=5)


def test_dfa_wealth_groups_1989(shared_data_dir: Path) -> None:
    g = dfa_wealth_groups("1989Q3", shared_data_dir)
    assert set(g["shares"]) == set(WEALTH_GROUPS)
    assert g["shares"]["bottom50"] == pytest.approx(0.035)
    cut = g["cutoffs_over_mean"]
    assert len(cut) == 4 and all(a < b for a, b in itertools.pairwise(cut))
    with pytest.raises(DataError):
        dfa_wealth_groups("1980Q1", shared_data_dir)


def test_us_capital_share_table(shared_data_dir: Path) -> None:
    df = load_us_capital_share()
    assert df["year"].iloc[0] == 1989 and df["year"].iloc[-1] == 2025
    pz = load_piketty("US11", shared_data_dir).set_index("year")
    pz = pz["capital_share_excl_govt_interest"]
    t = df.set_index("year")
    for y in (1989, 2000, 2010):
        assert t.loc[y, "capital_share"] == pytest.approx(pz.loc[y], abs=1e-6)
        assert t.loc[y, "source"] == "piketty_zucman_2014"
    prov = us_capital_share_provenance()
    assert "MPU4900141" in prov["inputs"]["bls_mpu4900141"]["source"]


def test_derived_table_regenerates(shared_data_dir: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_history_tables", ROOT / "scripts" / "make_history_tables.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["--check", "--data-dir", str(shared_data_dir)]) == 0
