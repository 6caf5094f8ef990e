import pytest

from sitroom.records import Document
from sitroom.run.local import code_documents

pytestmark = pytest.mark.model

TEXTS = [
    "France imposed sanctions on Iranian officials on Monday.",
    "Kenyan police detained opposition supporters in Nairobi.",
    "",
    "Turkey and Azerbaijan held joint exercises near the border.",
    "The Philippines accused China of ramming its coast guard vessel.",
] * 3


def _docs():
    return [Document(id=f"d{i}", text=t) for i, t in enumerate(TEXTS)]


def test_two_processes_give_the_same_events_in_order():
    one = list(code_documents(_docs(), processes=1))
    two = list(code_documents(_docs(), processes=2, chunk_chars=120))
    assert [r.document.id for r in two] == [d.id for d in _docs()]
    assert [[e.model_dump() for e in r.events] for r in one] == [
        [e.model_dump() for e in r.events] for r in two
    ]
    errors = [r for r in two if r.error is not None]
    assert len(errors) == 3 and all("no text" in str(r.error) for r in errors)
    assert sum(len(r.events) for r in two) >= 9
