"""Generate ``registry.json`` (the shipped source registry) from the staging manifest.

Run from the repository root whenever ``shared/data/SOURCES.json`` changes::

    python -m twochannel.data._make_registry ../shared/data/SOURCES.json

Each registry entry joins two things:

* what ``SOURCES.json`` records for the staged copy: relative path, sha256 (the pin), size,
  publisher, licence, description, note, the repository the copy was read from, the snapshot
  commit and git blob, and whether the file is derived (a format conversion);
* what this module adds by hand (:data:`PUBLISHER_FILES`): the publisher's own file name and URL
  (for zips, the member to extract), the landing page, the loader that reads the file and what
  it expects to find there.

The pinned download of the staged bytes is the raw GitHub URL of the source repository at the
snapshot commit (``repository_url``). The publisher's URL (``official_url``) may serve a newer
vintage than the pin; ``twochannel data fetch`` then reports the difference and keeps the pin.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = ["PUBLISHER_FILES", "build_registry", "main"]

REGISTRY_PATH = Path(__file__).with_name("registry.json")

_BLS_OEWS_PAGE = "https://www.bls.gov/oes/tables.htm"
_DFA_ZIP = "https://www.federalreserve.gov/releases/z1/dataviz/download/zips/dfa.zip"
_DFA_PAGE = "https://www.federalreserve.gov/releases/z1/dataviz/dfa/"
_OWID_PAGE = "https://ourworldindata.org/"
_PIKETTY_PAGE = "http://piketty.pse.ens.fr/en/capital21c2"
_PZ_PAGE = "http://piketty.pse.ens.fr/en/capitalisback"
_AIOE_PAGE = "https://github.com/AIOE-Data/AIOE"
_FRED = "https://fred.stlouisfed.org/graph/fredgraph.csv?id={}"

_OEWS_EXPECTS = (
    "first sheet; one row per occupation and level with OCC_CODE, OCC_TITLE, O_GROUP (OCC_GROUP "
    "in 2018), TOT_EMP, A_MEAN, A_PCT10, A_PCT25, A_MEDIAN, A_PCT75, A_PCT90; markers *, **, #, ~; "
    "an 'All Occupations' row 00-0000"
)


def _oews(year: int, coding: str) -> dict[str, Any]:
    yy = f"{year % 100:02d}"
    return {
        "group": "oews",
        "official_name": f"oesm{yy}nat.zip -> national_M{year}_dl.xlsx",
        "official_url": f"https://www.bls.gov/oes/special-requests/oesm{yy}nat.zip",
        "official_member": f"national_M{year}_dl.xlsx",
        "official_page": _BLS_OEWS_PAGE,
        "loader": "load_oews",
        "expects": f"{_OEWS_EXPECTS}; occupation coding {coding}",
    }


def _dfa(name: str, loader: str | None, expects: str) -> dict[str, Any]:
    return {
        "group": "dfa",
        "official_name": f"dfa.zip -> {name}",
        "official_url": _DFA_ZIP,
        "official_member": name,
        "official_page": _DFA_PAGE,
        "loader": loader,
        "expects": expects,
    }


def _owid(official_name: str, loader: str | None, expects: str) -> dict[str, Any]:
    return {
        "group": "wid",
        "official_name": official_name,
        "official_url": None,
        "official_member": None,
        "official_page": _OWID_PAGE,
        "loader": loader,
        "expects": expects,
    }


def _piketty(official_name: str, loader: str | None, expects: str, page: str) -> dict[str, Any]:
    return {
        "group": "piketty",
        "official_name": official_name,
        "official_url": None,
        "official_member": None,
        "official_page": page,
        "loader": loader,
        "expects": expects,
    }


def _fred(series: str, expects: str) -> dict[str, Any]:
    return {
        "group": "capital",
        "official_name": f"{series}.csv (FRED graph CSV)",
        "official_url": _FRED.format(series),
        "official_member": None,
        "official_page": f"https://fred.stlouisfed.org/series/{series}",
        "loader": None,
        "expects": expects,
    }


def _repo_only(
    group: str, official_name: str, page: str | None, loader: str | None, expects: str
) -> dict[str, Any]:
    return {
        "group": group,
        "official_name": official_name,
        "official_url": None,
        "official_member": None,
        "official_page": page,
        "loader": loader,
        "expects": expects,
    }


_SOC10 = "SOC 2010 6-digit codes, mapped to SOC 2018 through the BLS crosswalk"

#: Hand-written part of the registry, keyed by path relative to the data directory.
PUBLISHER_FILES: dict[str, dict[str, Any]] = {
    "oews/national_M2018_dl.xlsx": _oews(2018, "SOC 2010 (OES 2018 codes)"),
    "oews/national_M2019_dl.xlsx": _oews(2019, "OES hybrid SOC 2010/2018"),
    "oews/national_M2020_dl.xlsx": _oews(2020, "OES hybrid SOC 2010/2018"),
    "oews/national_M2021_dl.xlsx": _oews(2021, "SOC 2018"),
    "oews/national_M2022_dl.xlsx": _oews(2022, "SOC 2018"),
    "oews/national_M2023_dl.xlsx": _oews(2023, "SOC 2018"),
    "oews/national_M2024_dl.xlsx": _oews(2024, "SOC 2018"),
    "oews/national_M2025_dl.xlsx": _oews(2025, "SOC 2018"),
    "exposure/eloundou_gpts_occ_level.csv": _repo_only(
        "exposure",
        "data/occ_level.csv in openai/GPTs-are-GPTs (the authors' repository)",
        "https://github.com/openai/GPTs-are-GPTs",
        "load_exposure",
        "CSV with 'O*NET-SOC Code' (xx-xxxx.xx), dv_rating_{alpha,beta,gamma}, "
        "human_rating_{alpha,beta,gamma} (shares of tasks exposed, 0-1)",
    ),
    "exposure/eloundou_gpts_full_labelset.tsv": _repo_only(
        "exposure",
        "data/full_labelset.tsv in openai/GPTs-are-GPTs",
        "https://github.com/openai/GPTs-are-GPTs",
        None,
        "TSV of task-level labels (not read by a loader; kept for reference)",
    ),
    "exposure/felten_AIOE_DataAppendix.xlsx": _repo_only(
        "exposure",
        "AIOE_DataAppendix.xlsx",
        _AIOE_PAGE,
        "load_exposure",
        f"sheet 'Appendix A' with 'SOC Code', 'Occupation Title', 'AIOE' (standardised); {_SOC10}",
    ),
    "exposure/felten_language_modeling_AIOE_AIIE.xlsx": _repo_only(
        "exposure",
        "Language Modeling AIOE and AIIE.xlsx",
        _AIOE_PAGE,
        "load_exposure",
        f"sheet 'LM AIOE' with 'SOC Code', 'Language Modeling AIOE'; {_SOC10}",
    ),
    "exposure/felten_image_generation_AIOE_AIIE.xlsx": _repo_only(
        "exposure",
        "Image Generation AIOE and AIIE.xlsx",
        _AIOE_PAGE,
        "load_exposure",
        f"sheet 'IG AIOE' with 'SOC Code', 'Image Generation AIOE'; {_SOC10}",
    ),
    "exposure/tomlinson_soc_ai_applicability_scores.csv": _repo_only(
        "exposure",
        "soc_ai_applicability_scores.csv in microsoft/working-with-ai",
        "https://github.com/microsoft/working-with-ai",
        "load_exposure",
        "CSV with 'SOC Code' (SOC 2018) and ai_applicability_score",
    ),
    "exposure/tomlinson_soc_metrics.csv": _repo_only(
        "exposure",
        "soc_metrics.csv in microsoft/working-with-ai",
        "https://github.com/microsoft/working-with-ai",
        None,
        "CSV of score components by SOC 2018 code (not read by a loader)",
    ),
    "exposure/anthropic_aei_job_exposure.csv": {
        "group": "exposure",
        "official_name": "labor_market_impacts/job_exposure.csv (Hugging Face Anthropic/EconomicIndex)",
        "official_url": "https://huggingface.co/datasets/Anthropic/EconomicIndex/resolve/main/"
        "labor_market_impacts/job_exposure.csv",
        "official_member": None,
        "official_page": "https://huggingface.co/datasets/Anthropic/EconomicIndex",
        "loader": "load_exposure",
        "expects": "CSV with occ_code (SOC 2018), title, observed_exposure (share 0-1)",
    },
    "exposure/eisfeldt_genaiexp_estz_occscores.csv": _repo_only(
        "exposure",
        "genaiexp_estz_occscores.csv (author website, gschubert/website gh-pages)",
        "https://github.com/gschubert/website",
        "load_exposure",
        f"CSV with soc2010 and genaiexp_estz_total/core/supplemental; {_SOC10}",
    ),
    "exposure/webb_exposure_by_occ1990dd_lswt2010.csv": _repo_only(
        "exposure",
        "exposure_by_occ1990dd_lswt2010.csv (Webb 2020 replication files)",
        None,
        "load_exposure",
        "CSV with occ1990dd, pct_ai, pct_software, pct_robot (percentiles 0-100)",
    ),
    "exposure/webb_onet_to_occ1990dd.csv": _repo_only(
        "exposure",
        "onet_to_occ1990dd.dta (Webb 2020 replication files), converted to CSV",
        None,
        "load_exposure",
        "CSV with onetsoccode (O*NET-SOC 2010, xx-xxxx.xx) and occ1990dd",
    ),
    "crosswalks/bls_soc_2010_to_2018_crosswalk.xlsx": {
        "group": "crosswalks",
        "official_name": "soc_2010_to_2018_crosswalk.xlsx",
        "official_url": "https://www.bls.gov/soc/2018/soc_2010_to_2018_crosswalk.xlsx",
        "official_member": None,
        "official_page": "https://www.bls.gov/soc/2018/crosswalks_used_by_agencies.htm",
        "loader": "load_soc_crosswalk",
        "expects": "sheet 'Sorted by 2010', header on row 9: '2010 SOC Code', '2010 SOC Title', "
        "'2018 SOC Code', '2018 SOC Title'",
    },
    "crosswalks/bls_nem_onet_to_soc_crosswalk.xlsx": {
        "group": "crosswalks",
        "official_name": "nem-onet-to-soc-crosswalk.xlsx",
        "official_url": "https://www.bls.gov/emp/classifications-crosswalks/"
        "nem-onet-to-soc-crosswalk.xlsx",
        "official_member": None,
        "official_page": "https://www.bls.gov/emp/documentation/crosswalks.htm",
        "loader": None,
        "expects": "sheet 'ONET to SOC crosswalk', header on row 5 (not read by a loader)",
    },
    "crosswalks/census_2018_occupation_code_list_and_crosswalk.xlsx": {
        "group": "crosswalks",
        "official_name": "2018-occupation-code-list-and-crosswalk.xlsx",
        "official_url": "https://www2.census.gov/programs-surveys/demo/guidance/"
        "industry-occupation/2018-occupation-code-list-and-crosswalk.xlsx",
        "official_member": None,
        "official_page": "https://www.census.gov/topics/employment/industry-occupation/"
        "guidance/code-lists.html",
        "loader": None,
        "expects": "Census 2018 occupation codes with SOC 2018 equivalents (not read by a loader)",
    },
    "inequality/dfa/dfa-networth-levels-detail.csv": _dfa(
        "dfa-networth-levels-detail.csv",
        "load_dfa_levels",
        "CSV with Date (YYYY:Qn), Category (TopPt1, RemainingTop1, Next9, Next40, Bottom50), "
        "instruments in millions of USD, Household count, Minimum Wealth Cutoff",
    ),
    "inequality/dfa/dfa-networth-shares-detail.csv": _dfa(
        "dfa-networth-shares-detail.csv",
        "load_dfa_shares",
        "CSV with Date, Category (wealth groups) and instrument shares in percent",
    ),
    "inequality/dfa/dfa-income-levels-detail.csv": _dfa(
        "dfa-income-levels-detail.csv",
        "load_dfa_levels",
        "CSV with Date, Category (pct99to100 ... pct00to20), instruments in millions of USD, "
        "Household count, Minimum/Maximum Income Cutoff",
    ),
    "inequality/dfa/dfa-income-shares-detail.csv": _dfa(
        "dfa-income-shares-detail.csv",
        "load_dfa_shares",
        "CSV with Date, Category (income groups) and instrument shares in percent",
    ),
    "inequality/dfa/dfa-general-levels-detail-dictionary.txt": _dfa(
        "dfa-general-levels-detail-dictionary.txt", None, "field dictionary (2023 vintage)"
    ),
    "inequality/dfa/dfa-general-shares-detail-dictionary.txt": _dfa(
        "dfa-general-shares-detail-dictionary.txt", None, "field dictionary (2023 vintage)"
    ),
    "inequality/dfa/dfa-data-definitions.txt": _dfa(
        "dfa-data-definitions.txt", None, "data definitions (2023 vintage)"
    ),
    "inequality/wid/owid_wid2018_top1_pretax_income_share.csv": _owid(
        "Top income shares - World Wealth and Income Database (2018).csv (owid-datasets)",
        "load_wid",
        "CSV Entity, Year, 'Share of Top 1% in Pre-tax national income' (fraction)",
    ),
    "inequality/wid/owid_wid2018_top10_top1_wealth_shares.csv": _owid(
        "Top Net Personal Wealth Shares - WID (2018).csv (owid-datasets)",
        "load_wid",
        "CSV Entity, Year, top 10% and top 1% shares of net personal wealth (percent)",
    ),
    "inequality/wid/owid_wid2018_top1_wealth_share.csv": _owid(
        "Share of Top 1% in net personal wealth - WID (2018).csv (owid-datasets)",
        "load_wid",
        "CSV Entity, Year, 'Share of Top 1% in net personal wealth' (fraction); differs from the "
        "two-column file in some US years",
    ),
    "inequality/wid/owid_chartbook2017_top1_wealth_shares.csv": _owid(
        "Top 1% wealth shares - Chartbook of Economic Inequality (2017).csv (owid-datasets)",
        "load_wid",
        "CSV Entity, Year, share of wealth held by the top 1% (percent)",
    ),
    "inequality/wid/owid_wid_top1_pretax_income_share_2024vintage.csv": {
        "group": "wid",
        "official_name": "income-share-top-1-before-tax-wid-extrapolations.csv (OWID grapher)",
        "official_url": "https://ourworldindata.org/grapher/"
        "income-share-top-1-before-tax-wid-extrapolations.csv",
        "official_member": None,
        "official_page": "https://ourworldindata.org/grapher/"
        "income-share-top-1-before-tax-wid-extrapolations",
        "loader": "load_wid",
        "expects": "CSV Entity, Code, Year, p99p100_share_pretax, "
        "p99p100_share_pretax_extrapolated (percent); the staged copy keeps 9 economies",
    },
    "inequality/piketty2014/Chapter5TablesFigures.xlsx": _piketty(
        "Chapter5TablesFigures.xlsx", None, "capital/income ratios (not read)", _PIKETTY_PAGE
    ),
    "inequality/piketty2014/Chapter6TablesFigures.xlsx": _piketty(
        "Chapter6TablesFigures.xlsx",
        "load_piketty",
        "sheets TS6.1 (Britain capital-labour split, header row 8) and TS6.3 (capital share in "
        "rich countries, header row 4); title rows above, read with header=None",
        _PIKETTY_PAGE,
    ),
    "inequality/piketty2014/Chapter8TablesFigures.xlsx": _piketty(
        "Chapter8TablesFigures.xlsx",
        "load_piketty",
        "sheet TS8.2 (US top income and wage shares 1900-2010, header row 5)",
        _PIKETTY_PAGE,
    ),
    "inequality/piketty2014/Chapter10TablesFigures.xlsx": _piketty(
        "Chapter10TablesFigures.xlsx",
        "load_piketty",
        "sheets TS10.1 (top wealth shares, countries on row 4, groups on row 5) and TS10.3 "
        "(r before/after tax and g by period, two blocks, header row 6)",
        _PIKETTY_PAGE,
    ),
    "inequality/piketty2014/Chapter12TablesFigures.xlsx": _piketty(
        "Chapter12TablesFigures.xlsx", None, "global wealth tables (not read)", _PIKETTY_PAGE
    ),
    "inequality/piketty2014/PikettyZucman2013_USA.xlsx": _piketty(
        "USA.xlsx (Piketty-Zucman 2014 data appendix)",
        "load_piketty",
        "sheet TableUS11 (capital and labour shares 1929-2010, header row 10)",
        _PZ_PAGE,
    ),
    "capital/bea_fred/Y001RC1A027NBEA.csv": _fred(
        "Y001RC1A027NBEA", "CSV observation_date, value (billions of USD, annual)"
    ),
    "capital/bea_fred/B985RC1A027NBEA.csv": _fred(
        "B985RC1A027NBEA", "CSV observation_date, value (billions of USD, annual)"
    ),
    "capital/bea_fred/Y006RC1A027NBEA.csv": _fred(
        "Y006RC1A027NBEA", "CSV observation_date, value (billions of USD, annual)"
    ),
    "capital/bea_fred/PNFI.csv": _fred(
        "PNFI", "CSV observation_date, value (billions of USD, quarterly SAAR)"
    ),
    "historical/boe_uk_wages_prices_real_wage_1750_2015.csv": _repo_only(
        "historical",
        "OWID copy of the Bank of England 'millennium of macroeconomic data' series",
        "https://www.bankofengland.co.uk/statistics/research-datasets",
        "load_boe_real_wage",
        "CSV Entity, Year, nominal wage, CPI, real wage",
    ),
    "historical/boe_uk_labour_productivity_per_hour.csv": _repo_only(
        "historical",
        "OWID copy of the Bank of England millennium dataset series",
        "https://www.bankofengland.co.uk/statistics/research-datasets",
        "load_boe_productivity",
        "CSV Entity, Year, labour productivity per hour (index 2013=100)",
    ),
    "historical/clark2005_relative_wages_craftsmen_labourers.csv": _repo_only(
        "historical",
        "OWID copy of Clark (2005) Table A2",
        _OWID_PAGE,
        None,
        "CSV Entity, Year, craftsman/labourer wage ratio",
    ),
}


def _raw_url(repo_url: str, commit: str, path: str) -> str:
    owner_repo = repo_url.rstrip("/").split("github.com/", 1)[1]
    return f"https://raw.githubusercontent.com/{owner_repo}/{commit}/{quote(path)}"


def build_registry(manifest: dict[str, Any]) -> dict[str, Any]:
    """Join the staging manifest with :data:`PUBLISHER_FILES`.

    Parameters
    ----------
    manifest : dict
        The parsed ``SOURCES.json`` (keys ``description``, ``files``).

    Returns
    -------
    dict
        ``{"schema": 1, "generated_from": ..., "sources": [entry, ...]}`` in manifest order.

    Raises
    ------
    ValueError
        If a manifest file has no hand-written entry, or the other way round.
    """
    files = manifest["files"]
    paths = [f["file"] for f in files]
    missing = sorted(set(paths) - set(PUBLISHER_FILES))
    extra = sorted(set(PUBLISHER_FILES) - set(paths))
    if missing or extra:
        raise ValueError(f"PUBLISHER_FILES out of sync: missing {missing}, unknown {extra}")
    sources = []
    for f in files:
        hand = PUBLISHER_FILES[f["file"]]
        sources.append(
            {
                "path": f["file"],
                "group": hand["group"],
                "sha256": f["sha256"],
                "bytes": f["bytes"],
                "publisher": f["publisher"],
                "licence": f["license"],
                "description": f["description"],
                "note": f.get("note"),
                "official_name": hand["official_name"],
                "official_url": hand["official_url"],
                "official_member": hand["official_member"],
                "official_page": hand["official_page"],
                "repository": f["source_repo"],
                "repository_path": f["source_path"],
                "snapshot_commit": f["snapshot_commit"],
                "git_blob": f["source_git_blob"],
                "repository_url": _raw_url(
                    f["source_repo"], f["snapshot_commit"], f["source_path"]
                ),
                "derived": bool(f.get("derived", False)),
                "derived_from_sha256": f.get("source_sha256"),
                "loader": hand["loader"],
                "required": hand["loader"] is not None,
                "expects": hand["expects"],
            }
        )
    return {
        "schema": 1,
        "generated_from": "shared/data/SOURCES.json by twochannel.data._make_registry",
        "sources": sources,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: read SOURCES.json, write registry.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("manifest", type=Path, help="path to shared/data/SOURCES.json")
    parser.add_argument("--out", type=Path, default=REGISTRY_PATH, help="registry.json to write")
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    registry = build_registry(manifest)
    text = json.dumps(registry, indent=1, ensure_ascii=False) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(registry['sources'])} sources)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
