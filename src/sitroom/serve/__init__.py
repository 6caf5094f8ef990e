"""The JSON API and the dashboard (FastAPI), reading a store."""
