"""Per-document state that extraction carries from sentence to sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sitroom.records import Actor


@dataclass
class DocumentContext:
    doc_id: str
    pub_date: date | None
    # Named people seen so far in this document, by full name and by each name token.
    people: dict[str, Actor] = field(default_factory=dict)
    # The last country named in the sentences read so far (ISO3): the country of a named
    # armed group the knowledge base does not know, when its own sentence names none.
    last_country: str | None = None

    def remember(self, person: Actor) -> None:
        if not person.name:
            return
        self.people[person.name] = person
        for part in person.name.split():
            if len(part) > 2 and part[0].isupper():
                self.people.setdefault(part, person)

    def recall(self, name: str) -> Actor | None:
        hit = self.people.get(name)
        if hit is None and " " in name:
            hit = self.people.get(name.split()[-1])
        return hit
