"""Where the data files live.

Files are addressed by their path relative to the data directory, laid out exactly as in the
project's staged copy (``shared/data``), e.g. ``oews/national_M2024_dl.xlsx`` or
``inequality/dfa/dfa-networth-shares-detail.csv``. The directory is, in order of precedence:

1. the ``data_dir`` argument (``--data-dir`` on the command line);
2. the environment variable ``TWOCHANNEL_DATA_DIR``;
3. a per-user cache folder, ``pooch.os_cache("twochannel")`` (e.g. ``~/.cache/twochannel`` on
   Linux), which ``twochannel data fetch`` fills.
"""

from __future__ import annotations

import os
from pathlib import Path

import pooch

__all__ = ["ENV_VAR", "default_data_dir", "resolve_data_dir"]

ENV_VAR = "TWOCHANNEL_DATA_DIR"


def default_data_dir() -> Path:
    """The per-user cache folder used when nothing else is given.

    Returns
    -------
    Path
        ``pooch.os_cache("twochannel")``; it need not exist yet.
    """
    return Path(pooch.os_cache("twochannel"))


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """Resolve the data directory: argument, else ``$TWOCHANNEL_DATA_DIR``, else the user cache.

    Parameters
    ----------
    explicit : str or Path, optional
        A directory given by the caller (``--data-dir``). Empty strings count as not given.

    Returns
    -------
    Path
        The directory, with ``~`` expanded and made absolute. It is not created and need not
        exist; loaders report missing files by name.

    Examples
    --------
    >>> resolve_data_dir("/tmp/x").as_posix()
    '/tmp/x'
    """
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_VAR, "")
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir().resolve()
