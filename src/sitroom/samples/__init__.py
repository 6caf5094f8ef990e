"""Bundled sample corpus (fictional news written for sitroom)."""
