"""The `sitroom` command line: thin commands over the library, one module per group."""

from sitroom.cli import analysis, code, demo, evaluate, kb, serve, store  # noqa: F401  (registers the commands)
from sitroom.cli.app import app

__all__ = ["app"]
