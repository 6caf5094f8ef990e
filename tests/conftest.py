"""Shared fixtures. Tests marked `model` load the real spaCy model (once per session)."""

from __future__ import annotations

import pytest

from sitroom.extract.coder import Coder
from sitroom.knowledge.base import KnowledgeBase, load_knowledge
from sitroom.records import Document, Event


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder()


@pytest.fixture
def code_text(coder: Coder):
    def run(text: str, date: str = "2025-03-05") -> list[Event]:
        return coder.code(Document(id="t", text=text, date=date))

    return run


def summary(event: Event) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return (
        event.event_type,
        tuple(a.code for a in event.source),
        tuple(a.code for a in event.target),
    )
