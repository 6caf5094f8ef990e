"""Event location: the place phrase attached to an event's trigger, looked up in the
gazetteer and disambiguated with the document's other places and countries.

Only phrases syntactically attached to the event count ("talks in Kuala Lumpur",
"a visit to Kuala Lumpur", "clashes in northern Iraq"); an actor's country is never
used as the place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from sitroom.extract.events import Found
from sitroom.knowledge.base import KBEntry
from sitroom.knowledge.gazetteer import PRECISION_RANK, Gazetteer, Place, normalise
from sitroom.records import Location

# Prepositions that put an event somewhere.
_AT = frozenset(
    {"in", "at", "near", "outside", "inside", "off", "across", "within", "throughout", "over"}
)
# "to"/"into" name a place only after a movement: a visit to X, troops sent into X.
_MOVE = frozenset(
    {
        "visit",
        "trip",
        "travel",
        "tour",
        "arrive",
        "fly",
        "journey",
        "deploy",
        "deployment",
        "send",
        "dispatch",
        "march",
        "return",
        "mission",
        "move",
        "incursion",
        "advance",
    }
)
_DIRECTIONS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "north-eastern",
        "north-western",
        "south-eastern",
        "south-western",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    }
)
_ARGUMENT_PREPS = frozenset({"with", "between", "against", "on", "to", "from", "among", "by"})
_OTHER_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "parataxis", "conj", "csubj"})
# Prepositions whose objects contain the event, even when they are its actors.
_CONTAINING = frozenset({"in", "inside", "within", "throughout", "near", "outside", "off"})
# The breadth-first search follows these prepositions only.
_DESCEND_PREPS = _AT | _ARGUMENT_PREPS | {"of", "during", "into"}
# An event "at talks" or "during a meeting" took place where they did.
_FRAME_PREPS = frozenset({"at", "during", "in", "on"})
# Generic words after a name: "Baghdad airport", "the Kharkiv region".
_GENERIC_TAIL = frozenset(
    {
        "region",
        "province",
        "oblast",
        "governorate",
        "state",
        "district",
        "area",
        "airport",
        "port",
        "city",
        "border",
        "coast",
        "base",
        "county",
        "prefecture",
    }
)
# "the southern Lebanese city of Nabatieh": the name is the object of "of".
_PLACE_NOUNS = frozenset(
    {"city", "town", "village", "port", "province", "region", "district", "capital", "area"}
)
_PHRASE_DEPS = frozenset({"compound", "amod", "det", "nmod", "poss", "case", "nummod"})
_QUALIFIER_DEPS = frozenset({"appos", "npadvmod", "conj"})
_COUNTRY_KINDS = frozenset({"state", "adj", "capital", "seat"})


@dataclass
class PlaceContext:
    """What the document says about geography, for choosing between same-named places."""

    # Country code -> the names that brought it into the document.
    countries: dict[str, set[str]] = field(default_factory=dict)
    text: str = ""

    @classmethod
    def of(cls, tokens: Doc) -> PlaceContext:
        countries: dict[str, set[str]] = {}
        for ent in tokens.ents:
            if ent.kb_id_:
                entry = KBEntry.from_kb_id(ent.kb_id_)
                if entry.kind in _COUNTRY_KINDS:
                    countries.setdefault(entry.key, set()).add(normalise(ent.text))
        return cls(countries, tokens.text.lower())

    def supports(self, code: str | None, name: str) -> bool:
        """Does the document name this country other than by `name` itself? ("Georgia"
        alone does not make the country Georgia more likely than the US state.)"""
        names = self.countries.get(code or "", set())
        return bool(names - {normalise(name)})

    def mentions(self, name: str | None) -> bool:
        return bool(name) and f"{name.lower()}" in self.text  # type: ignore[union-attr]


class PlaceFinder:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def locate(
        self,
        found: Found,
        context: PlaceContext,
        others: frozenset[int] = frozenset(),
        offset: int = 0,
    ) -> Location | None:
        """The event's place. `others` holds the token indexes of the sentence's other
        events' triggers, whose own place phrases are not searched unless the event
        happened at them ("agreed at talks in Argyle"); `offset` is the sentence's
        character offset in the document (actor spans use document offsets)."""
        actors = _actor_tokens(found, offset)
        moving = any(_moves(t) for ev in [found, *found.absorbed] for t in ev.trigger_tokens)
        for obj in _destinations(found):
            location = self._place_of(obj, context)
            if location is not None:
                return location
        for head in _event_heads(found):
            for obj in _place_objects(head, actors, moving or _moves(head)):
                location = self._place_of(obj, context)
                if location is not None:
                    return location
        # The parser often hangs the place lower in the clause ("signed a treaty
        # settling their border in Bishkek"): search the clause, nearest first.
        for obj in _clause_place_objects(found, others, actors, moving):
            location = self._place_of(obj, context)
            if location is not None:
                return location
        return None

    # --------------------------------------------------------------- lookup
    def _place_of(self, obj: Token, context: PlaceContext) -> Location | None:
        if obj.lemma_.lower() in _PLACE_NOUNS:
            named = _of_object(obj)
            if named is not None:
                obj = named
        words = _phrase(obj)
        if not any(t.is_title or t.is_upper for t in words):
            return None
        text = _text(words)
        qualifier = _qualifier(obj)
        place = None
        of_obj = _of_object(obj)
        if of_obj is not None:  # "the Sea of Japan", "the Strait of Hormuz"
            longer = _text([*words, *obj.doc[obj.i + 1 : of_obj.i + 1]])
            place = self.pick(longer, context, qualifier)
            text = longer if place is not None else text
        if place is None:
            place = self.pick(text, context, qualifier)
        if place is None and len(words) > 1 and words[-1].lower_ in _GENERIC_TAIL:
            place = self.pick(_text(words[:-1]), context, qualifier)
        if place is None and qualifier:
            # "Argyle, St. Vincent and the Grenadines": unknown town, known country.
            country = self.pick(qualifier, context)
            if country is not None and country.precision == "country":
                return Location(name=text, country=country.country, precision="place")
        if place is not None:
            return _location(text, place)
        if words and words[0].lower_ in _DIRECTIONS and len(words) > 1:
            place = self.pick(_text(words[1:]), context, qualifier)
            if place is not None and place.precision in ("country", "region"):
                return Location(
                    name=text, country=place.country, admin1=place.admin1, precision="region"
                )
        return None

    def pick(self, name: str, context: PlaceContext, qualifier: str | None = None) -> Place | None:
        """The best place of that name for this document, or None."""
        candidates = self.gaz.candidates(name)
        qual = normalise(qualifier) if qualifier else None
        qual_codes = {p.country for p in self.gaz.candidates(qualifier)} if qualifier else set()
        if qual_codes:
            # "Paris, Texas" / "Argyle, St. Vincent": only places the qualifier allows.
            candidates = [
                p
                for p in candidates
                if p.country in qual_codes or (p.admin1 and normalise(p.admin1) == qual)
            ]
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]

        def score(p: Place) -> float:
            s = 0.0
            if qual and (
                (p.admin1 and normalise(p.admin1) == qual)
                or (p.country and p.country in qual_codes)
            ):
                s += 10
            if p.admin1 and not p.admin1[:2].isupper() and context.mentions(p.admin1):
                s += 3
            if context.supports(p.country, name):
                s += 2
            s += math.log10(p.population + 1) / 10 + PRECISION_RANK.get(p.precision, 0) / 10
            return s

        return max(candidates, key=score)


def _location(name: str, place: Place) -> Location:
    return Location(
        name=name,
        country=place.country,
        admin1=place.admin1,
        lat=place.lat,
        lon=place.lon,
        geonames_id=place.geonames_id,
        precision=place.precision,  # type: ignore[arg-type]
    )


def _event_heads(found: Found) -> list[Token]:
    """Tokens a place phrase may hang from: the trigger, its light verb, absorbed frames,
    and the event's own arguments (the parser often hangs "in Beijing" on the object of
    "talks with Xi Jinping in Beijing")."""
    heads: list[Token] = []

    def add(tok: Token) -> None:
        if tok not in heads:
            heads.append(tok)

    for ev in [found, *found.absorbed]:
        for tok in [ev.token, *ev.trigger_tokens]:
            add(tok)
        verb = ev.token.head
        if ev.token.dep_ == "pobj":  # "arrives in New Delhi ... on a state visit"
            verb = verb.head
        if ev.token.dep_ in ("dobj", "attr", "nsubjpass", "pobj") and verb.pos_ in (
            "VERB",
            "AUX",
        ):
            add(verb)
    for tok in list(heads):
        for child in tok.children:
            if child.dep_ in ("dobj", "nsubj", "nsubjpass"):
                add(child)
            elif child.dep_ == "prep" and child.lower_ in _ARGUMENT_PREPS:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        add(obj)
    return heads


def _place_objects(head: Token, actors: set[int], moving: bool) -> list[Token]:
    """Objects of place prepositions under `head`. "at"/"on"/"over" objects that are the
    event's own actors are targets, not places ("fired missiles at Israel")."""
    out = []
    for prep in head.children:
        if prep.dep_ not in ("prep", "dative"):  # "send troops to X" parses as dative
            continue
        word = prep.lower_
        if word in _AT or (word in ("to", "into") and moving):
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                if obj.i in actors and word not in _CONTAINING and word not in ("to", "into"):
                    continue
                out.append(obj)
    return out


def _clause_place_objects(
    found: Found, others: frozenset[int], actors: set[int], moving: bool
) -> list[Token]:
    """Place objects anywhere in the event's clause, breadth first from its verb, not
    entering other clauses, reasons and times ("for the killing in Tehran"), or other
    events' phrases unless the event took place at them ("in a raid in X")."""
    root = found.token
    for _ in range(2):
        if root.pos_ in ("VERB", "AUX") or root.head.i == root.i:
            break
        root = root.head
    own = {t.i for t in found.trigger_tokens} | {found.token.i}
    out: list[Token] = []
    queue = [root]
    seen = {root.i}
    while queue:
        tok = queue.pop(0)
        out.extend(_place_objects(tok, actors, moving or _moves(tok)))
        for child in tok.children:
            if child.i in seen or child.dep_ in _OTHER_CLAUSES:
                continue
            if child.dep_ == "acl" and child.tag_ == "VBN":  # "vehicles made in China"
                continue
            if child.dep_ == "prep" and child.lower_ not in _DESCEND_PREPS:
                continue
            framed = child.dep_ == "pobj" and child.head.lower_ in _FRAME_PREPS
            if child.i in others and child.i not in own and not framed:
                continue
            seen.add(child.i)
            queue.append(child)
    return out


def _actor_tokens(found: Found, offset: int) -> set[int]:
    doc = found.token.doc
    out: set[int] = set()
    for actor in [*found.source, *found.target]:
        span = doc.char_span(actor.start - offset, actor.end - offset, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _destinations(found: Found) -> list[Token]:
    """The object of a visit ("will visit Manila") is where it happens."""
    out = []
    for ev in [found, *found.absorbed]:
        for tok in ev.trigger_tokens:
            if _moves(tok):
                out.extend(c for c in tok.children if c.dep_ == "dobj")
    return out


def _moves(head: Token) -> bool:
    return head.lemma_.lower() in _MOVE


def _phrase(obj: Token) -> list[Token]:
    """The name phrase ending at `obj`: its left modifiers, without a leading article."""
    left = obj
    for child in obj.lefts:
        if child.dep_ in _PHRASE_DEPS:
            left = child if child.i < left.i else left
            for grand in child.lefts:
                if grand.dep_ in _PHRASE_DEPS and grand.i < left.i:
                    left = grand
    words = list(obj.doc[left.i : obj.i + 1])
    while words and (words[0].lower_ in ("the", "a", "an") or words[0].dep_ == "poss"):
        words = words[1:]
    while words and words[0].dep_ == "case":
        words = words[1:]
    return words


def _text(words: list[Token]) -> str:
    if not words:
        return ""
    doc = words[0].doc
    return doc[words[0].i : words[-1].i + 1].text


def _of_object(obj: Token) -> Token | None:
    """ "the Strait of Hormuz": the object of the name's "of"."""
    for prep in obj.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and (pobj.is_title or pobj.is_upper):
                    return pobj
    return None


def _qualifier(obj: Token) -> str | None:
    """ "Paris, Texas": the name set beside the place to say which one."""
    nxt = obj.nbor(1) if obj.i + 1 < len(obj.doc) else None
    if nxt is None or nxt.text != ",":
        return None
    for child in obj.children:
        if child.dep_ in _QUALIFIER_DEPS and child.i > obj.i and (child.is_title or child.is_upper):
            return _text(_phrase(child))
    return None
