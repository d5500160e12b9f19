"""Data layer: the source registry, integrity checks, downloads and loaders of the real public
data used to calibrate and test the model (docs/data.md).

Files live in a data directory (``--data-dir``, else ``$TWOCHANNEL_DATA_DIR``, else the user
cache) under the relative paths of the registry. Loaders (``load_*``) return tidy, typed
pandas DataFrames and raise :class:`DataError` (an ``InputError``: exit code 2 in the CLI)
naming the file and what was expected when a file is missing or not as expected. Downloading
(``download_sources``) is kept apart from loading.
"""

from twochannel.data.dfa import DFA_GROUPS, load_dfa_levels, load_dfa_shares
from twochannel.data.errors import DataError
from twochannel.data.exposure import (
    EXPOSURE_INDICES,
    exposure_coverage,
    exposure_for_oews,
    exposure_indices,
    load_exposure,
)
from twochannel.data.fetch import FetchResult, download_sources, manual_instructions
from twochannel.data.harmonise import (
    HYBRID_AGGREGATES,
    OES2018_AGGREGATES,
    harmonisation_edges,
    load_oews_panel,
    oews_panel_coverage,
)
from twochannel.data.historical import (
    load_boe_productivity,
    load_boe_real_wage,
    load_us_capital_share,
)
from twochannel.data.oews import OEWS_YEARS, load_oews
from twochannel.data.piketty import load_piketty, piketty_tables
from twochannel.data.registry import (
    FileCheck,
    Source,
    check_data_dir,
    get_source,
    require_file,
    sources,
)
from twochannel.data.settings import ENV_VAR, resolve_data_dir
from twochannel.data.soc import OewsStructure, load_soc_crosswalk, oews_soc2018_structure
from twochannel.data.wid import load_wid, wid_series

__all__ = [
    "DFA_GROUPS",
    "ENV_VAR",
    "EXPOSURE_INDICES",
    "HYBRID_AGGREGATES",
    "OES2018_AGGREGATES",
    "OEWS_YEARS",
    "DataError",
    "FetchResult",
    "FileCheck",
    "OewsStructure",
    "Source",
    "check_data_dir",
    "download_sources",
    "exposure_coverage",
    "exposure_for_oews",
    "exposure_indices",
    "get_source",
    "harmonisation_edges",
    "load_boe_productivity",
    "load_boe_real_wage",
    "load_dfa_levels",
    "load_dfa_shares",
    "load_exposure",
    "load_oews",
    "load_oews_panel",
    "load_piketty",
    "load_soc_crosswalk",
    "load_us_capital_share",
    "load_wid",
    "manual_instructions",
    "oews_panel_coverage",
    "oews_soc2018_structure",
    "piketty_tables",
    "require_file",
    "resolve_data_dir",
    "sources",
    "wid_series",
]
