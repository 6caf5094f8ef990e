"""Accuracy harness: gold records in the PLOVER gold-standard JSON format, scoring, reports."""
