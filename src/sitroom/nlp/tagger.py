"""Mark every name the knowledge base knows as an entity before the model's NER runs.

The small English model mislabels many names in political news (countries tagged ORG,
organisations tagged GPE). Entities preset on a Doc are kept by spaCy's NER, which then
only labels what is left. Each preset entity carries its knowledge-base entry in
`kb_id_` (see `KBEntry.kb_id`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from sitroom.knowledge.base import ENT_LABELS, KBEntry, KnowledgeBase


class KnowledgeTagger:
    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._entries: dict[int, KBEntry] = {}
        by_entry: dict[KBEntry, list[str]] = {}
        for surface, entry in kb.surfaces.items():
            by_entry.setdefault(entry, []).append(surface)
        for entry, surfaces in by_entry.items():
            key = nlp.vocab.strings.add(entry.kb_id)
            self._entries[key] = entry
            self.matcher.add(entry.kb_id, list(nlp.tokenizer.pipe(surfaces)))

    def matches(self, doc: Doc) -> list[tuple[int, int, KBEntry]]:
        """Longest non-overlapping knowledge-base matches, left to right."""
        found = sorted(self.matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        out: list[tuple[int, int, KBEntry]] = []
        last_end = -1
        for key, start, end in found:
            if start < last_end:
                continue
            entry = self._entries[key]
            if not self._plausible(doc, start, end, entry):
                continue
            out.append((start, end, entry))
            last_end = end
        return out

    def _plausible(self, doc: Doc, start: int, end: int, entry: KBEntry) -> bool:
        """Reject an organisation, company or person match inside a longer proper name.

        "Security Council" inside "Russia's Security Council Secretary" or "the National
        Security Council of Malaysia" is not the UN Security Council.
        """
        if entry.kind not in ("org", "company", "person") or start == 0:
            return True
        prev = doc[start - 1]
        if entry.kind == "org" and prev.text in ("'s", "\u2019s"):
            return False
        if not prev.is_title or prev.text == "The":
            return True
        if start >= 2 and doc[start - 2].text in (".", "!", "?", "\n", '"', "\u201c"):
            return True
        lower = prev.lower_
        if lower in self.kb.titles or lower in self.kb.role_sectors:
            return True
        return self.kb.lookup(prev.text) is not None

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=ENT_LABELS[entry.kind], kb_id=entry.kb_id)
            for start, end, entry in self.matches(doc)
        ]
        doc.set_ents(spans, default="unmodified")
        return doc
