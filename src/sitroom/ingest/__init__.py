"""Turning inputs (files, JSONL, folders, stdin) into Documents."""
