"""Find events with the trained decisions: for every candidate trigger word an event type
(or none), for every actor mention its role in each event (source, target, none), and
each event's modality. The lexicon and the knowledge base enter as facts: the lexicon's
type for the word, the kinds of actors around it (see decision_features.py)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sitroom.extract.actors import ActorResolver
from sitroom.extract.certainty import clause_modality
from sitroom.extract.context import DocumentContext
from sitroom.extract.decision_features import (
    modality_features,
    role_features,
    trigger_candidate,
    trigger_features,
)
from sitroom.extract.events import EventFinder, Found, clause_words
from sitroom.extract.mentions_in_sentence import ActorMemory, Mention, find_mentions
from sitroom.extract.model_files import EventModels, Thresholds
from sitroom.extract.rule_hints import RuleHints
from sitroom.knowledge.lexicon import EventLexicon, TriggerRule
from sitroom.records import Actor

NONE = "NONE"
SOURCE = "SOURCE"
TARGET = "TARGET"
_SYMMETRIC = frozenset({"CONSULT", "COOPERATE", "AGREE"})
_MODIFIER_DEPS = frozenset({"poss", "compound", "amod", "nmod", "appos"})
_FRAME_PREPS = frozenset({"during", "on"})


@dataclass
class Scored:
    """The probabilities behind one event, for its confidence."""

    type_prob: float
    source_prob: float
    target_prob: float
    modality_prob: float


class LearnedFinder:
    def __init__(
        self, models: EventModels | None, lexicon: EventLexicon, resolver: ActorResolver
    ) -> None:
        """`models` may be None while training: then only mentions and candidates work."""
        self.models = models
        self.lexicon = lexicon
        self.resolver = resolver
        self.rules = EventFinder(lexicon, resolver)

    def mentions(
        self, doc: Doc, ctx: DocumentContext, offset: int, memory: ActorMemory
    ) -> list[Mention]:
        return find_mentions(doc, self.resolver, ctx, offset, memory)

    def lexicon_types(self, tok: Token) -> list[str]:
        return self.rules.lexicon_types(tok)

    def hints(self, doc: Doc, ctx: DocumentContext, offset: int) -> RuleHints:
        """What the lexicon rules read in the sentence (facts for the decisions)."""
        return RuleHints.of(self.rules.find(doc, ctx, offset))

    def trigger_facts(
        self,
        tok: Token,
        mentions: list[Mention],
        hints: RuleHints | None,
        earlier: frozenset[str] | set[str] = frozenset(),
    ) -> dict[str, float]:
        return trigger_features(
            tok,
            mentions,
            self.rules.lexicon_types(tok),
            self.rules.lexicon_any_types(tok),
            hints,
            earlier,
        )

    def candidates(self, doc: Doc, vocabulary: frozenset[str] | None = None) -> list[Token]:
        words = vocabulary if vocabulary is not None else self._models.vocabulary
        return [t for t in doc if trigger_candidate(t, words)]

    @property
    def _models(self) -> EventModels:
        if self.models is None:
            raise RuntimeError("no trained models loaded")
        return self.models

    def find(
        self,
        doc: Doc,
        mentions: list[Mention],
        hints: RuleHints | None = None,
        earlier: frozenset[str] | set[str] = frozenset(),
    ) -> list[tuple[Found, Scored]]:
        """Events of a parsed sentence; `earlier` holds the document's words before it."""
        th = self._models.thresholds
        out: list[tuple[Found, Scored]] = []
        for tok in self.candidates(doc):
            facts = self.trigger_facts(tok, mentions, hints, earlier)
            probs = self._models.types.probabilities(facts)
            ptype, p = max(((k, v) for k, v in probs.items() if k != NONE), key=lambda kv: kv[1])
            if p < th.event:
                continue
            found, scored = self._assemble(tok, ptype, p, mentions, hints)
            if found is not None:
                out.append((found, scored))
                out.extend(self._promises(found, scored))
        return _without_repeats(_absorb_frames(out))

    def _promises(self, found: Found, scored: Scored) -> list[tuple[Found, Scored]]:
        """A material action announced for the future is also a promise (AGREE) or a
        threat (THREATEN), as PLOVER codes them; the action stays its own event."""
        if found.modality not in ("intended", "asserted"):
            return []
        out = []
        for derived in self.rules.announcements([found]):
            derived.modality = "asserted"
            out.append((derived, scored))
        return out

    def modality_facts(self, tok: Token) -> dict[str, float]:
        """Modality facts of a trigger word, with the clause rules' own reading."""
        rule = TriggerRule(lemma=tok.lemma_.lower(), pos=tok.pos_.lower(), type="CONSULT")
        probe = Found(rule, self._trigger_words(tok), [], [], None, [], head=tok)
        return modality_features(tok, clause_modality(probe))

    def _trigger_words(self, tok: Token) -> list[Token]:
        """The trigger word with the light verb of "held talks" and the particle of
        "called on": the words a record shows, and where dates and places attach."""
        words = [tok]
        if (
            tok.pos_ == "NOUN"
            and tok.dep_ in ("dobj", "attr", "nsubjpass")
            and tok.head.lemma_.lower() in self.lexicon.light_verbs
        ):
            words.append(tok.head)
        words.extend(c for c in tok.children if c.dep_ == "prt")
        return sorted(words, key=lambda t: t.i)

    def _assemble(
        self,
        tok: Token,
        ptype: str,
        p: float,
        mentions: list[Mention],
        hints: RuleHints | None,
    ) -> tuple[Found | None, Scored]:
        th = self._models.thresholds
        roles = [
            (m, self._models.roles.probabilities(role_features(tok, ptype, m, mentions, hints)))
            for m in mentions
            if not _inside_trigger(m, tok)
        ]
        source_m, ps, target_m, pt = _choose_roles(roles, th)
        source_m = _whole_phrase(source_m, mentions, tok)
        target_m = _whole_phrase(target_m, mentions, tok)
        source = list(source_m.actors) if source_m else []
        target = list(target_m.actors) if target_m else []
        if not source and not target:
            return None, Scored(p, ps, pt, 0.0)
        mod_probs = self._models.modality.probabilities(self.modality_facts(tok))
        modality, pm = max(mod_probs.items(), key=lambda kv: kv[1])
        joint = False
        if ptype in _SYMMETRIC and len(source) >= 2 and _codes(target) <= _codes(source):
            # "Vietnam and South Korea signed ...": each side acts with the other.
            target, joint = list(source), True
        # The lexicon's own rule for this word and type, when it has one, gives the mode,
        # context and CAMEO detail ("visit" -> CONSULT, mode visit).
        rule = next((r for r in self.rules.fitting_rules(tok) if r.type == ptype), None)
        if rule is None:
            pos = "noun" if tok.pos_ != "VERB" else "verb"
            rule = TriggerRule(lemma=tok.lemma_.lower(), pos=pos, type=ptype)
        trigger_words = self._trigger_words(tok)
        words = clause_words(min(trigger_words, key=lambda t: _depth(t)))
        mode = rule.mode or self.rules.mode_from(ptype, words)
        context = list(dict.fromkeys([*rule.context, *self.rules.context_from(words)])) or list(
            self.lexicon.type_context.get(ptype, ())
        )
        found = Found(
            rule,
            trigger_words,
            source,
            target,
            mode,
            context,
            joint,
            source_direct=source_m is not None and source_m.in_text,
            head=tok,
        )
        found.modality = modality
        return found, Scored(p, ps, pt, pm)


def _choose_roles(
    roles: list[tuple[Mention, dict[str, float]]], th: Thresholds
) -> tuple[Mention | None, float, Mention | None, float]:
    """The most probable source and target together: two distinct actors (or none on a
    side, which scores that side's threshold), never one actor read twice, and no
    target without a source unless the sentence names it."""
    sources: list[tuple[Mention | None, float]] = [(None, th.source)]
    sources += [(m, r.get(SOURCE, 0.0)) for m, r in roles if r.get(SOURCE, 0.0) >= th.source]
    targets: list[tuple[Mention | None, float]] = [(None, th.target)]
    targets += [(m, r.get(TARGET, 0.0)) for m, r in roles if r.get(TARGET, 0.0) >= th.target]
    best: tuple[float, Mention | None, float, Mention | None, float] | None = None
    for sm, ps in sources:
        for tm, pt in targets:
            if sm is not None and tm is not None and (sm is tm or _same_actor_twice(sm, tm)):
                continue
            if sm is None and tm is not None and tm.via not in ("name", "memory"):
                continue  # a target alone must be named, not a default or a guess
            score = ps * pt
            if best is None or score > best[0]:
                best = (score, sm, ps, tm, pt)
    assert best is not None
    return best[1], best[2], best[3], best[4]


def _whole_phrase(mention: Mention | None, mentions: list[Mention], tok: Token) -> Mention | None:
    """ "Pakistan's army", "Russia's Security Council Secretary Sergey Shoigu": when the
    chosen actor is a modifier inside a phrase that names the same country, the phrase
    (its outermost named mention) is the actor."""
    if mention is None or not mention.in_text:
        return mention
    by_head = {m.head.i: m for m in mentions if m.in_text and m.via == "name"}
    best = mention
    cur = mention.head
    for _ in range(4):
        if cur.dep_ not in _MODIFIER_DEPS or cur.head.i == tok.i:
            break
        cur = cur.head
        outer = by_head.get(cur.i)
        if outer is not None and _codes(outer.actors) & _codes(mention.actors):
            best = outer
    return best


def _inside_trigger(mention: Mention, tok: Token) -> bool:
    return mention.in_text and mention.head.i == tok.i


def _same_actor_twice(a: Mention, b: Mention) -> bool:
    """One actor read twice ("Lula said he had asked ..."): a same-country dyad needs two
    distinct actors, not a name and a word that refers back to it."""
    x, y = a.actors[0], b.actors[0]
    if x.code != y.code:
        return False
    if not a.in_text or not b.in_text or a.span == b.span:
        return True
    if "generic" in (a.via, b.via):
        # An unnamed phrase only defaults to the document's country: no evidence of a
        # second actor of that country.
        return True
    return bool(x.name and x.name == y.name)


def _absorb_frames(found: list[tuple[Found, Scored]]) -> list[tuple[Found, Scored]]:
    """ "held talks ... during a visit to Kuala Lumpur": the framing visit is the mode of
    the talks, not an event of its own."""
    hosts = [f for f, _ in found if f.rule.type == "CONSULT" and f.source and not _framed(f.token)]
    out = []
    for f, s in found:
        if f.rule.type == "CONSULT" and _framed(f.token) and hosts:
            host = hosts[0]
            host.mode = host.mode or f.mode
            host.absorbed.append(f)
            continue
        out.append((f, s))
    return out


def _depth(tok: Token) -> int:
    return sum(1 for _ in tok.ancestors)


def _framed(tok: Token) -> bool:
    return tok.dep_ == "pobj" and tok.head.lower_ in _FRAME_PREPS


def _without_repeats(found: list[tuple[Found, Scored]]) -> list[tuple[Found, Scored]]:
    """One event per type and set of actors in a sentence: the most probable, most complete
    reading stays."""
    best: dict[tuple, tuple[Found, Scored]] = {}
    for f, s in found:
        key = (f.rule.type, _codes(f.source), _codes(f.target))
        if key not in best or s.type_prob > best[key][1].type_prob:
            best[key] = (f, s)
    kept = list(best.values())
    # "The meeting follows talks between X and Y": an event whose actors are all among
    # those of another event of its type in the sentence is the same event told twice.
    out = []
    for f, s in kept:
        mine = _codes(f.source) | _codes(f.target)
        covered = any(
            g is not f
            and g.rule.type == f.rule.type
            and mine <= (_codes(g.source) | _codes(g.target))
            and (mine != (_codes(g.source) | _codes(g.target)) or t.type_prob > s.type_prob)
            for g, t in kept
        )
        if not covered:
            out.append((f, s))
    survivors = {id(f) for f, _ in out}
    return [(f, s) for f, s in found if id(f) in survivors]


def _codes(actors: list[Actor]) -> frozenset[str]:
    return frozenset(a.code for a in actors)
