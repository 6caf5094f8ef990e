"""Actor mentions in a parsed sentence, and a document's memory of its actors.

Every phrase that can name an actor is a candidate for a role in an event: names the
knowledge base knows, phrases the resolver can code (titles, role words with a country,
"Israeli tanks"), and words that only the document can explain: pronouns ("he", "they"),
a first-person quote ("we", "I" = the quoted speaker) and bare role words ("the
president", "the ministry", "police"), which take the last compatible actor named before
them in the same document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from sitroom.extract.actors import QUANTITIES, ActorResolver
from sitroom.extract.context import DocumentContext
from sitroom.records import Actor

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "it", "its"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | FIRST_PERSON
_SPEECH = frozenset({"say", "tell", "add", "state", "write", "declare", "insist", "warn"})
_HEAD_POS = ("NOUN", "PROPN", "PRON")
# Where an unnamed noun phrase can stand for an actor of the document's country ("the
# attackers", "a hotel", "civilians"), as annotators code them from context.
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "dative", "appos", "conj"})


@dataclass
class Mention:
    """One phrase of a sentence that names an actor (or several, when coordinated)."""

    head: Token
    actors: list[Actor]
    # "name": resolved from the phrase; "memory": a pronoun or role word resolved from
    # earlier in the document; "generic": an unnamed noun phrase ("the attackers") given
    # the document's main country; "recent" / "main": no word of the sentence, the actor
    # the document named last / most often before it (for sides known only from context).
    via: str
    # For a mention resolved from memory: the span (start, end) of the actor it refers to.
    antecedent: tuple[int, int] | None = None

    @property
    def span(self) -> tuple[int, int]:
        return self.antecedent or (self.actors[0].start, self.actors[0].end)

    @property
    def kind(self) -> str:
        return self.actors[0].kind

    @property
    def pronoun(self) -> bool:
        return self.head.lower_ in PRONOUNS

    @property
    def in_text(self) -> bool:
        return self.via in ("name", "memory", "generic")


@dataclass
class ActorMemory:
    """The actors a document has named so far, in order."""

    seen: list[Actor] = field(default_factory=list)

    def add(self, actors: list[Actor]) -> None:
        for actor in actors:
            last = self.seen[-1] if self.seen else None
            if last is not None and (last.start, last.end, last.kind, last.code) == (
                actor.start,
                actor.end,
                actor.kind,
                actor.code,
            ):
                continue
            self.seen.append(actor)

    def main(self, before: int) -> Actor | None:
        """The state, organisation or group named most often before an offset (ties: the
        latest); people count for their country."""
        counts: dict[str, int] = {}
        latest: dict[str, Actor] = {}
        for actor in self.seen:
            if actor.start >= before or actor.kind == "company":
                continue
            counts[actor.code] = counts.get(actor.code, 0) + 1
            if actor.kind != "person" or actor.code not in latest:
                latest[actor.code] = actor
        if not counts:
            return None
        order = {a.code: n for n, a in enumerate(self.seen)}
        code = max(counts, key=lambda c: (counts[c], order.get(c, 0)))
        return latest[code]

    def last(self, kinds: tuple[str, ...], before: int, role: str | None = None) -> Actor | None:
        for actor in reversed(self.seen):
            if actor.start >= before or actor.kind not in kinds:
                continue
            if role is not None and (actor.role is None or role not in actor.role.lower()):
                continue
            return actor
        return None


def find_mentions(
    doc: Doc,
    resolver: ActorResolver,
    ctx: DocumentContext,
    offset: int,
    memory: ActorMemory,
) -> list[Mention]:
    """Mentions of actors in a parsed sentence, left to right; remembers what it names."""
    out: list[Mention] = []
    taken: set[tuple[int, int]] = set()
    pending: list[Token] = []
    for tok in doc:
        if not _candidate_head(tok):
            continue
        named = tok.lower_ not in PRONOUNS and _may_name_actor(tok, resolver)
        actors = resolver.resolve(tok, ctx, offset) if named else []
        if actors:
            key = (actors[0].start, actors[0].end)
            if key in taken:
                continue
            taken.add(key)
            out.append(Mention(tok, actors, "name"))
        elif (
            tok.lower_ in PRONOUNS
            or resolver.sector_of(tok) is not None
            or (tok.ent_type_ == "PERSON" and tok.pos_ == "PROPN")
        ):
            pending.append(tok)
    named = sorted(out, key=lambda m: m.head.i)
    spans = [(a.start, a.end) for m in out for a in m.actors]
    for tok in pending:
        at = offset + tok.idx
        if any(start <= at < end for start, end in spans):
            continue  # a word of a phrase already named ("Xanana" in "... Xanana Gusmao")
        found = _from_memory(tok, resolver, named, memory, offset)
        if found is not None:
            actor, antecedent = found
            out.append(Mention(tok, [actor], "memory", antecedent))
    for tok in doc:
        if tok.pos_ == "NOUN" and tok.dep_ in _ARGUMENT_DEPS and tok not in pending:
            at = offset + tok.idx
            if any(m.head.i == tok.i for m in out) or any(a <= at < b for a, b in spans):
                continue
            generic = _generic(tok, memory, offset)
            if generic is not None:
                out.append(Mention(tok, [generic], "generic"))
    out.sort(key=lambda m: m.head.i)
    out.extend(_from_context(doc, memory, offset))
    memory.add([a for m in out if m.via == "name" for a in m.actors])
    return out


def _from_context(doc: Doc, memory: ActorMemory, offset: int) -> list[Mention]:
    """The actors a sentence may leave unsaid: the last one named before it, and the one
    named most often."""
    out: list[Mention] = []
    recent = memory.last(("state", "person", "igo", "group", "ngo"), offset)
    main = memory.main(offset)
    if recent is not None:
        out.append(Mention(doc[0], [recent], "recent", (recent.start, recent.end)))
    if main is not None and (recent is None or main.code != recent.code):
        out.append(Mention(doc[0], [main], "main", (main.start, main.end)))
    return out


def _generic(tok: Token, memory: ActorMemory, offset: int) -> Actor | None:
    main = memory.main(offset + tok.idx)
    if main is None:
        return None
    code = main.country if main.kind != "state" and main.country else main.code
    start = offset + tok.idx
    return Actor(text=tok.text, start=start, end=start + len(tok), code=code, kind="state")


def _may_name_actor(tok: Token, resolver: ActorResolver) -> bool:
    """A cheap test before the resolver: a common noun names an actor only through a known
    name in its phrase, a role word, a title or a counted noun ("thousands of ...")."""
    if tok.pos_ != "NOUN" or tok.ent_type_:
        return True
    word = tok.lemma_.lower()
    kb = resolver.kb
    if word in kb.role_sectors or tok.lower_ in kb.role_sectors or tok.lower_ in kb.titles:
        return True
    if word in QUANTITIES:
        return True
    return any(t.ent_kb_id_ or t.ent_type_ for t in tok.subtree)


def _candidate_head(tok: Token) -> bool:
    if tok.ent_kb_id_:
        # The last token of a known name stands for it ("Vladimir Putin" -> Putin).
        nxt = tok.i + 1
        return nxt >= len(tok.doc) or tok.doc[nxt].ent_kb_id_ != tok.ent_kb_id_
    if tok.pos_ not in _HEAD_POS:
        return False
    return tok.dep_ not in ("compound", "flat") or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")


def _from_memory(
    tok: Token,
    resolver: ActorResolver,
    named: list[Mention],
    memory: ActorMemory,
    offset: int,
) -> tuple[Actor, tuple[int, int] | None] | None:
    """An actor for a pronoun or bare role word (earlier in this sentence, else earlier in
    the document), and the span of the mention it refers back to (None: a new actor of
    the document's main country)."""
    word = tok.lower_
    start = offset + tok.idx
    here = [a for m in named if m.head.i < tok.i for a in m.actors]
    local = ActorMemory([*memory.seen, *here])
    if word in FIRST_PERSON:
        speaker = _quoted_speaker(tok, named)
        found = speaker or local.last(("person",), start)
        if found is not None and word in ("we", "us", "our") and found.kind == "person":
            found = found.model_copy(update={"kind": "state", "name": None, "role": None})
    elif word in PERSON_PRONOUNS:
        found = local.last(("person",), start)
    elif word in GROUP_PRONOUNS:
        found = local.last(("state", "igo", "group", "ngo", "company"), start)
    elif tok.ent_type_ == "PERSON":
        # A person the knowledge base does not know: of the document's main country.
        main = local.main(start)
        if main is None or main.kind not in ("state", "person"):
            return None
        found = Actor(
            text=tok.text,
            start=start,
            end=start + len(tok),
            code=main.code,
            kind="person",
            name=tok.text,
            country=main.code,
            sector="GOV",
        )
    else:
        sector = resolver.sector_of(tok)
        if tok.lemma_.lower() in resolver.kb.titles:
            found = local.last(("person",), start, role=tok.lemma_.lower())
            if found is None:
                return None
        else:
            state = local.main(start)
            if state is None or state.kind not in ("state", "person"):
                return None
            # A new actor of that country ("the army", "police"), not the one named before.
            found = Actor(
                text=tok.text, start=start, end=start + len(tok), code=state.code, kind="state"
            )
            found = found.model_copy(update={"sector": sector})
    if found is None:
        return None
    antecedent = None if found.start == start else (found.start, found.end)
    here = {"text": tok.text, "start": start, "end": start + len(tok)}
    return found.model_copy(update=here), antecedent


def _quoted_speaker(tok: Token, named: list[Mention]) -> Actor | None:
    """The subject of the speech verb that reports a first-person quote."""
    by_head = {m.head.i: m for m in named}
    for verb in tok.doc:
        if verb.lemma_.lower() not in _SPEECH or verb.pos_ != "VERB":
            continue
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i in by_head:
                return by_head[child.i].actors[0]
    return None
