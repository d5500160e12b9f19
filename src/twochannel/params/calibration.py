"""The household calibration tables shipped with the package (docs/households.md §1).

``twochannel/households/data/`` holds two tables made from the raw public files by
``scripts/make_calibration_tables.py``:

* ``occupations.csv`` — one row per detailed SOC 2018 occupation (BLS OEWS, latest year):
  employment, median annual wage, P10, P90, dispersion Δ_j = ln(P90/P10)/2.5631 and the AI
  exposure e_j ∈ [0, 1] under each index;
* ``wealth_groups.json`` — the Fed DFA net-worth shares of the five wealth groups at the
  calibration quarter, the group cutoffs relative to mean wealth, and provenance.

They sit in the bottom layer because both engines and the levers' budget read them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twochannel.core.errors import InputError

__all__ = ["CalibrationTables", "load_calibration_tables"]

_REQUIRED_COLUMNS = ("soc_code", "title", "employment", "median_wage", "dispersion")


@dataclass(frozen=True)
class CalibrationTables:
    """Occupation table and DFA wealth groups (docs/households.md §1)."""

    occupations: pd.DataFrame
    wealth_groups: dict[str, Any]
    source: str

    def exposure(self, index: str) -> np.ndarray:
        col = f"exposure_{index}"
        if col not in self.occupations:
            raise InputError(
                f"exposure index '{index}' is not in the calibration table {self.source} "
                f"(columns: {', '.join(str(c) for c in self.occupations if str(c).startswith('exposure_'))})"
            )
        return self.occupations[col].to_numpy(dtype=float)


def load_calibration_tables(directory: str | Path | None = None) -> CalibrationTables:
    """Read the calibration tables (default: the copy shipped with the package)."""
    if directory is None:
        base = resources.files("twochannel.households") / "data"
        occ_file = base / "occupations.csv"
        grp_file = base / "wealth_groups.json"
        source = "twochannel/households/data (shipped)"
    else:
        d = Path(directory)
        occ_file = d / "occupations.csv"
        grp_file = d / "wealth_groups.json"
        source = str(d)
    try:
        with resources.as_file(occ_file) as f:
            occ = pd.read_csv(f, dtype={"soc_code": str})
        with resources.as_file(grp_file) as f:
            groups = json.loads(Path(f).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"calibration tables missing or unreadable in {source}: {exc}; regenerate them "
            "with 'python scripts/make_calibration_tables.py --data-dir DIR'"
        ) from None
    missing = [c for c in _REQUIRED_COLUMNS if c not in occ]
    if missing or not {"shares", "cutoffs_over_mean"} <= set(groups):
        raise InputError(
            f"calibration tables in {source} are malformed: occupations.csv needs columns "
            f"{list(_REQUIRED_COLUMNS)} (missing {missing}); wealth_groups.json needs "
            "'shares' and 'cutoffs_over_mean'"
        )
    return CalibrationTables(occupations=occ, wealth_groups=groups, source=source)
