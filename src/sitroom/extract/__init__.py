"""Extraction over parsed sentences: actors, events (time, place and certainty follow)."""
