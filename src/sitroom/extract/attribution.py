"""Who says so: the speaker of reported speech that carries an event ("..., Kurdish
officials said"; "according to Taipei's defence ministry")."""

from __future__ import annotations

from spacy.tokens import Token

from sitroom.extract.actors import ActorResolver
from sitroom.extract.context import DocumentContext
from sitroom.extract.events import Found
from sitroom.records import Actor

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Speech verbs beyond the lexicon's reporting verbs that still attribute a claim.
_EXTRA_SPEECH = frozenset(
    {
        "say",
        "tell",
        "report",
        "state",
        "add",
        "claim",
        "announce",
        "confirm",
        "note",
        "write",
        "suggest",
        "allege",
        "insist",
        "quote",
    }
)


class Attributor:
    def __init__(self, resolver: ActorResolver, speech_verbs: frozenset[str]) -> None:
        self.actors = resolver
        self.speech = speech_verbs | _EXTRA_SPEECH

    def speaker(self, found: Found, ctx: DocumentContext, offset: int) -> Actor | None:
        tok = found.token
        according = self._according_to(tok, ctx, offset)
        if according is not None:
            return according
        trailing = self._trailing_speech(tok, found, ctx, offset)
        if trailing is not None:
            return trailing
        cur = tok
        for _ in range(5):
            head = cur.head
            if head.i == cur.i:
                return None
            if (
                cur.dep_ in ("ccomp", "parataxis", "dobj", "xcomp", "advcl", "conj")
                and head.pos_ == "VERB"
                and head.lemma_.lower() in self.speech
                and head not in found.trigger_tokens
            ):
                subject = next((c for c in head.children if c.dep_ in _SUBJECTS), None)
                if subject is None:
                    return None
                actors = self.actors.resolve(subject, ctx, offset)
                return actors[0] if actors else None
            cur = head
        return None

    def _trailing_speech(
        self, tok: Token, found: Found, ctx: DocumentContext, offset: int
    ) -> Actor | None:
        """ "Turkish drones struck ..., Kurdish officials said" parsed with "said" as a
        parataxis child of the event's verb."""
        verb = tok if tok.pos_ == "VERB" else tok.head
        for child in verb.children:
            if (
                child.dep_ == "parataxis"
                and child.i > tok.i
                and child.lemma_.lower() in self.speech
                and child not in found.trigger_tokens
            ):
                subject = next((c for c in child.children if c.dep_ in _SUBJECTS), None)
                if subject is not None:
                    actors = self.actors.resolve(subject, ctx, offset)
                    return actors[0] if actors else None
        return None

    def _according_to(self, tok: Token, ctx: DocumentContext, offset: int) -> Actor | None:
        for t in tok.sent:
            if t.lower_ != "according":
                continue
            to = next((c for c in t.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if obj is not None:
                actors = self.actors.resolve(obj, ctx, offset)
                if actors:
                    return actors[0]
        return None
