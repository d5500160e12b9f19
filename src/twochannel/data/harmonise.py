"""An OEWS panel 2018-2025 on one occupation coding (the OEWS SOC 2018 structure).

Target codes: the detailed codes OEWS publishes from 2021 (see :mod:`twochannel.data.soc`).
Each source year's detailed rows are linked to target codes by *edges* (source code, target
code, weight); employment is split along the edges and wages are averaged over them.

Rules, by year
--------------
* **2021-2025** (SOC 2018): identity; ``harmonisation = "soc2018"``.
* **2019-2020** (OES hybrid SOC 2010/2018): a code that equals a target code is kept
  (``identical``). The 30 hybrid aggregates that do not exist in SOC 2018 (e.g. 15-1256
  Software Developers and Software Quality Assurance Analysts and Testers) are mapped to the
  SOC 2018 codes their titles name, :data:`HYBRID_AGGREGATES` (the BLS "OES 2019 hybrid
  structure" file was not available; every table entry is checked in the tests to cover
  exactly the target codes that the hybrid years do not publish); ``hybrid-aggregate``. The
  one pure SOC 2010 code left (19-3031 psychologists) goes through the crosswalk.
* **2018** (SOC 2010, OES 2018 codes): SOC 2010 codes go through the BLS 2010 -> 2018
  crosswalk; the OES 2018 aggregates that are not SOC 2010 codes either persist unchanged in
  the target (13-1020, 21-1018, 29-2010, 39-7010, 47-4090, 51-2028) or are mapped by
  :data:`OES2018_AGGREGATES`.

SOC 2018 codes are then moved into the OEWS aggregate that holds them, if any.

Weights (many-to-many)
----------------------
A source code linked to several target codes is split in proportion to the targets' **May 2021
employment** (the first SOC 2018 year); equal shares if all of them are zero. The weights of a
source sum to one, so harmonised employment adds up to the source year's detailed total (less
any unmapped codes, reported by :func:`oews_panel_coverage`). Wages of a target code are the
employment-weighted mean over its contributions (a percentile of merged codes is thus an
approximation, not the percentile of the merged distribution); a wage is NaN if any
contribution is NaN (missing or top-coded), and a top-code flag is set if any contribution is
top-coded.

``harmonisation`` says how a target row was obtained: ``soc2018``, ``identical`` (one source
code, same code, whole), ``crosswalk`` (one whole source under another code),
``crosswalk-merge`` (several whole sources), ``crosswalk-split`` (part of at least one split
source), ``hybrid-aggregate`` (part of a 2019-2020 hybrid aggregate).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from twochannel.data.oews import (
    OEWS_YEARS,
    PERCENTILE_COLUMNS,
    WAGE_COLUMNS,
    _check_year,
    load_oews,
    oews_file,
)
from twochannel.data.registry import require_file
from twochannel.data.settings import resolve_data_dir
from twochannel.data.soc import (
    CROSSWALK_FILE,
    SOC2018_YEARS,
    OewsStructure,
    load_soc_crosswalk,
    oews_soc2018_structure,
)

__all__ = [
    "HARMONISATION_LABELS",
    "HYBRID_AGGREGATES",
    "OES2018_AGGREGATES",
    "harmonisation_edges",
    "load_oews_panel",
    "oews_panel_coverage",
]

#: OES hybrid aggregates of May 2019 and May 2020 that are not SOC 2018 codes -> the SOC 2018
#: detailed codes named by their titles.
HYBRID_AGGREGATES: dict[str, tuple[str, ...]] = {
    "11-2030": ("11-2032", "11-2033"),  # Public Relations and Fundraising Managers
    "11-3010": ("11-3012", "11-3013"),  # Administrative Services and Facilities Managers
    # Personal Service Managers, All Other; Entertainment and Recreation Managers, Except
    # Gambling; and Managers, All Other
    "11-9198": ("11-9072", "11-9179", "11-9199"),
    "13-1198": ("13-1082", "13-1199"),  # Project Management Specialists and Business Ops, AO
    "13-2098": ("13-2051", "13-2054", "13-2099"),  # Financial and Investment Analysts, ...
    "15-1245": ("15-1242", "15-1243"),  # Database Administrators and Architects
    "15-1256": ("15-1252", "15-1253"),  # Software Developers and Software QA Analysts/Testers
    "15-1257": ("15-1254", "15-1255"),  # Web Developers and Digital Interface Designers
    "15-2098": ("15-2051", "15-2099"),  # Data Scientists and Mathematical Science Occs, AO
    "17-3098": ("17-3028", "17-3029"),  # Calibration Technologists ... Engineering Techs, AO
    "19-4010": ("19-4012", "19-4013"),  # Agricultural and Food Science Technicians
    "19-4045": ("19-4043", "19-4044"),  # Geological and Hydrologic Technicians
    "25-3097": ("25-3041", "25-3099"),  # Tutors and Teachers and Instructors, All Other
    "27-2090": ("27-2091", "27-2099"),  # Misc. Entertainers and Performers, Sports and Related
    "27-4098": ("27-4015", "27-4099"),  # Lighting Technicians and Media and Comm. Equip., AO
    # Physicians, All Other; and Ophthalmologists, Except Pediatric
    "29-1228": (
        "29-1212",
        "29-1213",
        "29-1214",
        "29-1217",
        "29-1222",
        "29-1224",
        "29-1229",
        "29-1241",
    ),
    "29-1248": ("29-1242", "29-1243", "29-1249"),  # Surgeons, Except Ophthalmologists
    "29-1298": ("29-1291", "29-1299"),  # Acupuncturists and Healthcare Diagnosing ..., AO
    "29-2040": ("29-2042", "29-2043"),  # Emergency Medical Technicians and Paramedics
    "29-2098": ("29-2036", "29-2072", "29-2099"),  # Medical Dosimetrists, Records Specialists..
    "29-9098": ("29-9021", "29-9093", "29-9099"),  # Health Information Technologists, ...
    "33-1090": ("33-1091", "33-1099"),  # Misc. First-Line Supervisors, Protective Service
    "33-9098": ("33-9094", "33-9099"),  # School Bus Monitors and Protective Service, AO
    "39-1098": ("39-1014", "39-1022"),  # First-Line Supervisors of Personal Service and E&R
    "39-9098": ("39-4012", "39-9099"),  # Crematory Operators and Personal Care and Service, AO
    "47-5097": ("47-5023", "47-5032"),  # Earth Drillers ...; and Explosives Workers ...
    "47-5098": ("47-5049", "47-5099"),  # Underground Mining Machine Operators and Extraction AO
    "53-3058": ("53-3051", "53-3053", "53-3054"),  # Passenger Vehicle Drivers, Except Transit
    "53-6098": ("53-6032", "53-6099"),  # Aircraft Service Attendants and Transportation, AO
}

#: OES May 2018 aggregates that are neither SOC 2010 codes nor target codes -> SOC 2018 codes.
OES2018_AGGREGATES: dict[str, tuple[str, ...]] = {
    "15-2090": ("15-2051", "15-2099"),  # Misc. Mathematical Science Occupations (15-2091+2099)
    "25-3097": ("25-3041", "25-3099"),  # Teachers and Instructors, AO, Except Substitute
    "25-3098": ("25-3031",),  # Substitute Teachers
    "39-1010": ("39-1013",),  # First-Line Supervisors of Gaming Workers (39-1011+1012)
    "51-2098": ("51-2092", "51-2099"),  # Assemblers and Fabricators, AO, Incl. Team Assemblers
    # First-Line Supervisors of Transportation and Material Moving Workers, Except Aircraft
    # Cargo Handling Supervisors (SOC 2010 53-1021 + 53-1031)
    "53-1048": ("53-1042", "53-1043", "53-1044", "53-1049"),
}

HARMONISATION_LABELS: tuple[str, ...] = (
    "soc2018",
    "identical",
    "crosswalk",
    "crosswalk-merge",
    "crosswalk-split",
    "hybrid-aggregate",
)


def _targets(codes: Iterable[str], structure: OewsStructure) -> list[str]:
    found = {structure.to_oews(c) for c in codes}
    return sorted(c for c in found if c is not None)


def harmonisation_edges(year: int, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Links from one year's detailed OEWS codes to the OEWS SOC 2018 target codes.

    Parameters
    ----------
    year : int
        2018-2025.
    data_dir : str or Path, optional
        Data directory.

    Returns
    -------
    pandas.DataFrame
        Columns ``source_code``, ``target_code`` (string), ``weight`` (float64, the share of
        the source's employment given to the target; weights of a source sum to 1), ``kind``
        (``soc2018``, ``identical``, ``crosswalk``, ``oes-aggregate``, ``hybrid-aggregate``).
        Source codes with no target (outside OEWS SOC 2018 coverage) have no edge.
    """
    year = _check_year(year)
    directory = resolve_data_dir(data_dir)
    files = [CROSSWALK_FILE, oews_file(year), *(oews_file(y) for y in SOC2018_YEARS)]
    stamp = tuple(require_file(f, directory).stat().st_mtime_ns for f in files)
    return _edges(directory, year, stamp).copy()


@lru_cache(maxsize=32)
def _edges(data_dir: Path, year: int, stamp: tuple[int, ...]) -> pd.DataFrame:
    structure = oews_soc2018_structure(data_dir)
    source = load_oews(year, data_dir)
    cw = load_soc_crosswalk(data_dir)
    by_2010 = cw.groupby("soc2010_code")["soc2018_code"].agg(list).to_dict()
    rows: list[tuple[str, str, str]] = []
    for code in source["soc_code"].astype(str):
        targets: list[str] = []
        kind = ""
        if year >= 2021:
            targets, kind = ([code], "soc2018") if code in structure.codes else ([], "")
        elif year >= 2019:
            if code in structure.codes:
                targets, kind = [code], "identical"
            elif code in HYBRID_AGGREGATES:
                targets, kind = _targets(HYBRID_AGGREGATES[code], structure), "hybrid-aggregate"
            elif code in by_2010:
                targets, kind = _targets(by_2010[code], structure), "crosswalk"
        else:
            if code in by_2010:
                targets, kind = _targets(by_2010[code], structure), "crosswalk"
            elif code in structure.codes:
                targets, kind = [code], "identical"
            elif code in OES2018_AGGREGATES:
                targets, kind = _targets(OES2018_AGGREGATES[code], structure), "oes-aggregate"
            if kind == "crosswalk" and targets == [code]:
                kind = "identical"
        rows.extend((code, t, kind) for t in targets)
    edges = pd.DataFrame(rows, columns=["source_code", "target_code", "kind"])
    emp = edges["target_code"].map(structure.employment_2021).fillna(0.0).astype("float64")
    total = emp.groupby(edges["source_code"]).transform("sum")
    n = edges.groupby("source_code")["target_code"].transform("size").astype("float64")
    edges["weight"] = np.where(total > 0, emp / total.where(total > 0, 1.0), 1.0 / n)
    for col in ("source_code", "target_code", "kind"):
        edges[col] = edges[col].astype("string")
    return edges[["source_code", "target_code", "weight", "kind"]]


def _harmonise_year(
    year: int, data_dir: str | Path | None, recap_2025: bool, structure: OewsStructure
) -> pd.DataFrame:
    src = load_oews(year, data_dir, recap_2025=recap_2025)
    edges = harmonisation_edges(year, data_dir)
    m = edges.merge(src, left_on="source_code", right_on="soc_code", how="left")
    m["alloc"] = m["tot_emp"] * m["weight"]
    g = m.groupby("target_code", sort=True)
    # Wage weights: allocated employment; if a target has none (suppressed), the edge weights.
    ww = m["alloc"].fillna(0.0)
    ww = ww.where(ww.groupby(m["target_code"]).transform("sum") > 0, m["weight"])
    out = pd.DataFrame(index=g.size().index)
    out["tot_emp"] = g["alloc"].sum(min_count=1)
    for col in WAGE_COLUMNS:
        v = m[col]
        num = (v.fillna(0.0) * ww).groupby(m["target_code"]).sum()
        den = ww.groupby(m["target_code"]).sum()
        any_nan = (v.isna() & (m["weight"] > 0)).groupby(m["target_code"]).any()
        out[col] = (num / den).where(~any_nan)
    for col in PERCENTILE_COLUMNS:
        out[f"topcoded_{col}"] = g[f"topcoded_{col}"].any()
    out["a_topcode"] = g["a_topcode"].first()
    out["topcode_rule"] = g["topcode_rule"].first()
    out["annual_only"] = g["annual_only"].any()
    out["hourly_only"] = g["hourly_only"].any()
    out["n_sources"] = g["source_code"].nunique().astype("int64")
    out["source_codes"] = g["source_code"].agg(lambda s: "; ".join(sorted(set(map(str, s)))))
    split = g["weight"].min() < 1.0 - 1e-12
    kinds = g["kind"].agg(lambda s: ",".join(sorted(set(map(str, s)))))
    label = pd.Series("crosswalk", index=out.index, dtype="object")
    label[(out["n_sources"] == 1) & (kinds == "identical") & ~split] = "identical"
    label[(out["n_sources"] > 1) & ~split] = "crosswalk-merge"
    label[split] = "crosswalk-split"
    label[kinds.str.contains("hybrid-aggregate", regex=False)] = "hybrid-aggregate"
    label[kinds == "soc2018"] = "soc2018"
    out["harmonisation"] = pd.Categorical(label, categories=list(HARMONISATION_LABELS))
    out = out.reset_index().rename(columns={"target_code": "soc_code"})
    out.insert(0, "year", np.int64(year))
    out.insert(2, "soc_title", out["soc_code"].map(structure.titles).astype("string"))
    out["soc_code"] = out["soc_code"].astype("string")
    out["topcode_rule"] = out["topcode_rule"].astype("string")
    return out


def load_oews_panel(
    years: Iterable[int] = OEWS_YEARS,
    data_dir: str | Path | None = None,
    recap_2025: bool = False,
) -> pd.DataFrame:
    """OEWS detailed occupations 2018-2025 harmonised to the OEWS SOC 2018 structure.

    Parameters
    ----------
    years : iterable of int, default 2018-2025
        May reference years.
    data_dir : str or Path, optional
        Data directory.
    recap_2025 : bool, default False
        Re-apply the $239,200 top-code to May 2025 (see :func:`~twochannel.data.load_oews`).

    Returns
    -------
    pandas.DataFrame
        One row per (year, target code) with ``year``, ``soc_code``, ``soc_title``,
        ``tot_emp`` (persons, float: split codes receive fractional employment), ``a_mean``
        and the annual percentiles (nominal USD per year), ``topcoded_*`` flags, ``a_topcode``,
        ``topcode_rule``, ``annual_only``, ``hourly_only``, ``n_sources`` (int, source codes
        contributing), ``source_codes`` (string, ``"; "``-joined) and ``harmonisation``
        (category, see the module docstring).

    Raises
    ------
    DataError
        A required file is missing or corrupt.
    """
    structure = oews_soc2018_structure(data_dir)
    frames = [_harmonise_year(int(y), data_dir, recap_2025, structure) for y in years]
    return pd.concat(frames, ignore_index=True)


def oews_panel_coverage(
    years: Iterable[int] = OEWS_YEARS, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """How much of each year's detailed employment the harmonisation maps.

    Parameters
    ----------
    years : iterable of int, default 2018-2025
    data_dir : str or Path, optional

    Returns
    -------
    pandas.DataFrame
        Per year: ``source_codes`` (detailed codes in the file), ``unmapped_codes`` (codes with
        no target, ``"; "``-joined), ``source_emp`` and ``mapped_emp`` (persons),
        ``share_mapped`` (fraction of source employment with a target), ``panel_emp``
        (harmonised total, equal to ``mapped_emp`` up to rounding), ``target_codes``, and
        ``share_<label>``: the fraction of harmonised employment in rows of each
        ``harmonisation`` label.
    """
    structure = oews_soc2018_structure(data_dir)
    rows = []
    for y in years:
        src = load_oews(int(y), data_dir)
        edges = harmonisation_edges(int(y), data_dir)
        mapped = src["soc_code"].isin(set(edges["source_code"]))
        panel = _harmonise_year(int(y), data_dir, False, structure)
        row: dict[str, object] = {
            "year": int(y),
            "source_codes": len(src),
            "unmapped_codes": "; ".join(sorted(src.loc[~mapped, "soc_code"].astype(str))),
            "source_emp": float(src["tot_emp"].sum()),
            "mapped_emp": float(src.loc[mapped, "tot_emp"].sum()),
        }
        row["share_mapped"] = row["mapped_emp"] / row["source_emp"]  # type: ignore[operator]
        row["panel_emp"] = float(panel["tot_emp"].sum())
        row["target_codes"] = len(panel)
        by_label = panel.groupby("harmonisation", observed=False)["tot_emp"].sum()
        for label in HARMONISATION_LABELS:
            row[f"share_{label}"] = float(by_label.get(label, 0.0)) / row["panel_emp"]  # type: ignore[operator]
        rows.append(row)
    return pd.DataFrame(rows)
