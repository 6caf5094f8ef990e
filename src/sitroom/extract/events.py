"""Find event triggers in a parsed sentence and read their source and target from the
dependency parse, using the project's event lexicon."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from sitroom.extract.actors import ActorResolver
from sitroom.extract.context import DocumentContext
from sitroom.knowledge.lexicon import EventLexicon, TriggerRule
from sitroom.records import Actor

_SUBJ = ("nsubj", "csubj")
_PASSIVE_SUBJ = ("nsubjpass", "csubjpass")
_INHERIT_FROM_HEAD = ("xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp")
_ADDRESSED_TYPES = {"REQUEST", "THREATEN", "ACCUSE", "SUPPORT", "REJECT"}
_LOCATED_TYPES = {"PROTEST", "COERCE"}
_FUTURE_AUX = {"will", "would", "shall", "'ll", "wo"}
_INTENT_WORDS = {"willing", "ready", "prepared", "plan", "intend", "determined", "set"}
_PRONOUNS = {"it", "they", "he", "she", "we"}
_FRAME_PREPS = {"during", "on", "after", "at", "before", "amid", "for", "in"}


@dataclass
class Found:
    """An event found in one sentence, before it becomes an Event record."""

    rule: TriggerRule
    trigger_tokens: list[Token]
    source: list[Actor]
    target: list[Actor]
    mode: str | None
    context: list[str]
    joint: bool = False
    source_direct: bool = True
    absorbed: list[Found] = field(default_factory=list)
    head: Token | None = None
    derived: bool = False  # inferred from another event or an obligation, not a trigger
    modality: str | None = None  # set by a trained decision; None: read from the clause

    @property
    def token(self) -> Token:
        """The trigger word itself (the noun of "held talks")."""
        assert self.head is not None
        return self.head


class EventFinder:
    def __init__(self, lexicon: EventLexicon, resolver: ActorResolver) -> None:
        self.lex = lexicon
        self.actors = resolver

    def find(self, doc: Doc, ctx: DocumentContext, offset: int) -> list[Found]:
        nouns: dict[int, Found] = {}
        for tok in doc:
            if tok.pos_ in ("NOUN", "PROPN") or (
                tok.pos_ == "VERB" and tok.tag_ == "VBG" and tok.dep_ in ("pobj", "dobj")
            ):
                rule = self._match(tok, "noun")
                if rule is not None:
                    found = self._noun_event(tok, rule, ctx, offset)
                    if found is not None:
                        nouns[tok.i] = found
        verbs: list[Found] = []
        for tok in doc:
            if tok.pos_ != "VERB" and not tok.tag_.startswith("VB"):
                continue
            if tok.pos_ == "AUX":
                continue
            rule = self._match(tok, "verb")
            if rule is None:
                continue
            if self._yields_to_noun(tok, rule, nouns):
                continue
            found = self._verb_event(tok, rule, ctx, offset)
            if found is not None:
                verbs.append(found)
        verbs.extend(self._obligations(doc, ctx, offset))
        events = sorted([*verbs, *nouns.values()], key=lambda f: f.token.i)
        events = _fill_agentless(events)
        for ev in events:
            if not ev.target:
                ev.target = _embedded_target(ev, events) or self._place_target(ev, ctx, offset)
        events.extend(self.announcements(events))
        return _absorb_frames(events)

    def _obligations(self, doc: Doc, ctx: DocumentContext, offset: int) -> list[Found]:
        """ "Russia said Sudan must return the helicopter": saying that another actor must
        act is a demand (REQUEST) from the speaker to that actor."""
        out: list[Found] = []
        for verb in doc:
            if _lemma(verb) not in self.lex.speech_verbs or verb.pos_ != "VERB":
                continue
            subj, passive, direct = _subject(verb)
            if subj is None or passive:
                continue
            for clause in verb.children:
                if clause.dep_ != "ccomp":
                    continue
                if not any(c.dep_ == "aux" and c.lower_ == "must" for c in clause.children):
                    continue
                addressee = next((c for c in clause.children if c.dep_ in _SUBJ), None)
                if addressee is None:
                    continue
                source = self._resolve_subject(subj, ctx, offset)
                target = self.actors.resolve(addressee, ctx, offset)
                if source and target:
                    rule = self._derived_rule("REQUEST", _lemma(verb))
                    found = self._finish(rule, [verb], source, target, direct, ctx)
                    if found is not None:
                        found.derived = True
                        out.append(found)
        return out

    def announcements(self, events: list[Found]) -> list[Found]:
        """A material action announced for the future is also a verbal event: a promise
        (AGREE) for cooperation, a threat (THREATEN) for conflict, as PLOVER codes them
        ("Finland will give Tanzania a grant" -> AGREE; "they would blockade Paris" ->
        THREATEN). The announced action stays as its own event."""
        out: list[Found] = []
        for ev in events:
            quad = self.lex.types[ev.rule.type].quad_class
            promise = quad == 2 or ev.rule.type == "SUPPORT"
            # The verb of the trigger: the trigger itself, or the light verb of "send aid".
            verb = next((t for t in ev.trigger_tokens if t.pos_ == "VERB"), None)
            if verb is None or not (promise or quad == 4) or not ev.source:
                continue
            if any(c.dep_ == "neg" for c in verb.children):
                continue
            marker = next(
                (c for c in verb.children if c.dep_ == "aux" and c.lower_ in _FUTURE_AUX), None
            )
            if (
                marker is None
                and verb.dep_ == "xcomp"
                and verb.head.lemma_.lower() in _INTENT_WORDS
            ):
                marker = verb.head
            if marker is None or _lemma(verb.head) in ("threaten", "vow", "pledge", "promise"):
                continue
            rule = self._derived_rule("AGREE" if promise else "THREATEN", ev.rule.lemma)
            tokens = sorted({marker, verb}, key=lambda t: t.i)
            out.append(
                Found(
                    rule,
                    tokens,
                    list(ev.source),
                    list(ev.target),
                    None,
                    ev.context,
                    ev.joint,
                    ev.source_direct,
                    head=verb,
                    derived=True,
                )
            )
        return out

    def _derived_rule(self, ptype: str, lemma: str) -> TriggerRule:
        return TriggerRule(lemma=lemma, pos="verb", type=ptype)

    def _place_target(self, ev: Found, ctx: DocumentContext, offset: int) -> list[Actor]:
        """Protests and coercion inside a state are aimed at that state ("rioted at a jail
        in northern Israel" -> ISR), when the clause names the state or its capital."""
        if ev.rule.type not in _LOCATED_TYPES:
            return []
        for prep in ev.token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "at", "outside"):
                for pobj in prep.children:
                    if pobj.dep_ != "pobj":
                        continue
                    for actor in self.actors.find_within(pobj, ctx, offset):
                        if actor.kind == "state":
                            return [actor.model_copy(update={"sector": "GOV"})]
        return []

    # ------------------------------------------------------------- matching
    def fitting_rules(self, tok: Token) -> list[TriggerRule]:
        """Every lexicon rule that fits this word as it is used here."""
        pos = "verb" if tok.pos_ == "VERB" or tok.tag_.startswith("VB") else "noun"
        lemma = tok.lemma_.lower()
        rules = self.lex.rules_for(lemma, pos) or self.lex.rules_for(tok.lower_, pos)
        return [r for r in rules if self._fits(tok, r)]

    def lexicon_types(self, tok: Token) -> list[str]:
        """The types of every lexicon rule that fits this word as it is used here."""
        return list(dict.fromkeys(r.type for r in self.fitting_rules(tok)))

    def lexicon_any_types(self, tok: Token) -> list[str]:
        """The types the lexicon gives this word in any use."""
        lemma = tok.lemma_.lower()
        found = [r.type for pos in ("verb", "noun") for r in self.lex.rules_for(lemma, pos)]
        return list(dict.fromkeys(found))

    def _match(self, tok: Token, pos: str) -> TriggerRule | None:
        lemma = tok.lemma_.lower()
        rules = self.lex.rules_for(lemma, pos) or self.lex.rules_for(tok.lower_, pos)
        for rule in rules:
            if self._fits(tok, rule):
                return rule
        return None

    def _fits(self, tok: Token, rule: TriggerRule) -> bool:
        kids = list(tok.children)
        objects = _objects(tok)
        if rule.obj:
            # The object, a passive subject or "agreed to a ceasefire", and their compounds.
            cands = [*objects, *[c for c in kids if c.dep_ in _PASSIVE_SUBJ]]
            for c in kids:
                if c.dep_ == "prep" and c.lower_ in ("to", "on"):
                    cands.extend(g for g in c.children if g.dep_ == "pobj")
            # "tons of food aid", "a state of emergency"
            for o in list(cands):
                for prep in o.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        cands.extend(g for g in prep.children if g.dep_ == "pobj")
            cands.extend([m for o in list(cands) for m in o.children if m.dep_ == "compound"])
            if not any(_lemma(o) in rule.obj or o.lower_ in rule.obj for o in cands):
                return False
        if rule.no_obj and objects:
            return False
        if rule.negated and not any(c.dep_ == "neg" for c in kids):
            return False
        if rule.prep and not any(
            c.dep_ in ("prep", "prt", "advmod") and c.lower_ == rule.prep for c in kids
        ):
            return False
        if rule.xcomp and not any(
            c.dep_ in ("xcomp", "ccomp") and _lemma(c) in rule.xcomp for c in kids
        ):
            return False
        if rule.modifier and not any(
            c.dep_ in ("compound", "amod", "nmod")
            and (c.lower_ in rule.modifier or _lemma(c) in rule.modifier)
            for c in kids
        ):
            return False
        if rule.governor and _lemma(tok.head) not in rule.governor:
            return False
        if rule.prep_required and not any(c.dep_ == "prep" and c.lower_ in rule.args for c in kids):
            return False
        return True

    def _yields_to_noun(self, verb: Token, rule: TriggerRule, nouns: dict[int, Found]) -> bool:
        if not (rule.light or _lemma(verb) in self.lex.light_verbs):
            return False
        return any(obj.i in nouns for obj in _objects(verb))

    # ------------------------------------------------------------- verbs
    def _verb_event(
        self, verb: Token, rule: TriggerRule, ctx: DocumentContext, offset: int
    ) -> Found | None:
        subj, passive, direct = _subject(verb)
        source: list[Actor] = []
        target: list[Actor] = []
        if passive:
            agent = _prep_object(verb, "by", deps=("agent", "prep"))
            if agent is not None:
                source = self.actors.resolve(agent, ctx, offset)
            if subj is not None:
                target = self._target_from(subj, ctx, offset)
        elif subj is not None:
            source = self._resolve_subject(subj, ctx, offset)
        agentless = passive and target and self.lex.types[rule.type].quad_class == 4
        if not source and not passive and subj is not None and rule.type == "ASSAULT":
            # "A roadside bombing killed one soldier": the means, not an actor, is the
            # subject; the attacker is unknown.
            if _lemma(subj) in self.lex.attack_means:
                target = self._verb_target(verb, rule, ctx, offset)
                agentless = bool(target)
        if not source and not agentless:
            # A violent or coercive passive with no agent ("three civilians were killed")
            # keeps its target; the attacker is unknown.
            return None
        if not target:
            target = self._verb_target(verb, rule, ctx, offset)
        return self._finish(rule, [verb, *_particles(verb, rule)], source, target, direct, ctx)

    def _resolve_subject(self, subj: Token, ctx: DocumentContext, offset: int) -> list[Actor]:
        """The subject's actors; a pronoun takes the subject of the clause that reports it
        ("Hungary said it would support ..." -> Hungary)."""
        if subj.pos_ == "VERB":
            # "The Red Cross operating in Iraq said": the clause's own subject acts.
            inner = next((c for c in subj.children if c.dep_ in _SUBJ), None)
            if inner is None:
                return []
            subj = inner
        if subj.lower_ in _PRONOUNS:
            clause = subj.head
            while clause.dep_ in ("ccomp", "xcomp", "conj", "advcl") and clause.head.i != clause.i:
                clause = clause.head
                for c in clause.children:
                    if c.dep_ in _SUBJ and c.lower_ not in _PRONOUNS:
                        return self.actors.resolve(c, ctx, offset)
            return []
        return self.actors.resolve(subj, ctx, offset)

    def _verb_target(
        self, verb: Token, rule: TriggerRule, ctx: DocumentContext, offset: int
    ) -> list[Actor]:
        if rule.xcomp:
            for c in verb.children:
                if c.dep_ in ("xcomp", "ccomp") and _lemma(c) in rule.xcomp:
                    for slot in ("dobj", *rule.args):
                        found = self._slot(c, slot, ctx, offset)
                        if found:
                            return found
        for slot in rule.args:
            found = self._slot(verb, slot, ctx, offset)
            if found:
                return found
        # "demanded that the US cancel ...": the addressee is the complement's subject.
        if rule.type in _ADDRESSED_TYPES:
            for c in verb.children:
                if c.dep_ == "ccomp":
                    for g in c.children:
                        if g.dep_ in _SUBJ or g.dep_ in _PASSIVE_SUBJ:
                            found = self.actors.resolve(g, ctx, offset)
                            if found:
                                return found
        # "agreed to re-open its borders to UN peacekeepers": look inside the complement.
        for c in verb.children:
            if c.dep_ in ("xcomp",):
                for slot in ("dative", "to", "with", "on", "against", "dobj"):
                    found = self._slot(c, slot, ctx, offset)
                    if found:
                        return found
        return []

    def _slot(self, head: Token, slot: str, ctx: DocumentContext, offset: int) -> list[Actor]:
        if slot == "dobj":
            for obj in _objects(head):
                found = self._target_from(obj, ctx, offset)
                if found:
                    return found
            return []
        if slot == "dative":
            for c in head.children:
                if c.dep_ == "dative":
                    inner = _prep_object(c, "to") if c.pos_ == "ADP" else c
                    if inner is not None:
                        found = self._target_from(inner, ctx, offset)
                        if found:
                            return found
            return []
        pobj = _prep_object(head, slot)
        if pobj is None:
            for obj in _objects(head):
                pobj = _prep_object(obj, slot)
                if pobj is not None:
                    break
        if pobj is None:
            return []
        return self._target_from(pobj, ctx, offset)

    def _target_from(self, tok: Token, ctx: DocumentContext, offset: int) -> list[Actor]:
        found = self.actors.resolve(tok, ctx, offset)
        if found:
            return found
        return self.actors.find_within(tok, ctx, offset)

    # ------------------------------------------------------------- nouns
    def _noun_event(
        self, noun: Token, rule: TriggerRule, ctx: DocumentContext, offset: int
    ) -> Found | None:
        source: list[Actor] = []
        target: list[Actor] = []
        direct = True
        trigger = [noun]
        between = _prep_object(noun, "between")
        if between is not None:
            parties = self.actors.resolve(between, ctx, offset)
            if len(parties) >= 2:
                source, target = parties[:1], parties[1:]
        if not source:
            for c in noun.children:
                if c.dep_ == "poss":
                    source = self.actors.resolve(c, ctx, offset)
        if not source:
            by = _prep_object(noun, "by")
            if by is not None:
                source = self.actors.resolve(by, ctx, offset)
        governor = noun.head
        if (
            not source
            and noun.dep_ in ("dobj", "attr", "conj")
            and governor.pos_ in ("VERB", "AUX")
        ):
            head_verb = governor
            if noun.dep_ == "conj":
                head_verb = noun.head.head if noun.head.dep_ in ("dobj", "attr") else governor
            if _lemma(head_verb) in self.lex.light_verbs or _lemma(head_verb) in rule.governor:
                subj, passive, direct = _subject(head_verb)
                if subj is not None and not passive:
                    source = self._resolve_subject(subj, ctx, offset)
                    trigger = [head_verb, noun] if head_verb.i < noun.i else [noun]
                    for slot in rule.args:
                        pobj = _prep_object(head_verb, slot)
                        if pobj is not None and not target:
                            target = self._target_from(pobj, ctx, offset)
        if not source and noun.dep_ == "nsubjpass" and _lemma(governor) in self.lex.light_verbs:
            agent = _prep_object(governor, "by", deps=("agent", "prep"))
            if agent is not None:
                source = self.actors.resolve(agent, ctx, offset)
                trigger = [noun, governor]
                for slot in rule.args:
                    pobj = _prep_object(governor, slot)
                    if pobj is not None:
                        target = self._target_from(pobj, ctx, offset)
                        if target:
                            break
        if not source and noun.dep_ == "pobj" and noun.head.lower_ in _FRAME_PREPS:
            verb = _clause_verb(noun.head.head)
            if verb is not None:
                subj, passive, _ = _subject(verb)
                if subj is not None and not passive:
                    source = self.actors.resolve(subj, ctx, offset)
                    direct = False
        if not source:
            # "Israeli air strikes", "Palestinian riots": a country adjective is the actor.
            for c in noun.children:
                if c.dep_ in ("amod", "compound", "nmod") and c.ent_kb_id_ and c.i < noun.i:
                    source = self.actors.resolve(c, ctx, offset)
                    if source:
                        break
        framed = noun.dep_ == "pobj" and noun.head.lower_ in ("during", "on")
        if not source and not (framed and rule.type == "CONSULT"):
            return None
        if not target:
            for slot in rule.args:
                if slot == "between":
                    continue
                pobj = _prep_object(noun, slot)
                if pobj is not None:
                    target = self._target_from(pobj, ctx, offset)
                    if target:
                        break
        return self._finish(rule, trigger, source, target, direct, ctx)

    # ------------------------------------------------------------- common
    def _finish(
        self,
        rule: TriggerRule,
        trigger: list[Token],
        source: list[Actor],
        target: list[Actor],
        direct: bool,
        ctx: DocumentContext,
    ) -> Found | None:
        target = [t for t in target if all(t.start != s.start for s in source)]
        joint = False
        if not target and rule.joint and len(source) >= 2:
            target = list(source)
            joint = True
        if rule.need_target and not target:
            return None
        head = (
            next((t for t in trigger if t.pos_ in ("NOUN", "PROPN")), trigger[-1])
            if rule.pos == "noun"
            else trigger[0]
        )
        words = clause_words(head)
        mode = rule.mode or self.mode_from(rule.type, words)
        context = list(dict.fromkeys([*rule.context, *self.context_from(words)]))
        if not context:
            context = list(self.lex.type_context.get(rule.type, ()))
        trigger = sorted(trigger, key=lambda t: t.i)
        return Found(rule, trigger, source, target, mode, context, joint, direct, head=head)

    def mode_from(self, ptype: str, words: list[str]) -> str | None:
        table = self.lex.mode_words.get(ptype)
        if not table:
            return None
        for w in words:
            if w in table:
                return table[w]
        return None

    def context_from(self, words: list[str]) -> list[str]:
        out = []
        for w in words:
            ctxt = self.lex.context_words.get(w)
            if ctxt and ctxt not in out:
                out.append(ctxt)
        return out


# ---------------------------------------------------------------- parse helpers
def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _objects(tok: Token) -> list[Token]:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
    for o in list(objs):
        objs.extend(o.conjuncts)
    if not objs:
        objs = [c for c in tok.children if c.dep_ in ("attr", "oprd")]
    return objs


def _particles(verb: Token, rule: TriggerRule) -> list[Token]:
    if rule.prep:
        return [
            c
            for c in verb.children
            if c.lower_ == rule.prep and c.dep_ in ("prt", "prep", "advmod")
        ]
    return []


def _prep_object(head: Token, prep: str, deps: tuple[str, ...] = ("prep",)) -> Token | None:
    for c in head.children:
        if c.dep_ in deps and c.lower_ == prep:
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    return g
    return None


def _subject(verb: Token) -> tuple[Token | None, bool, bool]:
    """(subject, is_passive, found_directly) of a verb, climbing through complements."""
    cur = verb
    direct = True
    for _ in range(4):
        for c in cur.children:
            if c.dep_ in _SUBJ:
                return c, False, direct
            if c.dep_ in _PASSIVE_SUBJ:
                return c, True, direct
        if cur.dep_ == "relcl":
            return cur.head, False, False
        if cur.dep_ == "acl" and cur.tag_ == "VBN":
            return cur.head, True, False
        if cur.dep_ in _INHERIT_FROM_HEAD and cur.head.i != cur.i:
            cur = cur.head
            direct = False
            continue
        break
    return None, False, direct


def _clause_verb(tok: Token) -> Token | None:
    """The verb governing a modifier at most two steps up ("during a visit" -> held)."""
    cur = tok
    for _ in range(3):
        if cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def clause_words(head: Token) -> list[str]:
    words = [head.lemma_.lower()]
    for t in head.subtree:
        if t.dep_ in ("relcl", "advcl") or t.pos_ == "PROPN":
            continue
        words.append(t.lemma_.lower())
        words.append(t.lower_)
    return words


def _fill_agentless(events: list[Found]) -> list[Found]:
    """ "Nasrallah was killed in an Israeli air strike": an agentless passive takes its
    source from a same-type nominal event in the sentence that has one and no target."""
    out = list(events)
    for ev in events:
        if ev.source or ev not in out:
            continue
        donor = next(
            (
                o
                for o in out
                if o is not ev and o.rule.type == ev.rule.type and o.source and not o.target
            ),
            None,
        )
        if donor is not None:
            ev.source = list(donor.source)
            ev.mode = ev.mode or donor.mode
            out.remove(donor)
    return out


def _embedded_target(ev: Found, events: list[Found]) -> list[Actor]:
    """ "threatened to launch an offensive against Iraq": the threat takes the target of
    the event it embeds (an open complement or that complement's object)."""
    inner = [c for c in ev.token.children if c.dep_ == "xcomp"]
    inner += [o for c in inner for o in _objects(c)]
    for other in events:
        if other is not ev and other.target and other.token in inner:
            return list(other.target)
    return []


def _absorb_frames(events: list[Found]) -> list[Found]:
    """Merge "held talks ... during a visit to X" into one CONSULT event, mode visit."""
    out: list[Found] = []
    for ev in events:
        tok = ev.token
        framed = (
            ev.rule.pos == "noun"
            and ev.rule.type == "CONSULT"
            and tok.dep_ == "pobj"
            and tok.head.lower_ in ("during", "on")
        )
        host = next(
            (
                o
                for o in out
                if framed
                and o.rule.type == "CONSULT"
                and o.source
                and (not ev.source or o.source[0].code == ev.source[0].code)
            ),
            None,
        )
        if host is not None:
            host.mode = host.mode or ev.mode
            host.absorbed.append(ev)
            if not host.target:
                host.target = ev.target
            continue
        out.append(ev)
    return [ev for ev in out if ev.source or ev.target]
