"""The bottom layer: version, errors, JSON and file output shared by every other layer."""
