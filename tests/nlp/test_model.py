"""spaCy's own length limit follows SITROOM_MAX_DOCUMENT_CHARS (issue 10)."""

import pytest

from sitroom.nlp.model import load_model
from sitroom.settings import Settings

pytestmark = pytest.mark.model


def test_spacy_max_length_follows_the_setting(monkeypatch):
    name = Settings().spacy_model
    monkeypatch.setenv("SITROOM_MAX_DOCUMENT_CHARS", "1300000")
    nlp = load_model(name)
    assert nlp.max_length >= 1_300_000
    doc = nlp.make_doc("Seoul protested. " * 72_000)  # 1,224,000 characters
    assert len(doc) > 200_000
    # Raised for a Coder given its own settings too; never lowered for another one.
    assert load_model(name, max_length=2_000_000).max_length == 2_000_000
    assert load_model(name, max_length=10).max_length == 2_000_000
