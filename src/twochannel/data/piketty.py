"""Tables from Piketty (2014), *Capital in the Twenty-First Century*, technical appendix, and
Piketty & Zucman (2014), "Capital is Back", US data appendix.

The workbooks are laid out for reading, not parsing: a title in the first rows, column headers
a few rows down, then year (or period) rows and notes below. Each table here is read with
``header=None`` and sliced: the header cells are checked against the expected labels (a
:class:`~twochannel.data.DataError` names the sheet, cell and label if the layout differs),
and data rows are those whose first cell is a year (or a ``start-end`` period for TS10.3).

Tables (:func:`piketty_tables`)
-------------------------------
``TS10.3``  r (before and after tax) and g for the world by period, year 0-2200; two blocks:
            ``fine`` (left, 9 periods to 2100) and ``coarse`` (right, 8 periods to 2200).
            Shares per year (fractions). ``Chapter10TablesFigures.xlsx``.
``TS10.1``  Top 10% / 1% / 0.1% wealth shares, France, UK, USA, Sweden, Europe, 1810-2010
            (decennial; fractions). ``Chapter10TablesFigures.xlsx``.
``TS6.1``   Britain 1770-2010 capital-labour split: capital and labour shares, average and
            pure rates of return (fractions), national wealth / national income (ratio).
            ``Chapter6TablesFigures.xlsx``.
``TS6.3``   Capital share of factor-price national income, 8 rich countries and Europe,
            1970-2010 (fractions). ``Chapter6TablesFigures.xlsx``.
``TS8.2``   US top income shares (incl. and excl. capital gains) and top wage shares,
            1900-2010 (fractions). ``Chapter8TablesFigures.xlsx``.
``US11``    Piketty-Zucman Table US.11: US capital and labour shares of factor-price national
            income 1929-2010 (with and without net government interest), and capital and
            labour income as shares of national income (fractions).
            ``PikettyZucman2013_USA.xlsx``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from twochannel.data._io import corrupt, read_excel
from twochannel.data.errors import DataError

__all__ = ["PIKETTY_TABLES", "PikettyTable", "load_piketty", "piketty_tables"]

_CH6 = "inequality/piketty2014/Chapter6TablesFigures.xlsx"
_CH8 = "inequality/piketty2014/Chapter8TablesFigures.xlsx"
_CH10 = "inequality/piketty2014/Chapter10TablesFigures.xlsx"
_PZ = "inequality/piketty2014/PikettyZucman2013_USA.xlsx"


@dataclass(frozen=True)
class PikettyTable:
    """Where a table sits: file, sheet, header row (0-based) and its columns.

    ``columns`` maps a 0-based column index to (expected header text, output name); the header
    text is matched case-insensitively after collapsing white space, as a prefix.
    """

    name: str
    file: str
    sheet: str
    header_row: int
    columns: dict[int, tuple[str, str]]
    description: str


PIKETTY_TABLES: dict[str, PikettyTable] = {
    t.name: t
    for t in (
        PikettyTable(
            "TS10.3",
            _CH10,
            "TS10.3",
            5,
            {
                1: ("r (before taxes)", "r_pretax"),
                2: ("r (after taxes)", "r_posttax"),
                3: ("g", "g"),
                6: ("r (before taxes)", "r_pretax"),
                7: ("r (after taxes)", "r_posttax"),
                8: ("g", "g"),
            },
            "Return to capital (before/after tax) and growth rate of world output, 0-2200",
        ),
        PikettyTable(
            "TS10.1",
            _CH10,
            "TS10.1",
            4,
            {},  # country row 3 and group row 4 are read by _ts10_1
            "Top wealth shares in Europe and the USA, 1810-2010",
        ),
        PikettyTable(
            "TS6.1",
            _CH6,
            "TS6.1",
            7,
            {
                1: ("Capital income share (observed)", "capital_share"),
                2: ("Labour income share (observed)", "labour_share"),
                3: ("Average rate of return (observed)", "average_return"),
                4: ("Pure rate of return (estimate)", "pure_return"),
                5: ("Minimum rate of return", "minimum_return"),
                6: ("Pure capital share (estimate)", "pure_capital_share"),
                7: ("Minimum capital share", "minimum_capital_share"),
                16: ("National wealth/ National income", "wealth_income_ratio"),
            },
            "Capital-labour split in Britain, 1770-2010",
        ),
        PikettyTable(
            "TS6.3",
            _CH6,
            "TS6.3",
            3,
            {
                1: ("U.S.", "United States"),
                2: ("Japan", "Japan"),
                3: ("Germany", "Germany"),
                4: ("France", "France"),
                5: ("U.K.", "United Kingdom"),
                6: ("Italy", "Italy"),
                7: ("Canada", "Canada"),
                8: ("Australia", "Australia"),
                10: ("Europe", "Europe"),
            },
            "Capital share in rich countries, 1970-2010",
        ),
        PikettyTable(
            "TS8.2",
            _CH8,
            "TS8.2",
            4,
            {
                1: ("Top 10% income share", "top10_income_share"),
                2: ("Top 10%-5% income share", "top10_5_income_share"),
                3: ("Top 5%-1% income share", "top5_1_income_share"),
                4: ("Top 1% income share", "top1_income_share"),
                5: ("Top 0,1% income share", "top01_income_share"),
                6: ("Top 10% income share (excl", "top10_income_share_excl_kg"),
                7: ("Top 1% income share (excl", "top1_income_share_excl_kg"),
                8: ("Top 0,1% income share (exc", "top01_income_share_excl_kg"),
                9: ("Top 10% wage share", "top10_wage_share"),
                10: ("Top 1% wage share", "top1_wage_share"),
            },
            "USA top income and top wage shares, 1900-2010",
        ),
        PikettyTable(
            "US11",
            _PZ,
            "TableUS11",
            9,
            {
                1: ("Total capital income", "capital_income_share_of_ni"),
                8: ("Total labour income", "labour_income_share_of_ni"),
                13: ("Capital share", "capital_share"),
                14: ("Labour share", "labour_share"),
                15: ("Capital share (excl. govt interest)", "capital_share_excl_govt_interest"),
                16: ("Labour share", "labour_share_excl_govt_interest"),
            },
            "Piketty-Zucman Table US.11: capital and labour shares in US national income, "
            "1929-2010",
        ),
    )
}


def piketty_tables() -> tuple[str, ...]:
    """Names accepted by :func:`load_piketty`."""
    return tuple(PIKETTY_TABLES)


def _norm(x: object) -> str:
    return re.sub(r"\s+", " ", str(x)).strip().lower()


def _cell(raw: pd.DataFrame, r: int, c: int) -> object:
    return raw.iat[r, c] if r < raw.shape[0] and c < raw.shape[1] else None


def _check_headers(raw: pd.DataFrame, spec: PikettyTable, data_dir: str | Path | None) -> None:
    for col, (label, _) in spec.columns.items():
        found = _cell(raw, spec.header_row, col)
        if not _norm(found).startswith(_norm(label)):
            raise corrupt(
                spec.file,
                data_dir,
                f"sheet {spec.sheet!r} cell row {spec.header_row + 1}, column {col + 1}: "
                f"header {found!r}, expected {label!r}",
            )


def _years(raw: pd.DataFrame) -> pd.Series:
    y = pd.to_numeric(raw.iloc[:, 0], errors="coerce")
    return y.where((y >= 0) & (y <= 2300) & (y == np.floor(y)))


def _floats(raw: pd.DataFrame, rows: pd.Index, col: int) -> np.ndarray:
    return pd.to_numeric(raw.loc[rows, raw.columns[col]], errors="coerce").to_numpy(dtype="float64")


def _wide(raw: pd.DataFrame, spec: PikettyTable) -> pd.DataFrame:
    years = _years(raw)
    rows = years.index[years.notna() & (years.index > spec.header_row)]
    out = pd.DataFrame({"year": years[rows].astype("int64").to_numpy()})
    for col, (_, name) in spec.columns.items():
        out[name] = _floats(raw, rows, col)
    return out


def _ts10_3(raw: pd.DataFrame, spec: PikettyTable) -> pd.DataFrame:
    frames = []
    for block, first in (("fine", 0), ("coarse", 5)):
        label = raw.iloc[:, first].astype("string").str.strip()
        ok = label.str.fullmatch(r"\d{1,4}-\d{4}").fillna(False)
        rows = label.index[ok & (label.index > spec.header_row)]
        periods = label[rows].astype(str)
        frames.append(
            pd.DataFrame(
                {
                    "block": block,
                    "period": periods.to_numpy(),
                    "start_year": periods.str.split("-").str[0].astype("int64").to_numpy(),
                    "end_year": periods.str.split("-").str[1].astype("int64").to_numpy(),
                    "r_pretax": _floats(raw, rows, first + 1),
                    "r_posttax": _floats(raw, rows, first + 2),
                    "g": _floats(raw, rows, first + 3),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["block"] = out["block"].astype("string")
    out["period"] = out["period"].astype("string")
    return out


_TS10_1_COUNTRIES = ("France", "United Kingdom", "United States", "Sweden", "Europe")
_TS10_1_GROUPS = {
    "top 10%": "top10",
    "top 1%": "top1",
    "top 0,1%": "top01",
    "top 1% (paris)": "top1_paris",
}


def _ts10_1(raw: pd.DataFrame, spec: PikettyTable, data_dir: str | Path | None) -> pd.DataFrame:
    country_row = raw.iloc[spec.header_row - 1, 1:].astype("string").ffill()
    group_row = raw.iloc[spec.header_row, 1:].astype("string")
    seen = set(country_row.dropna())
    if not set(_TS10_1_COUNTRIES) <= seen:
        raise corrupt(
            spec.file,
            data_dir,
            f"sheet 'TS10.1' row {spec.header_row}: countries {sorted(seen)}, expected "
            f"{list(_TS10_1_COUNTRIES)}",
        )
    years = _years(raw)
    rows = years.index[years.notna() & (years.index > spec.header_row)]
    frames = []
    for col in country_row.index:
        group = _TS10_1_GROUPS.get(_norm(group_row[col]))
        if group is None or pd.isna(country_row[col]):
            continue
        frames.append(
            pd.DataFrame(
                {
                    "year": years[rows].astype("int64").to_numpy(),
                    "country": str(country_row[col]),
                    "group": group,
                    "share": pd.to_numeric(raw.loc[rows, col], errors="coerce").to_numpy(
                        dtype="float64"
                    ),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True).dropna(subset=["share"])
    out["country"] = out["country"].astype("string")
    out["group"] = out["group"].astype("string")
    return out.reset_index(drop=True)


def load_piketty(table: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one of the Piketty (2014) / Piketty-Zucman (2014) tables.

    Parameters
    ----------
    table : str
        One of :func:`piketty_tables`: ``TS10.3``, ``TS10.1``, ``TS6.1``, ``TS6.3``, ``TS8.2``,
        ``US11``.
    data_dir : str or Path, optional
        Data directory.

    Returns
    -------
    pandas.DataFrame
        ``TS10.3``: ``block`` (``fine``/``coarse``), ``period`` (``"1913-1950"``),
        ``start_year``, ``end_year`` (int64), ``r_pretax``, ``r_posttax``, ``g`` (float64, per
        year, fractions).
        ``TS10.1``: ``year``, ``country``, ``group`` (``top10``, ``top1``, ``top01``,
        ``top1_paris``), ``share`` (fraction of total wealth); rows without data dropped.
        ``TS6.3``: ``year``, ``country``, ``capital_share`` (fraction of factor-price national
        income).
        ``TS6.1``, ``TS8.2``, ``US11``: ``year`` and one float64 column per series (fractions;
        ``wealth_income_ratio`` in years of national income).

    Raises
    ------
    DataError
        Unknown table; file or sheet missing; header cells not as expected.

    Examples
    --------
    >>> rg = load_piketty("TS10.3")  # doctest: +SKIP
    >>> rg.query("block == 'fine' and period == '1950-2012'")[["r_pretax", "g"]]  # doctest: +SKIP
    """
    if table not in PIKETTY_TABLES:
        raise DataError(
            f"Piketty table {table!r}: unknown; choose one of {', '.join(PIKETTY_TABLES)}"
        )
    spec = PIKETTY_TABLES[table]
    raw = read_excel(spec.file, data_dir, sheet=spec.sheet, header=None, as_str=False)
    _check_headers(raw, spec, data_dir)
    if table == "TS10.3":
        out = _ts10_3(raw, spec)
    elif table == "TS10.1":
        out = _ts10_1(raw, spec, data_dir)
    elif table == "TS6.3":
        wide = _wide(raw, spec)
        out = wide.melt(id_vars="year", var_name="country", value_name="capital_share")
        out["country"] = out["country"].astype("string")
        out = out.dropna(subset=["capital_share"]).reset_index(drop=True)
    else:
        out = _wide(raw, spec)
    if out.empty:
        raise corrupt(spec.file, data_dir, f"sheet {spec.sheet!r}: no data rows found")
    out.attrs.update(table=table, file=spec.file, sheet=spec.sheet, description=spec.description)
    return out
