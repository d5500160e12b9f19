"""Occupation-level AI exposure indices keyed to SOC 2018 detailed codes.

Every index is returned on 6-digit SOC 2018 codes with its raw value (``exposure``, in the
source's units) and a rescaled value in [0, 1] for the model (``exposure_01``, min-max over the
index's occupations; ``exposure_rank`` gives the percentile rank instead).

How each source is keyed to SOC 2018
------------------------------------
* O*NET-SOC 2019 codes (``xx-xxxx.xx``, Eloundou et al.): truncated to ``xx-xxxx`` and the
  O*NET occupations of one SOC code averaged (unweighted; O*NET has no employment weights).
* SOC 2018 codes (Tomlinson et al., Anthropic Economic Index): used as they are.
* SOC 2010 codes (Felten-Raj-Seamans AIOE, Eisfeldt-Schubert-Zhang): through the BLS SOC 2010
  -> 2018 crosswalk; a SOC 2018 code linked to several SOC 2010 codes takes their unweighted
  mean, and a SOC 2010 code split into several SOC 2018 codes gives each its value. Source
  codes absent from the crosswalk (the AIOE aggregate 19-1020, whose members are listed
  separately) are dropped.
* Webb (2020) is keyed to ``occ1990dd`` (Autor-Dorn): each O*NET-SOC 2010 occupation in Webb's
  ``onet_to_occ1990dd`` crosswalk takes its occ1990dd's ``pct_ai``; O*NET codes are truncated
  to SOC 2010 and averaged, then taken to SOC 2018 through the BLS crosswalk as above.

Rows whose source value is missing are dropped before aggregation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from twochannel.data._io import corrupt, read_csv, read_excel, require_columns
from twochannel.data.errors import DataError
from twochannel.data.oews import load_oews
from twochannel.data.soc import load_soc_crosswalk, oews_soc2018_structure

__all__ = [
    "EXPOSURE_INDICES",
    "ExposureIndex",
    "exposure_coverage",
    "exposure_for_oews",
    "exposure_indices",
    "load_exposure",
]

_ELOUNDOU = "exposure/eloundou_gpts_occ_level.csv"
_AIOE = "exposure/felten_AIOE_DataAppendix.xlsx"
_AIOE_LM = "exposure/felten_language_modeling_AIOE_AIIE.xlsx"
_AIOE_IG = "exposure/felten_image_generation_AIOE_AIIE.xlsx"
_TOMLINSON = "exposure/tomlinson_soc_ai_applicability_scores.csv"
_ANTHROPIC = "exposure/anthropic_aei_job_exposure.csv"
_EISFELDT = "exposure/eisfeldt_genaiexp_estz_occscores.csv"
_WEBB = "exposure/webb_exposure_by_occ1990dd_lswt2010.csv"
_WEBB_XWALK = "exposure/webb_onet_to_occ1990dd.csv"


@dataclass(frozen=True)
class ExposureIndex:
    """Description of one exposure index.

    Attributes
    ----------
    name : str
        Key accepted by :func:`load_exposure`.
    files : tuple of str
        Data files read (relative paths).
    column : str
        Source column used as the raw exposure.
    coding : str
        Occupation coding of the source.
    unit : str
        Units of the raw ``exposure``.
    description : str
        What the index measures, and its citation.
    """

    name: str
    files: tuple[str, ...]
    column: str
    coding: str
    unit: str
    description: str


EXPOSURE_INDICES: dict[str, ExposureIndex] = {
    i.name: i
    for i in (
        ExposureIndex(
            "eloundou",
            (_ELOUNDOU,),
            "dv_rating_beta",
            "O*NET-SOC 2019",
            "share of tasks exposed (0-1)",
            "GPT-4-rated LLM exposure, beta = E1 + 0.5*E2; Eloundou, Manning, Mishkin & Rock "
            "(2024, Science), 'GPTs are GPTs'",
        ),
        ExposureIndex(
            "eloundou_human",
            (_ELOUNDOU,),
            "human_rating_beta",
            "O*NET-SOC 2019",
            "share of tasks exposed (0-1)",
            "Human-annotator LLM exposure, beta = E1 + 0.5*E2; Eloundou et al. (2024)",
        ),
        ExposureIndex(
            "aioe",
            (_AIOE,),
            "AIOE",
            "SOC 2010",
            "standardised score",
            "AI Occupational Exposure; Felten, Raj & Seamans (2021, SMJ), Appendix A",
        ),
        ExposureIndex(
            "aioe_language",
            (_AIOE_LM,),
            "Language Modeling AIOE",
            "SOC 2010",
            "standardised score",
            "AIOE for language modelling; Felten, Raj & Seamans (2023)",
        ),
        ExposureIndex(
            "aioe_image",
            (_AIOE_IG,),
            "Image Generation AIOE",
            "SOC 2010",
            "standardised score",
            "AIOE for image generation; Felten, Raj & Seamans (2023)",
        ),
        ExposureIndex(
            "tomlinson",
            (_TOMLINSON,),
            "ai_applicability_score",
            "SOC 2018",
            "score (0-1)",
            "AI applicability from Bing Copilot conversations; Tomlinson, Jaffe, Wang, Counts "
            "& Suri (2025), Microsoft Research",
        ),
        ExposureIndex(
            "anthropic",
            (_ANTHROPIC,),
            "observed_exposure",
            "SOC 2018",
            "share of tasks with observed usage (0-1)",
            "Observed exposure from Claude usage; Anthropic Economic Index",
        ),
        ExposureIndex(
            "eisfeldt",
            (_EISFELDT,),
            "genaiexp_estz_total",
            "SOC 2010",
            "share of tasks exposed (0-1)",
            "Generative-AI exposure, all tasks; Eisfeldt, Schubert & Zhang (2023)",
        ),
        ExposureIndex(
            "webb",
            (_WEBB, _WEBB_XWALK),
            "pct_ai",
            "occ1990dd via O*NET-SOC 2010",
            "percentile (0-100), 2010 labour-supply weighted",
            "Patent-based exposure to AI; Webb (2020), 'The Impact of Artificial Intelligence "
            "on the Labor Market'",
        ),
    )
}


def exposure_indices() -> tuple[str, ...]:
    """Names accepted by :func:`load_exposure` (the first is the default, ``eloundou``)."""
    return tuple(EXPOSURE_INDICES)


def _numeric(df: pd.DataFrame, column: str, path: str, data_dir: str | Path | None) -> pd.Series:
    values = pd.to_numeric(df[column], errors="coerce")
    text = df[column].astype("string").str.strip()
    bad = values.isna() & text.notna() & (text != "") & (text.str.upper() != "NA")
    if bad.any():
        raise corrupt(
            path, data_dir, f"non-numeric values in column {column!r}: {text[bad].head(3).tolist()}"
        )
    return values.astype("float64")


def _codes(
    df: pd.DataFrame, column: str, pattern: str, path: str, data_dir: str | Path | None
) -> pd.Series:
    codes = df[column].astype("string").str.strip()
    bad = ~codes.fillna("").str.fullmatch(pattern)
    if bad.any():
        raise corrupt(
            path,
            data_dir,
            f"codes in {column!r} not of the expected form: {codes[bad].head(3).tolist()}",
        )
    return codes


def _frame(code: pd.Series, value: pd.Series) -> pd.DataFrame:
    df = pd.DataFrame({"code": code.to_numpy(), "value": value.to_numpy()})
    return df.dropna(subset=["value"])


def _from_soc2010(src: pd.DataFrame, data_dir: str | Path | None) -> pd.DataFrame:
    """SOC 2010 (code, value) -> SOC 2018 (soc_code, exposure, n_source_codes)."""
    per_2010 = src.groupby("code", as_index=False)["value"].mean()
    cw = load_soc_crosswalk(data_dir)[["soc2010_code", "soc2018_code"]]
    m = cw.merge(per_2010, left_on="soc2010_code", right_on="code", how="inner")
    return (
        m.groupby("soc2018_code")
        .agg(exposure=("value", "mean"), n_source_codes=("soc2010_code", "nunique"))
        .reset_index()
        .rename(columns={"soc2018_code": "soc_code"})
    )


def _same_code(src: pd.DataFrame) -> pd.DataFrame:
    return (
        src.groupby("code")
        .agg(exposure=("value", "mean"), n_source_codes=("value", "size"))
        .reset_index()
        .rename(columns={"code": "soc_code"})
    )


def _read_eloundou(column: str, data_dir: str | Path | None) -> pd.DataFrame:
    df = read_csv(_ELOUNDOU, data_dir, dtype=str)
    require_columns(df, ["O*NET-SOC Code", column], _ELOUNDOU, data_dir)
    codes = _codes(df, "O*NET-SOC Code", r"\d{2}-\d{4}\.\d{2}", _ELOUNDOU, data_dir)
    return _same_code(_frame(codes.str.slice(0, 7), _numeric(df, column, _ELOUNDOU, data_dir)))


def _read_felten(path: str, sheet: str, column: str, data_dir: str | Path | None) -> pd.DataFrame:
    df = read_excel(path, data_dir, sheet=sheet, header=0, as_str=True)
    df.columns = [str(c).strip() for c in df.columns]
    require_columns(df, ["SOC Code", column], path, data_dir)
    df = df.dropna(subset=["SOC Code"])
    codes = _codes(df, "SOC Code", r"\d{2}-\d{4}", path, data_dir)
    return _from_soc2010(_frame(codes, _numeric(df, column, path, data_dir)), data_dir)


def _read_simple_2018(
    path: str, code_col: str, column: str, data_dir: str | Path | None
) -> pd.DataFrame:
    df = read_csv(path, data_dir, dtype=str)
    require_columns(df, [code_col, column], path, data_dir)
    codes = _codes(df, code_col, r"\d{2}-\d{4}", path, data_dir)
    return _same_code(_frame(codes, _numeric(df, column, path, data_dir)))


def _read_eisfeldt(data_dir: str | Path | None) -> pd.DataFrame:
    col = EXPOSURE_INDICES["eisfeldt"].column
    df = read_csv(_EISFELDT, data_dir, dtype=str)
    require_columns(df, ["soc2010", col], _EISFELDT, data_dir)
    codes = _codes(df, "soc2010", r"\d{2}-\d{4}", _EISFELDT, data_dir)
    return _from_soc2010(_frame(codes, _numeric(df, col, _EISFELDT, data_dir)), data_dir)


def _read_webb(data_dir: str | Path | None) -> pd.DataFrame:
    exp = read_csv(_WEBB, data_dir, dtype=str)
    require_columns(exp, ["occ1990dd", "pct_ai"], _WEBB, data_dir)
    xw = read_csv(_WEBB_XWALK, data_dir, dtype=str)
    require_columns(xw, ["onetsoccode", "occ1990dd"], _WEBB_XWALK, data_dir)
    occ_exp = _numeric(exp, "occ1990dd", _WEBB, data_dir)
    occ_xw = _numeric(xw, "occ1990dd", _WEBB_XWALK, data_dir)
    by_occ = pd.Series(_numeric(exp, "pct_ai", _WEBB, data_dir).to_numpy(), index=occ_exp)
    by_occ = by_occ[~by_occ.index.duplicated()]
    onet = _codes(xw, "onetsoccode", r"\d{2}-\d{4}\.\d{2}", _WEBB_XWALK, data_dir)
    value = pd.Series(occ_xw.map(by_occ).to_numpy(), dtype="float64")
    return _from_soc2010(_frame(onet.str.slice(0, 7), value), data_dir)


_READERS: dict[str, Callable[[str | Path | None], pd.DataFrame]] = {
    "eloundou": lambda d: _read_eloundou("dv_rating_beta", d),
    "eloundou_human": lambda d: _read_eloundou("human_rating_beta", d),
    "aioe": lambda d: _read_felten(_AIOE, "Appendix A", "AIOE", d),
    "aioe_language": lambda d: _read_felten(_AIOE_LM, "LM AIOE", "Language Modeling AIOE", d),
    "aioe_image": lambda d: _read_felten(_AIOE_IG, "IG AIOE", "Image Generation AIOE", d),
    "tomlinson": lambda d: _read_simple_2018(_TOMLINSON, "SOC Code", "ai_applicability_score", d),
    "anthropic": lambda d: _read_simple_2018(_ANTHROPIC, "occ_code", "observed_exposure", d),
    "eisfeldt": _read_eisfeldt,
    "webb": _read_webb,
}


def _check_index(index: str) -> ExposureIndex:
    if index not in EXPOSURE_INDICES:
        raise DataError(
            f"exposure index {index!r}: unknown; choose one of {', '.join(exposure_indices())}"
        )
    return EXPOSURE_INDICES[index]


def load_exposure(index: str = "eloundou", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load an occupation AI exposure index on SOC 2018 detailed codes.

    Parameters
    ----------
    index : str, default "eloundou"
        One of :func:`exposure_indices`: ``eloundou`` (GPT-4 rating ``dv_rating_beta``),
        ``eloundou_human`` (``human_rating_beta``), ``aioe``, ``aioe_language``,
        ``aioe_image``, ``tomlinson`` (``ai_applicability_score``), ``anthropic``
        (``observed_exposure``), ``eisfeldt`` (``genaiexp_estz_total``), ``webb`` (``pct_ai``).
    data_dir : str or Path, optional
        Data directory.

    Returns
    -------
    pandas.DataFrame
        One row per SOC 2018 code, sorted: ``soc_code`` (string ``xx-xxxx``), ``exposure``
        (float64, raw value in the source's units, see ``attrs["unit"]``), ``exposure_01``
        (float64 in [0, 1]: (x - min) / (max - min) over the rows), ``exposure_rank`` (float64
        in (0, 1]: percentile rank, ties averaged), ``n_source_codes`` (int64: source codes
        averaged into the row). ``attrs`` holds ``index``, ``column``, ``coding``, ``unit``,
        ``description`` and ``files``.

    Raises
    ------
    DataError
        Unknown index; a file missing, unreadable or without the expected columns or codes.
    """
    spec = _check_index(index)
    df = _READERS[index](data_dir)
    if df.empty:
        raise corrupt(spec.files[0], data_dir, "no occupation with a value")
    df = df.sort_values("soc_code").reset_index(drop=True)
    x = df["exposure"].astype("float64")
    span = float(x.max() - x.min())
    df["exposure"] = x
    df["exposure_01"] = (x - x.min()) / span if span > 0 else 0.0
    df["exposure_rank"] = x.rank(pct=True, method="average")
    df["n_source_codes"] = df["n_source_codes"].astype("int64")
    df["soc_code"] = df["soc_code"].astype("string")
    df = df[["soc_code", "exposure", "exposure_01", "exposure_rank", "n_source_codes"]]
    df.attrs.update(
        index=spec.name,
        column=spec.column,
        coding=spec.coding,
        unit=spec.unit,
        description=spec.description,
        files=list(spec.files),
    )
    return df


def exposure_for_oews(
    index: str = "eloundou", year: int = 2024, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """Attach an exposure index to the detailed occupations of an OEWS SOC 2018 year.

    Parameters
    ----------
    index : str, default "eloundou"
        See :func:`load_exposure`.
    year : int, default 2024
        OEWS year on SOC 2018 codes (2021-2025).
    data_dir : str or Path, optional

    Returns
    -------
    pandas.DataFrame
        The OEWS detailed rows (``soc_code``, ``soc_title``, ``tot_emp``) with ``exposure``,
        ``exposure_01``, ``exposure_rank`` and ``match``: ``exact`` (the code is in the index),
        ``aggregate`` (an OEWS aggregate such as 13-1020 that the index lists by its SOC 2018
        members; unweighted mean of the members present) or ``none`` (NaN exposure).
    """
    if int(year) < 2021:
        raise DataError(
            f"OEWS year {year}: exposure_for_oews needs a SOC 2018 year (2021-2025); use "
            "load_oews_panel for earlier years"
        )
    exp = load_exposure(index, data_dir)
    oews = load_oews(int(year), data_dir)[["soc_code", "soc_title", "tot_emp"]]
    structure = oews_soc2018_structure(data_dir)
    cols = ["exposure", "exposure_01", "exposure_rank"]
    by_code = exp.set_index(exp["soc_code"].astype(str))[cols]
    out = oews.copy()
    codes = out["soc_code"].astype(str)
    exact = by_code.reindex(codes.to_numpy())
    links = [
        (code, m)
        for code in codes
        for m in sorted(structure.aggregates.get(code, ()))
        if m in by_code.index
    ]
    link = pd.DataFrame(links, columns=["code", "member"])
    means = by_code.loc[link["member"]].set_axis(link["code"]).groupby(level=0).mean()
    agg = means.reindex(codes.to_numpy()).reset_index(drop=True)
    exact = exact.reset_index(drop=True)
    has_exact = exact["exposure"].notna()
    has_agg = agg["exposure"].notna() & ~has_exact
    for c in cols:
        out[c] = np.where(has_exact, exact[c], agg[c]).astype("float64")
    out["match"] = pd.Categorical(
        np.where(has_exact, "exact", np.where(has_agg, "aggregate", "none")),
        categories=["exact", "aggregate", "none"],
    )
    out.attrs.update(exp.attrs)
    return out


def exposure_coverage(
    index: str = "eloundou", year: int = 2024, data_dir: str | Path | None = None
) -> dict[str, float | int | str]:
    """Coverage of an OEWS year's detailed occupations by an exposure index.

    Returns
    -------
    dict
        ``index``, ``year``, ``codes`` (OEWS detailed codes), ``matched_codes`` and
        ``emp_share`` (exact SOC code matches; the convention of the data README's table),
        ``matched_codes_with_aggregates`` and ``emp_share_with_aggregates`` (also counting OEWS
        aggregates filled from their SOC 2018 members). Shares are fractions of OEWS detailed
        employment.
    """
    df = exposure_for_oews(index, year, data_dir)
    emp = df["tot_emp"].fillna(0.0)
    total = float(emp.sum())
    exact = df["match"] == "exact"
    anyv = df["match"] != "none"
    return {
        "index": index,
        "year": int(year),
        "codes": len(df),
        "matched_codes": int(exact.sum()),
        "emp_share": float(emp[exact].sum()) / total,
        "matched_codes_with_aggregates": int(anyv.sum()),
        "emp_share_with_aggregates": float(emp[anyv].sum()) / total,
    }
