"""Regenerate the household layer's calibration tables from the raw public files.

    python scripts/make_calibration_tables.py --data-dir ../shared/data

Writes ``src/twochannel/households/data/occupations.csv`` and ``wealth_groups.json`` (with
provenance: input files and their sha256, the rules applied, and counts). See
``twochannel.households.population`` for how they are used (docs/households.md §1).

Rules:
* occupations: BLS OEWS May 2025, detailed SOC 2018 occupations (2025 is not top-coded, so
  P90 is observed for every occupation). Occupations without employment or without the
  annual P10/median/P90 are dropped; the employment share dropped is recorded.
* dispersion Δ_j = ln(P90_j/P10_j)/2.5631 (lognormal reading, docs/households.md §1);
  median_wage in USD per year.
* exposure: each index's ``exposure_01`` (rescaled to [0, 1]) attached through
  ``twochannel.data.exposure_for_oews``; occupations the index does not cover get the
  employment-weighted mean of their SOC major group (flagged in ``exposure_<index>_filled``).
* wealth groups: Fed DFA net-worth shares at the calibration quarter 2025Q3 (docs/model.md §5's
  S0 = 0.317), group minimum-wealth cutoffs divided by mean net worth per household, from the
  latest quarter that publishes cutoffs (every third year; 2022Q3).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from twochannel.data.dfa import dfa_file, load_dfa_levels, load_dfa_shares
from twochannel.data.exposure import exposure_for_oews
from twochannel.data.oews import load_oews, oews_file
from twochannel.data.registry import file_sha256, require_file
from twochannel.households.params import EXPOSURE_INDICES

OEWS_YEAR = 2025
DFA_QUARTER = "2025Q3"
Z90_MINUS_Z10 = 2.5631031
GROUPS = ("bottom50", "next40", "next9", "remaining_top1", "top01")
OUT = Path(__file__).resolve().parents[1] / "src" / "twochannel" / "households" / "data"


def occupations(data_dir: str | None) -> tuple[pd.DataFrame, dict]:
    oews = load_oews(OEWS_YEAR, data_dir)
    total_emp = float(oews["tot_emp"].sum())
    keep = oews.dropna(subset=["tot_emp", "a_pct10", "a_median", "a_pct90"])
    keep = keep[(keep["a_pct10"] > 0) & (keep["a_pct90"] >= keep["a_pct10"])].copy()
    table = pd.DataFrame(
        {
            "soc_code": keep["soc_code"].astype(str),
            "title": keep["soc_title"].astype(str),
            "employment": keep["tot_emp"].astype(float),
            "median_wage": keep["a_median"].astype(float),
            "p10_wage": keep["a_pct10"].astype(float),
            "p90_wage": keep["a_pct90"].astype(float),
        }
    ).reset_index(drop=True)
    table["dispersion"] = np.log(table["p90_wage"] / table["p10_wage"]) / Z90_MINUS_Z10
    major = table["soc_code"].str[:2]
    fills = {}
    for index in EXPOSURE_INDICES:
        exp = exposure_for_oews(index, OEWS_YEAR, data_dir)[["soc_code", "exposure_01"]]
        merged = table[["soc_code"]].merge(exp, on="soc_code", how="left")["exposure_01"]
        values = merged.to_numpy(dtype=float, copy=True)
        missing = np.isnan(values)
        w = table["employment"].to_numpy()
        for g in major[missing].unique():
            in_g = (major == g).to_numpy() & ~missing
            fill = np.average(values[in_g], weights=w[in_g]) if in_g.any() else np.nan
            values[(major == g).to_numpy() & missing] = fill
        still = np.isnan(values)
        values[still] = np.average(values[~still], weights=w[~still])
        table[f"exposure_{index}"] = values
        table[f"exposure_{index}_filled"] = missing.astype(int)
        fills[index] = {
            "occupations_filled": int(missing.sum()),
            "employment_share_filled": float(w[missing].sum() / w.sum()),
        }
    info = {
        "oews_year": OEWS_YEAR,
        "occupations": len(table),
        "employment_kept": float(table["employment"].sum()),
        "employment_share_dropped": 1.0 - float(table["employment"].sum()) / total_emp,
        "exposure_fill": fills,
    }
    return table, info


def wealth_groups(data_dir: str | None) -> dict:
    shares = load_dfa_shares(data_dir, "networth", "net_worth")
    levels = load_dfa_levels(
        data_dir, "networth", ["net_worth", "household_count", "minimum_wealth_cutoff"]
    )
    qcol = "quarter"
    sh = shares[shares[qcol] == DFA_QUARTER].set_index("group")["share"]
    lv = levels[levels[qcol] == DFA_QUARTER].pivot(
        index="group", columns="instrument", values="value"
    )
    if sh.empty or lv.empty:
        raise SystemExit(f"DFA quarter {DFA_QUARTER} not found")
    share = {g: float(sh[g]) for g in GROUPS}
    # The DFA publishes minimum-wealth cutoffs only every third year (last: 2022Q3): use the
    # latest quarter with cutoffs, relative to that quarter's mean net worth per household.
    has_cut = levels[(levels["instrument"] == "minimum_wealth_cutoff") & levels["value"].notna()]
    cut_q = str(has_cut.loc[has_cut["quarter"] <= DFA_QUARTER, "quarter"].max())
    lc = levels[levels[qcol] == cut_q].pivot(index="group", columns="instrument", values="value")
    total_nw = float(lc.loc[list(GROUPS), "net_worth"].sum())
    households = float(lc.loc[list(GROUPS), "household_count"].sum())
    mean = total_nw * 1e6 / households
    cut = [float(lc.loc[g, "minimum_wealth_cutoff"]) / mean for g in GROUPS[1:]]
    if any(not math.isfinite(c) for c in cut):
        raise SystemExit(f"DFA cutoffs missing at {cut_q}: {cut}")
    return {
        "quarter": DFA_QUARTER,
        "shares": share,
        "top1_share": share["remaining_top1"] + share["top01"],
        "cutoffs_over_mean": cut,
        "cutoff_groups": ["P50", "P90", "P99", "P99.9"],
        "cutoff_quarter": cut_q,
        "mean_net_worth_usd_at_cutoff_quarter": mean,
        "households": float(lv.loc[list(GROUPS), "household_count"].sum()),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None, help="raw data directory (TWOCHANNEL_DATA_DIR)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table, occ_info = occupations(args.data_dir)
    groups = wealth_groups(args.data_dir)
    inputs = [oews_file(OEWS_YEAR), dfa_file("networth", "shares"), dfa_file("networth", "levels")]
    provenance = {
        "generated": date.today().isoformat(),
        "script": "scripts/make_calibration_tables.py",
        "inputs": {p: file_sha256(require_file(p, args.data_dir)) for p in inputs},
        "exposure_indices": list(EXPOSURE_INDICES),
        "occupations": occ_info,
    }
    table.to_csv(out / "occupations.csv", index=False, float_format="%.6g")
    groups["provenance"] = provenance
    (out / "wealth_groups.json").write_text(json.dumps(groups, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / 'occupations.csv'} ({len(table)} occupations) and wealth_groups.json")
    print(json.dumps({k: v for k, v in groups.items() if k != "provenance"}, indent=1))
    print(json.dumps(occ_info, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
