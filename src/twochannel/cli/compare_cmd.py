"""`twochannel compare` (policy lab, docs/policies.md)."""

from __future__ import annotations

from twochannel.cli.app import app  # noqa: F401  (commands register on the shared app)
