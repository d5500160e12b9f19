"""Atomic output files: whole or absent, never half-written; write errors name the file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from twochannel.core.errors import InputError
from twochannel.core.io import atomic_path, write_csv, write_dataset, write_json, write_text


def test_atomic_path_renames_into_place(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.txt"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp != target
        tmp.write_text("x")
        assert not target.exists()
    assert target.read_text() == "x"
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = write_text(tmp_path / "a.txt", "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_unwritable_place_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "not_a_folder").write_text("")
    with pytest.raises(InputError, match=r"cannot write .*not_a_folder"):
        write_json(tmp_path / "not_a_folder" / "a.json", {"a": 1})


def test_os_error_inside_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "big.csv"
    with pytest.raises(InputError, match=r"cannot write .*big\.csv: File too large"):
        with atomic_path(target):
            raise OSError(27, "File too large")
    assert not list(tmp_path.iterdir())


def test_writers_round_trip(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", {"x": np.float64(1.5), "y": float("nan")})
    assert (tmp_path / "a.json").read_text() == '{\n  "x": 1.5,\n  "y": null\n}\n'
    frame = pd.DataFrame({"a": [1, 2]})
    pd.testing.assert_frame_equal(pd.read_csv(write_csv(frame, tmp_path / "a.csv")), frame)
    ds = xr.Dataset({"v": ("t", np.arange(3.0))}, coords={"t": [0, 1, 2]})
    nc, csv = write_dataset(ds, tmp_path / "out", "path")
    assert xr.load_dataset(nc, engine="scipy")["v"].values.tolist() == [0.0, 1.0, 2.0]
    assert pd.read_csv(csv)["v"].tolist() == [0.0, 1.0, 2.0]
