"""Regenerate the derived table of the US capital share shipped with the package (issue 16):

    python scripts/make_history_tables.py [--data-dir DIR] [--check]

writes ``src/twochannel/data/derived/us_capital_share.csv`` (year, capital_share, source) and
its provenance ``us_capital_share.json``. ``--check`` compares instead of writing (exit 1 on a
difference).

Series and transformation (docs/validation.md §1):

* 1989–2010: Piketty & Zucman (2014), Table US.11, "Capital share (excl. govt interest)" of
  US net national income (staged ``inequality/piketty2014/PikettyZucman2013_USA.xlsx``; it
  sums to one with the labour share of the same table);
* 2011–2017: held at the 2010 value (no published figure was retrievable offline);
* 2018–2022: the 2010 value minus the change since 2018 of the BLS private business sector
  labor share (series MPU4900141, Total Factor Productivity for Major Industries, annual:
  0.612, 0.614, 0.607, 0.599, 0.596 for 2018–2022; FRED page updated 2023-11-21,
  https://fred.stlouisfed.org/series/MPU4900141) — the BLS level (a share of private
  business costs) is not spliced, only its change;
* 2023–2025: held at the 2022 value.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from twochannel.core.io import write_text
from twochannel.data import load_piketty
from twochannel.data.registry import get_source

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/twochannel/data/derived"
#: BLS MPU4900141, private business sector labor share (annual), as published on FRED.
BLS_LABOR_SHARE = {2018: 0.612, 2019: 0.614, 2020: 0.607, 2021: 0.599, 2022: 0.596}
BLS_SOURCE = (
    "U.S. Bureau of Labor Statistics, Private Business Sector: Labor Share [MPU4900141], "
    "Total Factor Productivity for Major Industries, annual, retrieved from FRED, Federal "
    "Reserve Bank of St. Louis, https://fred.stlouisfed.org/series/MPU4900141 (page updated "
    "2023-11-21)"
)
FIRST, LAST = 1989, 2025


def build(data_dir: str | None) -> tuple[str, str]:
    """(CSV text, provenance JSON text)."""
    pz = load_piketty("US11", data_dir).set_index("year")["capital_share_excl_govt_interest"]
    rows = []
    last_pz = int(pz.index.max())
    base = float(pz.loc[last_pz])
    for year in range(FIRST, LAST + 1):
        if year <= last_pz:
            rows.append((year, float(pz.loc[year]), "piketty_zucman_2014"))
        elif year in BLS_LABOR_SHARE:
            change = BLS_LABOR_SHARE[year] - BLS_LABOR_SHARE[min(BLS_LABOR_SHARE)]
            rows.append((year, base - change, "bls_spliced"))
        elif year < min(BLS_LABOR_SHARE):
            rows.append((year, base, "held_2010"))
        else:
            rows.append((year, rows[-1][1], "held_2022"))
    df = pd.DataFrame(rows, columns=["year", "capital_share", "source"])
    csv = df.to_csv(index=False, float_format="%.6f", lineterminator="\n")
    src = get_source("inequality/piketty2014/PikettyZucman2013_USA.xlsx")
    prov = {
        "table": "us_capital_share.csv",
        "quantity": "capital share of US net national income (1 - labour share)",
        "years": [FIRST, LAST],
        "script": "scripts/make_history_tables.py",
        "inputs": {
            "inequality/piketty2014/PikettyZucman2013_USA.xlsx": {
                "sha256": src.sha256,
                "publisher": src.publisher,
                "table": "TableUS11, column 'Capital share (excl. govt interest)'",
                "years": [FIRST, last_pz],
            },
            "bls_mpu4900141": {"values": BLS_LABOR_SHARE, "source": BLS_SOURCE},
        },
        "transformation": (
            f"{FIRST}-{last_pz}: Piketty-Zucman as published; {last_pz + 1}-2017: held at the "
            f"{last_pz} value; 2018-2022: the {last_pz} value minus the change of the BLS labor "
            "share since 2018; 2023-2025: held at the 2022 value"
        ),
        "limitations": (
            "2011-2017 and 2023-2025 are held, not observed; the BLS series measures the "
            "private business sector (labor cost share), so only its changes are used"
        ),
    }
    return csv, json.dumps(prov, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    csv, prov = build(args.data_dir)
    files = {OUT / "us_capital_share.csv": csv, OUT / "us_capital_share.json": prov}
    if args.check:
        bad = [p for p, text in files.items() if not p.is_file() or p.read_text() != text]
        for p in bad:
            print(f"differs: {p}")
        return 1 if bad else 0
    for p, text in files.items():
        write_text(p, text)
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
