"""Resolve a noun phrase in a parsed sentence to an Actor.

The phrase is read around its head token: knowledge-base entities preset by the tagger
(states, adjectives, capitals, seats of power, organisations, companies, officials),
role words that give a sector ("Pakistan's army" -> PAK MIL), a country given by a
possessive, adjective, compound or of-phrase, and a person's name given beside a title
or as an appositive ("the Director General of ..., Nushirwan Zainal Abidin").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from sitroom.extract.context import DocumentContext
from sitroom.knowledge.base import KBEntry, KnowledgeBase
from sitroom.records import Actor

_MODIFIER_DEPS = ("poss", "amod", "compound", "nmod", "npadvmod", "nummod", "appos")
QUANTITIES = {
    "ten",
    "tens",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "dozen",
    "dozens",
    "score",
    "scores",
    "group",
    "number",
    "lot",
    "majority",
    "crowd",
    "band",
    "contingent",
    "batch",
    "patch",
    "unit",
    "team",
    "delegation",
    "some",
    "all",
}
_RELATIVE = {"which", "who", "that", "whom"}
_NAME_STOP = {"during", "on", "in", "at", "who", "which", "and", "said", "says"}
_PERSON_DEPS = ("compound", "appos", "flat")
# "Iranian-backed", "backed by Rwanda": the country that backs a group is not its own.
_BACKING = {
    "back",
    "support",
    "sponsor",
    "fund",
    "finance",
    "arm",
    "ally",
    "align",
    "train",
    "equip",
}
# Sectors a group word may give, strongest first ("National Liberation Front" is REB).
_GROUP_SECTOR_RANK = ("REB", "MIL", "CRM", "PTY", "OPP")
# Entity types that are never an armed group's name.
_NOT_GROUP_ENTS = {"GPE", "LOC", "FAC", "DATE", "TIME", "EVENT", "LAW", "WORK_OF_ART", "PERSON"}


@dataclass(frozen=True)
class _Country:
    code: str
    token: Token


class ActorResolver:
    """`context_roles`: a role word with no country of its own ("militants", "protesters")
    takes the nearest country its sentence names, else the last one the document named
    (off by default; see benchmarks/actor_coverage.py for what it gains and costs)."""

    def __init__(self, kb: KnowledgeBase, context_roles: bool = False) -> None:
        self.kb = kb
        self.context_roles = context_roles

    # ------------------------------------------------------------------ public
    def resolve(self, head: Token, ctx: DocumentContext, offset: int) -> list[Actor]:
        """The actor(s) a phrase headed by `head` names; coordination gives several."""
        heads = [head, *[c for c in head.conjuncts if c.i > head.i]]
        out: list[Actor] = []
        for h in heads:
            actor = self.resolve_one(h, ctx, offset)
            if actor is not None and all(a.start != actor.start for a in out):
                out.append(actor)
                if actor.kind == "state" and not h.ent_kb_id_:
                    out.extend(self._coordinated_countries(h, actor))
        return out

    def _coordinated_countries(self, head: Token, actor: Actor) -> list[Actor]:
        """ "Hungarian and Romanian officials": one actor per coordinated country."""
        extra: list[Actor] = []
        for mod in head.children:
            entry = self._entry(mod)
            if mod.dep_ not in ("amod", "compound", "nmod") or entry is None:
                continue
            if entry.key != actor.code:
                continue
            for conj in mod.conjuncts:
                other = self._entry(conj)
                if other is not None and other.kind in ("state", "adj") and other.key != actor.code:
                    extra.append(actor.model_copy(update={"code": other.key}))
        return extra

    def resolve_one(self, head: Token, ctx: DocumentContext, offset: int) -> Actor | None:
        actor = self._resolve_one(head, ctx, offset)
        last = self._last_country(head.doc)
        if last is not None:
            ctx.last_country = last
        return actor

    def _resolve_one(self, head: Token, ctx: DocumentContext, offset: int) -> Actor | None:
        if head.lower_ in _RELATIVE and head.head.dep_ == "relcl":
            head = head.head.head
        # "Tens of thousands of students", "a group of rebels": the counted noun acts.
        for _ in range(3):
            if head.lemma_.lower() not in QUANTITIES:
                break
            counted = next(
                (
                    g
                    for c in head.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children
                    if g.dep_ == "pobj"
                ),
                None,
            )
            if counted is None:
                break
            head = counted
        entry = self._entry(head)
        if entry is not None:
            return self._from_entry(head, entry, ctx, offset)
        is_title = head.lower_ in self.kb.titles or head.lemma_.lower() in self.kb.role_sectors
        group = self._group_name(head)
        if group is not None and group[2] != "MIL":
            # "Ethiopia's Gedeo Liberation Army" is a rebel group, not Ethiopia's army.
            actor = self._unknown_group(head, group, ctx, offset)
            if actor is not None:
                return actor
        if head.ent_type_ == "PERSON" or (
            head.pos_ == "PROPN" and not is_title and group is None and self._name_span(head)
        ):
            person = self._person(head, ctx, offset)
            if person is not None:
                return person
        sector = self.sector_of(head)
        if sector is not None:
            actor = self._from_role(head, sector, ctx, offset)
            if actor is not None or group is None:
                return actor
        if group is not None:
            return self._unknown_group(head, group, ctx, offset)
        if head.ent_type_ == "ORG":
            body = self._named_body(head, offset)
            if body is not None:
                return body
        if head.pos_ == "NOUN" and head.dep_ not in ("amod", "compound"):
            # "Israeli tanks", "Afghan guerillas": a noun owned by a country stands for it.
            countries = self._countries_in(head, located=True)
            if countries:
                return self._span_actor(head, offset, code=countries[0].code, kind="state")
        return None

    def find_within(
        self, tok: Token, ctx: DocumentContext, offset: int, depth: int = 3
    ) -> list[Actor]:
        """First actors found in a phrase whose head is not itself an actor.

        "acquiring Russian weapons" -> RUS; "the bombing of Kyiv" -> UKR. Searches the
        head, then its modifiers, then its objects, breadth first.
        """
        frontier = [tok]
        for _ in range(depth + 1):
            nxt: list[Token] = []
            for t in frontier:
                if t.pos_ in ("NOUN", "PROPN", "PRON", "ADJ", "NUM") or t.ent_type_:
                    found = self.resolve(t, ctx, offset)
                    if found:
                        return found
                kids = sorted(t.children, key=lambda c: _search_rank(c.dep_))
                nxt.extend(c for c in kids if _search_rank(c.dep_) < 9)
            frontier = nxt
            if not frontier:
                break
        return []

    def sector_of(self, head: Token) -> str | None:
        """Sector named by a role word and its modifiers; None if `head` is no role word."""
        lemma = head.lemma_.lower()
        mods = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i]
        sector = None
        for mod in mods:
            pair = f"{mod.lemma_.lower()} {lemma}"
            if pair in self.kb.role_sectors:
                sector = self.kb.role_sectors[pair]
        if sector is None:
            sector = self.kb.role_sectors.get(lemma) or self.kb.role_sectors.get(head.lower_)
        if sector is None:
            return None
        if lemma == "general" and any(m.lower_ in self.kb.not_mil_before_general for m in mods):
            return "GOV"
        for mod in mods:
            override = self.kb.sector_overrides.get(mod.lower_)
            if override is not None and sector in ("GOV", "MIL", "BUS", "CVL"):
                sector = override
        return sector

    # ----------------------------------------------------------------- helpers
    def _entry(self, tok: Token) -> KBEntry | None:
        if tok.ent_kb_id_:
            return KBEntry.from_kb_id(tok.ent_kb_id_)
        return None

    def _ent_span(self, tok: Token) -> Span | None:
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent
        return None

    def _phrase_bounds(self, head: Token) -> tuple[int, int]:
        """Token range of the phrase: left modifiers, the head, of-phrases, appositions."""
        left = head.i
        for c in head.lefts:
            if c.dep_ in ("det", "punct", "cc", "predet"):
                continue
            left = min(left, c.left_edge.i)
        right = head.i
        for c in head.rights:
            if (c.dep_ == "prep" and c.lower_ == "of") or c.dep_ in ("appos", "compound", "flat"):
                right = max(right, c.right_edge.i)
        ent = self._ent_span(head)
        if ent is not None:
            left, right = min(left, ent.start), max(right, ent.end - 1)
        doc = head.doc
        while left < right and (doc[left].is_punct or doc[left].lower_ in ("the", "a", "an")):
            left += 1
        while right > left and doc[right].is_punct:
            right -= 1
        return left, right

    def _span_actor(
        self, head: Token, offset: int, right_edge: int | None = None, **fields: object
    ) -> Actor:
        left, right = self._phrase_bounds(head)
        if right_edge is not None:
            right = right_edge
        doc = head.doc
        start = doc[left].idx
        end = doc[right].idx + len(doc[right])
        return Actor(text=doc.text[start:end], start=offset + start, end=offset + end, **fields)

    def _countries_in(self, head: Token, located: bool = False) -> list[_Country]:
        """Countries given by modifiers of the phrase: possessive, adjective, of-phrase;
        with `located`, also "in"/"from"/"throughout" a country ("rebels in Ivory Coast")."""
        found: list[_Country] = []
        tokens = self._modifier_tokens(head)
        if located:
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ in ("in", "from", "throughout", "across"):
                    tokens.extend(c for c in prep.children if c.dep_ == "pobj")
        for tok in tokens:
            entry = self._entry(tok)
            if entry is None or _backs(tok):
                continue
            if entry.kind in ("state", "adj", "capital", "seat"):
                found.append(_Country(entry.key, tok))
            elif entry.kind in ("org", "company"):
                org = self.kb.organisations.get(entry.key)
                country = org.country if org else None
                if entry.kind == "company":
                    company = self.kb.companies.get(entry.key)
                    country = company.country if company else None
                if country:
                    found.append(_Country(country, tok))
        return found

    def _modifier_tokens(self, head: Token) -> list[Token]:
        out: list[Token] = []
        stack = [c for c in head.children if c.dep_ in _MODIFIER_DEPS or c.dep_ == "prep"]
        while stack:
            t = stack.pop(0)
            if t.dep_ == "prep":
                if t.lower_ != "of":
                    continue
                stack.extend(c for c in t.children if c.dep_ == "pobj")
                continue
            if t.dep_ == "relcl":
                continue
            out.append(t)
            stack.extend(c for c in t.children if c.dep_ in _MODIFIER_DEPS or c.dep_ == "prep")
        return out

    def _org_in(self, head: Token) -> KBEntry | None:
        for tok in self._modifier_tokens(head):
            entry = self._entry(tok)
            if entry is not None and entry.kind == "org":
                return entry
        return None

    def _from_entry(
        self, head: Token, entry: KBEntry, ctx: DocumentContext, offset: int
    ) -> Actor | None:
        kind = entry.kind
        if kind == "state":
            return self._span_actor(head, offset, code=entry.key, kind="state")
        if kind in ("capital", "seat"):
            return self._span_actor(
                head, offset, code=entry.key, kind="state", sector=entry.sector or "GOV"
            )
        if kind == "adj":
            # A demonym heading its phrase ("the Malaysians", "Palestinians") names people;
            # an adjective on another noun ("Russian weapons") names only the state.
            sector = (
                "CVL"
                if head.pos_ in ("NOUN", "PROPN") and head.dep_ not in ("amod", "compound")
                else None
            )
            # "Bosnian Serbs": a country adjective on the demonym says where they belong.
            located = [c for c in self._countries_in(head) if c.token.i != head.i]
            code = located[0].code if sector == "CVL" and located else entry.key
            return self._span_actor(head, offset, code=code, kind="state", sector=sector)
        if kind == "org":
            org = self.kb.organisations[entry.key]
            if org.kind == "group":
                return self._span_actor(
                    head,
                    offset,
                    code=org.code,
                    kind="group",
                    sector=org.sector,
                    name=org.name,
                    country=org.country,
                )
            kind_out = "ngo" if org.kind == "ngo" else "igo"
            return self._span_actor(
                head, offset, code=org.code, kind=kind_out, sector=org.sector, name=org.name
            )
        if kind == "company":
            company = self.kb.companies[entry.key]
            return self._span_actor(
                head,
                offset,
                code=company.country,
                kind="company",
                sector="BUS",
                name=company.name,
                country=company.country,
            )
        if kind == "person":
            remembered = ctx.recall(
                head.doc[head.i : head.i + 1].text if entry.key.startswith("alias:") else entry.key
            )
            if remembered is not None:
                return self._span_actor(
                    head, offset, **remembered.model_dump(exclude={"text", "start", "end"})
                )
            term = self.kb.term_for(entry.key, ctx.pub_date)
            if term is None:
                return None
            role = self._title_text(head) or term.role
            countries = self._countries_in(head)
            country = countries[0].code if countries else term.country
            actor = self._span_actor(
                head,
                offset,
                code=country,
                kind="person",
                sector=term.sector,
                name=term.name,
                role=role,
                country=country,
            )
            ctx.remember(actor)
            return actor
        return None

    def _name_span(self, head: Token) -> tuple[int, int] | None:
        """A proper-name run ending at `head` (compounds of the head that are PROPN)."""
        if head.pos_ != "PROPN" or not head.is_title:
            return None
        start = head.i
        for c in sorted(head.children, key=lambda c: -c.i):
            if c.dep_ in _PERSON_DEPS and c.i == start - 1 and c.pos_ == "PROPN":
                if c.lower_ in self.kb.titles or self.kb.role_sectors.get(c.lower_):
                    break
                if self._entry(c) is not None and self._entry(c).kind != "person":
                    break
                start = c.i
        return start, head.i + 1

    def _title_text(self, head: Token) -> str | None:
        """Title words before a name: "Security Council Secretary", "Prime Minister"."""
        doc = head.doc
        name = self._ent_span(head)
        name_start = name.start if name is not None else head.i
        words: list[Token] = []
        i = name_start - 1
        while i >= 0:
            t = doc[i]
            if t.dep_ not in ("compound", "amod", "nmod") or (
                t.head.i < name_start - 1 and t.head.i != head.i
            ):
                if not (t.dep_ == "compound" and t.head.i in {w.i for w in words}):
                    break
            entry = self._entry(t)
            if entry is not None and entry.kind in ("state", "adj", "capital"):
                break
            if t.lower_ in ("the", "a", "'s", "\u2019s") or t.is_punct:
                break
            words.insert(0, t)
            i -= 1
        while words and words[0].pos_ not in ("PROPN", "NOUN"):
            words.pop(0)
        if not words:
            return None
        return doc.text[words[0].idx : words[-1].idx + len(words[-1])]

    def _person(self, head: Token, ctx: DocumentContext, offset: int) -> Actor | None:
        ent = self._ent_span(head)
        if ent is not None and ent.label_ == "PERSON":
            name = ent.text
        else:
            bounds = self._name_span(head)
            if bounds is None:
                return None
            name = head.doc[bounds[0] : bounds[1]].text
        name = name.removesuffix("'s").removesuffix("\u2019s").strip()
        remembered = ctx.recall(name)
        role = self._title_text(head)
        countries = self._countries_in(head)
        org = self._org_in(head)
        if remembered is not None and not countries:
            return self._span_actor(
                head, offset, **remembered.model_dump(exclude={"text", "start", "end"})
            )
        if countries:
            code = countries[0].code
        elif org is not None:
            code = self.kb.organisations[org.key].code
        else:
            return None
        sector = "GOV"
        if role:
            last = role.split()[-1].lower()
            sector = self.kb.role_sectors.get(last, "GOV")
            for word in role.lower().split():
                if word in self.kb.sector_overrides and sector in ("GOV", "MIL"):
                    sector = self.kb.sector_overrides[word]
            if last == "general" and any(
                w.lower() in self.kb.not_mil_before_general for w in role.split()
            ):
                sector = "GOV"
        return self._new_person(head, offset, ctx, code, sector, name, role)

    def _new_person(
        self,
        head: Token,
        offset: int,
        ctx: DocumentContext,
        code: str,
        sector: str,
        name: str,
        role: str | None,
        right_edge: int | None = None,
    ) -> Actor:
        """A named person, remembered for later mentions in the document."""
        actor = self._span_actor(
            head,
            offset,
            right_edge,
            code=code,
            kind="person",
            sector=sector,
            name=name,
            role=role,
            country=code,
        )
        ctx.remember(actor)
        return actor

    def _appended_name(self, head: Token) -> tuple[int, int] | None:
        """A name set beside a title phrase: an appositive, or ", Name" right after it."""
        for c in head.children:
            if c.dep_ == "appos" and c.pos_ == "PROPN":
                bounds = self._name_span(c)
                if bounds is not None and self._entry(c) is None:
                    return bounds
        doc = head.doc
        last = head.i
        for t in head.subtree:
            if not t.is_punct:
                last = max(last, t.i)
        i = last + 1
        if i < len(doc) and doc[i].text == ",":
            j = i + 1
            while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].is_title:
                entry = self._entry(doc[j])
                if entry is not None and entry.kind != "person":
                    break
                j += 1
            if 2 <= j - (i + 1) <= 4 and (
                j == len(doc) or doc[j].lower_ in _NAME_STOP or doc[j].is_punct
            ):
                return i + 1, j
        return None

    def _from_role(
        self, head: Token, sector: str, ctx: DocumentContext, offset: int
    ) -> Actor | None:
        countries = self._countries_in(head, located=True)
        org = self._org_in(head)
        named = (
            self._appended_name(head)
            if head.lemma_.lower() in self.kb.titles or head.pos_ == "PROPN"
            else None
        )
        if named is not None:
            name = head.doc[named[0] : named[1]].text
            if countries:
                code = countries[0].code
            elif org is not None:
                code = self.kb.organisations[org.key].code
            else:
                remembered = ctx.recall(name)
                if remembered is None:
                    return None
                code = remembered.code
            role = self._role_words(head)
            return self._new_person(
                head, offset, ctx, code, sector, name, role, right_edge=named[1] - 1
            )
        if org is not None:
            o = self.kb.organisations[org.key]
            kind = "group" if o.kind == "group" else ("ngo" if o.kind == "ngo" else "igo")
            return self._span_actor(
                head, offset, code=o.code, kind=kind, sector=sector, name=o.name, country=o.country
            )
        if countries:
            return self._span_actor(
                head, offset, code=countries[0].code, kind="state", sector=sector
            )
        if self.context_roles:
            code = self._sentence_country(head) or ctx.last_country
            if code is not None:
                return self._span_actor(head, offset, code=code, kind="state", sector=sector)
        return None

    def _role_words(self, head: Token) -> str:
        mods = [c for c in head.lefts if c.dep_ == "compound" and self._entry(c) is None]
        words = [*mods, head]
        return head.doc.text[words[0].idx : head.idx + len(head)]

    def _named_body(self, head: Token, offset: int) -> Actor | None:
        """An organisation the knowledge base does not know, coded by the country in its name."""
        ent = self._ent_span(head)
        if ent is None:
            return None
        # Knowledge-base names are separate entities, so the country is a modifier.
        codes = [c.code for c in self._countries_in(head)]
        if not codes:
            return None
        sector = None
        for t in ent:
            sector = self.kb.role_sectors.get(t.lemma_.lower()) or sector
        return self._span_actor(
            head,
            offset,
            code=codes[0],
            kind="group",
            sector=sector,
            name=ent.text,
            country=codes[0],
        )

    # ------------------------------------------------ groups the base does not know
    def _group_name(self, head: Token) -> tuple[int, int, str] | None:
        """Token range and sector of a proper name with a group word that the knowledge
        base does not know: "the Popular Resistance Front", "the Sons of Jazira Brigade",
        "the Zamzam militia". None for anything else."""
        if head.ent_type_ in _NOT_GROUP_ENTS or head.pos_ not in ("PROPN", "NOUN"):
            return None
        doc = head.doc
        start = head.i
        while start > 0:
            prev = doc[start - 1]
            if prev.head.i < start - 1 or prev.head.i > head.i or prev.dep_ not in _NAME_LINKS:
                break
            if not (prev.is_title or prev.is_upper or prev.like_num or prev.text in ("-", "'")):
                break
            start -= 1
        end = head.i + 1
        for c in head.rights:
            if c.dep_ == "prep" and c.lower_ == "of" and c.i == end:
                tail = list(c.subtree)
                if all(t.pos_ in ("PROPN", "DET", "ADP", "PUNCT") for t in tail):
                    end = tail[-1].i + 1
            elif c.dep_ in ("compound", "flat") and c.i == end:
                end = c.right_edge.i + 1
        ent = self._ent_span(head)
        if ent is not None and ent.label_ in ("ORG", "NORP"):
            start, end = min(start, ent.start), max(end, ent.end)
        tokens = [t for t in doc[start:end] if t.lower_ not in ("the", "a", "an")]
        sector = None
        named = False
        for t in tokens:
            word = self.kb.group_words.get(t.lower_)
            if word is not None:
                if sector is None or _rank(word) < _rank(sector):
                    sector = word
                continue
            entry = self._entry(t)
            if entry is not None and entry.kind in ("org", "company", "person"):
                return None  # a known name: resolved elsewhere or not a group
            if (
                entry is None
                and t.pos_ == "PROPN"
                and (t.is_title or t.is_upper or t.text[:1].isdigit())
                and t.lower_ not in self.kb.group_descriptors
                and t.lower_ not in self.kb.role_sectors
                and t.lower_ not in self.kb.titles
            ):
                named = True
        if sector is None or not named:
            return None
        return start, end, sector

    def _unknown_group(
        self, head: Token, group: tuple[int, int, str], ctx: DocumentContext, offset: int
    ) -> Actor | None:
        """A named group coded from its sector and the country in context: one named in
        its phrase, else the nearest in its sentence, else the last the document named."""
        start, end, sector = group
        countries = [c.code for c in self._countries_in(head, located=True)]
        for tok in head.doc[start:end]:
            entry = self._entry(tok)
            if entry is not None and entry.kind in ("state", "adj", "capital", "seat"):
                countries.insert(0, entry.key)
        code = countries[0] if countries else self._sentence_country(head) or ctx.last_country
        if code is None:
            return None
        doc = head.doc
        name_tokens = [t for t in doc[start:end] if t.lower_ not in ("the", "a", "an")]
        first, last = name_tokens[0], name_tokens[-1]
        name = doc.text[first.idx : last.idx + len(last)]
        actor = self._span_actor(head, offset, code=code, kind="group", sector=sector)
        return actor.model_copy(update={"name": name, "country": code})

    def _country_mentions(self, doc) -> list[tuple[Token, str]]:
        """Countries the sentence names (states, demonyms, capitals, seats), in order,
        leaving out backers ("Iranian-backed")."""
        out: list[tuple[Token, str]] = []
        for ent in doc.ents:
            if not ent.kb_id_:
                continue
            entry = KBEntry.from_kb_id(ent.kb_id_)
            if entry.kind in ("state", "adj", "capital", "seat") and not _backs(ent.root):
                out.append((ent.root, entry.key))
        return out

    def _sentence_country(self, head: Token) -> str | None:
        mentions = self._country_mentions(head.doc)
        if not mentions:
            return None
        return min(mentions, key=lambda m: abs(m[0].i - head.i))[1]

    def _last_country(self, doc) -> str | None:
        mentions = self._country_mentions(doc)
        return mentions[-1][1] if mentions else None


_NAME_LINKS = ("compound", "amod", "flat", "nmod", "nummod", "punct")


def _rank(sector: str) -> int:
    return (
        _GROUP_SECTOR_RANK.index(sector)
        if sector in _GROUP_SECTOR_RANK
        else len(_GROUP_SECTOR_RANK)
    )


def _backs(tok: Token) -> bool:
    """A country that backs, arms or funds the phrase's head: "Iranian-backed", "backed
    by Rwanda", "Turkish-supported"."""
    head = tok.head
    if head.lemma_.lower() in _BACKING and head.i > tok.i:
        return True
    return tok.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_.lower() in _BACKING


def _search_rank(dep: str) -> int:
    return {
        "poss": 0,
        "amod": 1,
        "compound": 1,
        "nmod": 2,
        "appos": 2,
        "dobj": 3,
        "pobj": 4,
        "prep": 5,
        "conj": 6,
        "pcomp": 5,
        "xcomp": 7,
        "acl": 8,
    }.get(dep, 9)
