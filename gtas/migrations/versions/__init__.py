"""Schema revisions, oldest first; each reviewed by hand after autogeneration."""
