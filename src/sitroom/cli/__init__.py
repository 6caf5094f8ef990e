"""The `sitroom` command line: thin commands over the library, one module per group."""

from sitroom.cli import (  # noqa: F401  (registers the commands)
    analysis,
    code,
    demo,
    evaluate,
    kb,
    serve,
    store,
    train,
)
from sitroom.cli.app import app

__all__ = ["app"]
