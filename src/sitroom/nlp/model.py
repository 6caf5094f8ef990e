"""The loaded spaCy model: the one piece of process-wide state sitroom keeps."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from sitroom.errors import ModelNotInstalledError


@cache
def _load(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalledError(name) from exc


def load_model(name: str, max_length: int | None = None) -> Language:
    """Load a spaCy pipeline once per process.

    spaCy refuses texts longer than its own `max_length` (1,000,000 by default) with a
    ValueError; sitroom has its own limit, SITROOM_MAX_DOCUMENT_CHARS, and refuses longer
    documents itself with a one-line error. So spaCy's limit follows that setting (or
    `max_length` when given): it is raised to it, never lowered, on the shared model.
    """
    nlp = _load(name)
    if max_length is None:
        from sitroom.settings import Settings

        max_length = Settings().max_document_chars
    if max_length > nlp.max_length:
        nlp.max_length = max_length
    return nlp
