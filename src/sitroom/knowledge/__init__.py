"""Curated knowledge the coder relies on: states, organisations, officials, companies,
role words and the event lexicon. Data files live in `data/`; `load_knowledge()` reads
them once per process."""

from sitroom.knowledge.base import KBEntry, KnowledgeBase, load_knowledge

__all__ = ["KBEntry", "KnowledgeBase", "load_knowledge"]
