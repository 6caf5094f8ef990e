"""What the hand-written lexicon rules (extract/events.py) make of a sentence, as facts
for the trained decisions: which words they read as triggers of which type, and which
actors they put in which role. The trained models weigh these hints against everything
else; the rules no longer decide anything alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from sitroom.extract.events import Found
from sitroom.extract.mentions_in_sentence import Mention
from sitroom.records import Actor


@dataclass
class RuleHints:
    types: dict[int, set[str]] = field(default_factory=dict)  # token index -> types
    sentence_types: set[str] = field(default_factory=set)
    # token index of a rule trigger -> the (start, end, role) of its actors
    roles: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, events: list[Found]) -> RuleHints:
        hints = cls()
        for event in events:
            spans = [(a.start, a.end, "SOURCE") for a in event.source]
            spans += [(a.start, a.end, "TARGET") for a in event.target if not event.joint]
            for tok in {*event.trigger_tokens, event.token}:
                hints.types.setdefault(tok.i, set()).add(event.rule.type)
                hints.roles.setdefault(tok.i, []).extend(spans)
            hints.sentence_types.add(event.rule.type)
        return hints

    def role_of(self, trigger_index: int, mention: Mention) -> str | None:
        """The role the rules gave this mention in the event at this trigger, "none" when
        they found an event there without it, None when they found no event there."""
        spans = self.roles.get(trigger_index)
        if spans is None:
            return None
        for actor in mention.actors:
            for start, end, role in spans:
                if _overlap(actor, start, end):
                    return role
        return "none"


def _overlap(actor: Actor, start: int, end: int) -> bool:
    return actor.start < end and start < actor.end
