"""Watchlist matching: name normalisation, a candidate index and an explainable scorer."""
