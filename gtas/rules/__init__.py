"""Assessment: watchlist matching, risk rules, scores and hits (no Flask imports)."""
