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
        # Short or ambiguous names ("IS", "RSF") are checked for a cue word when matched.
        self._guarded: dict[int, str] = {}
        for alias in kb.guarded:
            key = nlp.vocab.strings.add(f"guarded|{alias}")
            self._guarded[key] = alias
            self.matcher.add(f"guarded|{alias}", [nlp.make_doc(alias)])

    def matches(self, doc: Doc) -> list[tuple[int, int, KBEntry]]:
        """Longest non-overlapping knowledge-base matches, left to right."""
        found: list[tuple[int, int, int, KBEntry]] = []
        words: set[str] | None = None
        for key, start, end in self.matcher(doc):
            entry = self._entries.get(key)
            if entry is not None:
                found.append((start, end, 1, entry))
                continue
            if words is None:
                words = {t.lower_ for t in doc}
            entry = self._guarded_entry(doc, start, end, self._guarded[key], words)
            if entry is not None:  # a guarded name whose cue is there beats a plain one
                found.append((start, end, 0, entry))
        found.sort(key=lambda m: (m[0], -(m[1] - m[0]), m[2]))
        out: list[tuple[int, int, KBEntry]] = []
        last_end = -1
        for start, end, _, entry in found:
            if start < last_end:
                continue
            if not self._plausible(doc, start, end, entry):
                continue
            out.append((start, end, entry))
            last_end = end
        return out

    def _guarded_entry(
        self, doc: Doc, start: int, end: int, alias: str, words: set[str]
    ) -> KBEntry | None:
        """The entry of a guarded name whose cue word is near, unless it sits beside another
        all-capitals word ("IT IS", a headline in capitals) that the base does not know."""
        for i in (start - 1, end):
            if 0 <= i < len(doc):
                t = doc[i]
                if t.is_alpha and t.is_upper and len(t) > 1 and self.kb.lookup(t.text) is None:
                    return None
        for row in self.kb.guarded[alias]:
            if row.window is None:
                if row.near & words:
                    return row.entry
                continue
            lo, hi = max(0, start - row.window), min(len(doc), end + row.window)
            if any(doc[i].lower_ in row.near for i in range(lo, hi) if not start <= i < end):
                return row.entry
        return None

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
        if lower in self.kb.group_descriptors and self._is_group(entry):
            return True  # "the Islamist Hayat Tahrir al-Sham", "Shiite Muslim Houthi rebels"
        return self.kb.lookup(prev.text) is not None

    def _is_group(self, entry: KBEntry) -> bool:
        org = self.kb.organisations.get(entry.key) if entry.kind == "org" else None
        return org is not None and org.kind == "group"

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=ENT_LABELS[entry.kind], kb_id=entry.kb_id)
            for start, end, entry in self.matches(doc)
        ]
        doc.set_ents(spans, default="unmodified")
        return doc
