"""The household (agent-based) layer (docs/households.md)."""
