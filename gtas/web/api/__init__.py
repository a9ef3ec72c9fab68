"""The JSON API for machines: message intake and status, authenticated by API tokens."""
