"""The event lexicon (triggers) and the PLOVER -> CAMEO / QuadClass / Goldstein table."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sitroom.errors import KnowledgeError
from sitroom.knowledge.base import read_data
from sitroom.records import PLOVER_TYPES


@dataclass(frozen=True)
class TriggerRule:
    lemma: str
    pos: str  # "verb" or "noun"
    type: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    obj: frozenset[str] = frozenset()
    prep: str | None = None
    xcomp: frozenset[str] = frozenset()
    modifier: frozenset[str] = frozenset()
    governor: frozenset[str] = frozenset()
    no_obj: bool = False
    light: bool = False
    joint: bool = False
    need_target: bool = False
    prep_required: bool = False
    negated: bool = False
    cameo: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None


@dataclass(frozen=True)
class TypeScore:
    cameo: str
    quad_class: int
    goldstein: float


@dataclass
class EventLexicon:
    rules: dict[tuple[str, str], list[TriggerRule]] = field(default_factory=dict)
    light_verbs: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    attack_means: frozenset[str] = frozenset()
    context_words: dict[str, str] = field(default_factory=dict)
    type_context: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mode_words: dict[str, dict[str, str]] = field(default_factory=dict)
    types: dict[str, TypeScore] = field(default_factory=dict)
    mode_scores: dict[tuple[str, str], TypeScore] = field(default_factory=dict)
    legacy_names: dict[str, str] = field(default_factory=dict)

    @property
    def lemmas(self) -> frozenset[str]:
        """Every word that can signal an event: trigger lemmas, and "must" for demands
        reported as obligations ("X said Y must ...")."""
        return frozenset(lemma for lemma, _ in self.rules) | {"must"}

    def rules_for(self, lemma: str, pos: str) -> list[TriggerRule]:
        return self.rules.get((lemma, pos), [])

    def score(self, rule: TriggerRule, mode: str | None) -> TypeScore:
        base = self.mode_scores.get((rule.type, mode or "")) or self.types[rule.type]
        return TypeScore(
            cameo=rule.cameo or base.cameo,
            quad_class=rule.quad_class or base.quad_class,
            goldstein=rule.goldstein if rule.goldstein is not None else base.goldstein,
        )

    def canonical_type(self, name: str) -> str:
        name = name.strip().upper()
        return self.legacy_names.get(name, name)


def build_lexicon() -> EventLexicon:
    data = read_data("event_lexicon.json")
    plover = read_data("plover.json")
    lex = EventLexicon()
    for ptype, row in plover["types"].items():
        lex.types[ptype] = TypeScore(row["cameo"], row["quad_class"], row["goldstein"])
        for mode, score in row.get("modes", {}).items():
            lex.mode_scores[(ptype, mode)] = TypeScore(
                score.get("cameo", row["cameo"]),
                score.get("quad_class", row["quad_class"]),
                score.get("goldstein", row["goldstein"]),
            )
    lex.legacy_names = dict(plover.get("legacy_names", {}))
    for entry in data["entries"]:
        if entry["type"] not in PLOVER_TYPES:
            raise KnowledgeError(f"event_lexicon.json: unknown type {entry['type']!r}")
        rule = TriggerRule(
            lemma=entry["lemma"],
            pos=entry["pos"],
            type=entry["type"],
            mode=entry.get("mode"),
            context=tuple(entry.get("context", ())),
            args=tuple(entry.get("args", ())),
            obj=frozenset(entry.get("obj", ())),
            prep=entry.get("prep"),
            xcomp=frozenset(entry.get("xcomp", ())),
            modifier=frozenset(entry.get("modifier", ())),
            governor=frozenset(entry.get("governor", ())),
            no_obj=entry.get("no_obj", False),
            light=entry.get("light", False),
            joint=entry.get("joint", False),
            need_target=entry.get("need_target", False),
            prep_required=entry.get("prep_required", False),
            negated=entry.get("negated", False),
            cameo=entry.get("cameo"),
            quad_class=entry.get("quad_class"),
            goldstein=entry.get("goldstein"),
        )
        lex.rules.setdefault((rule.lemma, rule.pos), []).append(rule)
    lex.light_verbs = frozenset(data["light_verbs"])
    lex.speech_verbs = frozenset(data.get("speech_verbs", ()))
    lex.attack_means = frozenset(data.get("attack_means", ()))
    for context, words in data["context_words"].items():
        for word in words:
            lex.context_words.setdefault(word, context)
    lex.type_context = {k: tuple(v) for k, v in data["type_context"].items()}
    for ptype, modes in data["mode_words"].items():
        table: dict[str, str] = {}
        for mode, words in modes.items():
            for word in words:
                table.setdefault(word, mode)
        lex.mode_words[ptype] = table
    return lex


@cache
def load_lexicon() -> EventLexicon:
    return build_lexicon()
