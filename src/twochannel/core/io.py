"""Write labelled results as NetCDF (self-describing, with provenance) and CSV (tidy)."""

from __future__ import annotations

from pathlib import Path

import xarray as xr

__all__ = ["write_dataset"]


def write_dataset(ds: xr.Dataset, out_dir: str | Path, stem: str) -> list[Path]:
    """Write ``stem.nc`` (NetCDF-3 via scipy, attributes kept) and ``stem.csv``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nc = out / f"{stem}.nc"
    csv = out / f"{stem}.csv"
    clean = ds.copy()
    for var in clean.variables.values():
        for k, v in list(var.attrs.items()):
            if isinstance(v, bool):
                var.attrs[k] = int(v)
        if var.dtype == bool:
            var.values = var.values.astype("int8")  # NetCDF-3 has no boolean type
    clean.to_netcdf(nc, engine="scipy")
    ds.to_dataframe().to_csv(csv)
    return [nc, csv]
