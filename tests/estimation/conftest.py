"""Fixtures of the estimation tests. The real-data fixtures are those of the data-layer tests
(``tests/datasets/conftest.py``): the staged ``shared/data``, or ``$TWOCHANNEL_DATA_DIR``; if
it is missing the tests FAIL, they are never skipped."""

from __future__ import annotations

from tests.datasets.conftest import linked_data_dir, shared_data_dir

__all__ = ["linked_data_dir", "shared_data_dir"]
