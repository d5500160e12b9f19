"""The historical validation runs on the real staged data (docs/validation.md); the data
directory fixture is the data-layer tests' one, which fails (never skips) without the data."""

from __future__ import annotations

from tests.datasets.conftest import shared_data_dir

__all__ = ["shared_data_dir"]
