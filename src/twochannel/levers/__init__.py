"""Policy lab: levers, packages, their mapping onto both engines, comparisons and the window."""

from twochannel.levers.package import LEVER_KINDS, LEVERS, PolicyPackage, load_policy

__all__ = ["LEVERS", "LEVER_KINDS", "PolicyPackage", "load_policy"]
