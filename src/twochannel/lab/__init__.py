"""The lab: questions asked of the engines (compare, window, outlook, consistency, regime maps,
bifurcations)."""
