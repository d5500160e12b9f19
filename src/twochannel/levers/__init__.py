"""Levers: policy packages (levers, enactment, phase-in), their mapping onto both engines' parameters and controls, and the public budget accounting."""

from twochannel.levers.package import LEVER_KINDS, LEVERS, PolicyPackage, load_policy

__all__ = ["LEVERS", "LEVER_KINDS", "PolicyPackage", "load_policy"]
