"""The household (agent-based) layer (AGENTS.md)."""
