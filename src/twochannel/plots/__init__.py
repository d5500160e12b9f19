"""Figures (matplotlib) of the engines' and the lab's results."""
