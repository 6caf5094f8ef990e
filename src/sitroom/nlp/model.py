"""The loaded spaCy model: the one piece of process-wide state sitroom keeps."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from sitroom.errors import ModelNotInstalledError


@cache
def load_model(name: str) -> Language:
    """Load a spaCy pipeline once per process."""
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalledError(name) from exc
