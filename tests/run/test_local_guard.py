"""A document whose coding fails unexpectedly becomes an error record; the run goes on."""

import pytest

from sitroom.extract.coder import Coder
from sitroom.records import Document
from sitroom.run.local import code_documents

pytestmark = pytest.mark.model


class _Fragile(Coder):
    """The real coder, except that one document breaks it (as an unforeseen bug would)."""

    def code_many(self, documents):
        for document in documents:
            if document.id == "breaks":
                raise RuntimeError("boom")
        yield from super().code_many(documents)


def test_an_unexpected_failure_is_one_error_record_and_the_rest_are_coded(monkeypatch):
    import sitroom.run.local as local

    monkeypatch.setattr(local, "Coder", _Fragile)
    docs = [
        Document(id="a", text="Japan pledged new loans to India.", date="2025-01-01"),
        Document(id="breaks", text="Seoul protested.", date="2025-01-01"),
        Document(id="c", text="Egyptian police arrested dozens of protesters.", date="2025-01-01"),
    ]
    results = list(code_documents(docs, processes=1))
    assert [r.document.id for r in results] == ["a", "breaks", "c"]
    assert results[0].events and results[2].events
    assert str(results[1].error) == "breaks: coding failed: RuntimeError: boom"
