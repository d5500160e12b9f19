"""``twochannel data list``: the registered data sources and whether each is on disk."""

from __future__ import annotations

from twochannel.cli.common import JsonOpt, WideOpt, handle_errors, print_json, table
from twochannel.cli.data_options import DataDirOpt
from twochannel.data import resolve_data_dir, sources

__all__ = ["list_cmd"]


@handle_errors
def list_cmd(data_dir: DataDirOpt = None, wide: WideOpt = False, json_out: JsonOpt = False) -> None:
    """List the registered sources: path, publisher, licence, loader, and presence on disk."""
    directory = resolve_data_dir(data_dir)
    entries = []
    for s in sources():
        d = s.as_dict()
        d["present"] = (directory / s.path).is_file()
        entries.append(d)
    if json_out:
        print_json({"data_dir": str(directory), "sources": entries})
        return
    table(
        f"Registered data files ({len(entries)}; data directory {directory})",
        ["path", "publisher", "licence", "loader", "present"],
        [
            [
                e["path"],
                e["publisher"],
                e["licence"],
                e["loader"] or "—",
                "yes" if e["present"] else "no",
            ]
            for e in entries
        ],
        exact=["path"],
        secondary=["publisher", "licence", "loader"],
        wide=wide,
    )
