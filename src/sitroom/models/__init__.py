"""Model files built by `sitroom train` (see docs/model.md)."""
