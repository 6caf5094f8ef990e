"""Writing coded events: flat files now (JSONL, JSON, CSV); the DuckDB store follows."""
