"""The facts the trained decisions look at, read from a parsed sentence.

Three decisions share them (see docs/model.md): which event type, if any, a candidate
trigger word expresses; which role (source, target, none) an actor mention plays in an
event; and the event's modality. Sparse facts are names with the value 1.0; the parser's
own context vector of the trigger (spaCy's tok2vec output) gives dense facts named "#0" ..
so that words never seen as triggers in training are judged by their context.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from sitroom.extract.mentions_in_sentence import Mention
from sitroom.extract.rule_hints import RuleHints

_CHILD_DEPS = frozenset(
    {
        "dobj",
        "prt",
        "prep",
        "neg",
        "aux",
        "auxpass",
        "nsubj",
        "nsubjpass",
        "agent",
        "xcomp",
        "ccomp",
        "compound",
        "amod",
        "poss",
        "dative",
        "acomp",
        "attr",
        "mark",
        "advmod",
        "det",
        "nummod",
    }
)
_MODAL = frozenset({"will", "would", "could", "may", "might", "should", "must", "can", "shall"})
_CUES = frozenset(
    {
        "not",
        "n't",
        "never",
        "no",
        "if",
        "unless",
        "whether",
        "ago",
        "last",
        "since",
        "plan",
        "expect",
        "threaten",
        "vow",
        "want",
        "seek",
        "propose",
        "possible",
        "likely",
        "reportedly",
        "allegedly",
        "deny",
        "refuse",
    }
)
_CONTENT = ("NOUN", "VERB", "ADJ", "PROPN")
_MAX_PATH = 5


def lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def trigger_candidate(tok: Token, vocabulary: frozenset[str]) -> bool:
    """Could this word carry an event? Verbs, nouns, and any word the vocabulary knows."""
    if tok.pos_ in ("VERB", "NOUN"):
        return True
    return tok.pos_ in ("PROPN", "ADJ") and lemma(tok) in vocabulary


def trigger_features(
    tok: Token,
    mentions: list[Mention],
    lexicon_types: list[str],
    lexicon_any: list[str] = (),  # type: ignore[assignment]
    hints: RuleHints | None = None,
    earlier: frozenset[str] | set[str] = frozenset(),
    dense: bool = False,
) -> dict[str, float]:
    """`earlier`: the words (lower case) of the document before this sentence; a word seen
    there often restates an event already reported rather than reporting a new one."""
    f: dict[str, float] = {}
    lem = lemma(tok)

    def add(name: str, value: float = 1.0) -> None:
        f[name] = value

    add("bias")
    add(f"l={lem}")
    add(f"w={tok.lower_}")
    add(f"p={tok.pos_}")
    add(f"t={tok.tag_}")
    add(f"d={tok.dep_}")
    add(f"suf={tok.lower_[-3:]}")
    add(f"l+d={lem}|{tok.dep_}")
    add(f"hl={lemma(tok.head)}")
    add(f"d+hl={tok.dep_}|{lemma(tok.head)}")
    add(f"l+p={lem}|{tok.pos_}")
    for kind in lexicon_types:
        add(f"lex={kind}")
        add(f"lex+p={kind}|{tok.pos_}")
    if not lexicon_types:
        add("lex=none")
    repeated = tok.lower_ in earlier
    add(f"repeated={repeated}")
    add(f"repeated+p={repeated}|{tok.pos_}")
    add(f"repeated+det={repeated}|{any(c.dep_ == 'det' for c in tok.children)}")
    for kind in lexicon_any:
        add(f"lexany={kind}")
    if hints is not None:
        ruled = hints.types.get(tok.i, ())
        for kind in ruled:
            add(f"rule={kind}")
            add(f"rule+p={kind}|{tok.pos_}")
        add(f"ruled={bool(ruled)}")
        for kind in hints.sentence_types:
            add(f"rule_in_sentence={kind}")
    for c in tok.children:
        if c.dep_ not in _CHILD_DEPS:
            continue
        add(f"c:{c.dep_}")
        add(f"c:{c.dep_}={lemma(c)}")
        if c.dep_ in ("prt", "prep", "dobj", "neg"):
            add(f"l+{c.dep_}={lem}|{lemma(c)}")
        if c.dep_ == "prep":
            for g in c.children:
                if g.dep_ == "pobj":
                    add(f"pp={lemma(c)}|{lemma(g)}")
                    add(f"l+pp={lem}|{lemma(c)}|{lemma(g)}")
    by_head = {m.head.i: m for m in mentions}
    for c in tok.children:
        m = by_head.get(c.i)
        if m is not None:
            add(f"arg:{c.dep_}={m.kind}")
            add(f"arg:{c.dep_}")
        if c.dep_ == "prep":
            for g in c.children:
                if g.i in by_head:
                    add(f"arg:{lemma(c)}={by_head[g.i].kind}")
    if tok.head.i in by_head:
        add(f"head_actor={by_head[tok.head.i].kind}")
    if tok.dep_ == "pobj":
        add(f"under={lemma(tok.head)}|{lemma(tok.head.head)}")
    kinds = {m.kind for m in mentions if m.in_text}
    for kind in kinds:
        add(f"k={kind}")
    add(f"mentions={min(sum(m.in_text for m in mentions), 3)}")
    up = tok
    for depth in range(3):
        if up.head.i == up.i:
            break
        up = up.head
        add(f"up{depth}={lemma(up)}")
    for i, word in _content_lemmas(tok.doc):
        if i != tok.i:
            add(f"s={word}", 0.3)
    if dense and tok.doc.tensor is not None and tok.doc.tensor.shape[0] == len(tok.doc):
        for i, v in enumerate(tok.doc.tensor[tok.i]):
            f[f"#{i}"] = float(v)
    return f


def _content_lemmas(doc: Doc) -> list[tuple[int, str]]:
    """The content words of a sentence's parse (one Doc per sentence), read once per Doc."""
    cached = doc.user_data.get("sitroom_content_lemmas")
    if cached is None:
        cached = [(t.i, lemma(t)) for t in doc if t.pos_ in _CONTENT]
        doc.user_data["sitroom_content_lemmas"] = cached
    return cached


def role_features(
    tok: Token,
    event_type: str,
    mention: Mention,
    others: list[Mention] = (),  # type: ignore[assignment]
    hints: RuleHints | None = None,
) -> dict[str, float]:
    """Facts about how an actor mention relates to an event's trigger word; `others` are
    the sentence's other mentions (for "the nearest actor before the trigger")."""
    if not mention.in_text:
        return _context_role_features(tok, event_type, mention)
    f: dict[str, float] = {}
    if hints is not None:
        ruled = hints.role_of(tok.i, mention)
        f[f"rule_role={ruled}"] = 1.0
        if ruled is not None:
            f[f"ty+rule_role={event_type}|{ruled}"] = 1.0
    head = mention.head
    path, length = dependency_path(tok, head)
    kind = mention.kind
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
    before = head.i < tok.i

    def add(name: str, value: float = 1.0) -> None:
        f[name] = value

    add("bias")
    add(f"path={path}")
    add(f"ty+path={event_type}|{path}")
    add(f"len={min(length, 6)}")
    add(f"hd={head.dep_}")
    add(f"hd+hl={head.dep_}|{lemma(head.head)}")
    add(f"ty+hd={event_type}|{head.dep_}")
    add(f"k={kind}")
    add(f"k+path={kind}|{path}")
    add(f"via={mention.via}")
    add(f"pron={mention.pronoun}")
    add(f"side={'before' if before else 'after'}")
    add(f"ty+side={event_type}|{'before' if before else 'after'}")
    add(f"passive={passive}")
    add(f"passive+hd={passive}|{head.dep_}")
    add(f"gap={min(abs(head.i - tok.i) // 3, 5)}")
    add(f"tl={lemma(tok)}")
    add(f"tp={tok.pos_}")
    if head.head.dep_ in ("prep", "agent"):
        prep = lemma(head.head)
        add(f"prep={prep}")
        add(f"ty+prep={event_type}|{prep}")
        add(f"tl+prep={lemma(tok)}|{prep}")
        if head.head.head.i == tok.i:
            add(f"own_prep={prep}")
    if head.head.i == tok.i:
        add(f"child={head.dep_}")
        add(f"tl+child={lemma(tok)}|{head.dep_}")
    if tok.head.i == head.i:
        add("governs_trigger")
    if any(a.kind == "person" for a in mention.actors):
        add("person")
    add(f"ty={event_type}")
    add(f"tl+path={lemma(tok)}|{path}")
    add(f"via+path={mention.via}|{path}")
    near = sorted(
        (m for m in others if m.in_text and (m.head.i < tok.i) == before and m.head.i != tok.i),
        key=lambda m: abs(m.head.i - tok.i),
    )
    rank = next((n for n, m in enumerate(near) if m is mention), len(near))
    add(f"rank={'before' if before else 'after'}{min(rank, 2)}")
    add(f"ty+rank={event_type}|{'before' if before else 'after'}{min(rank, 2)}")
    if "ccomp" in path or "advcl" in path or "relcl" in path:
        add("other_clause")
    return f


def _context_role_features(tok: Token, event_type: str, mention: Mention) -> dict[str, float]:
    """An actor the sentence does not name: plausible when the trigger has no subject."""
    deps = {c.dep_ for c in tok.children}
    via = mention.via
    f = {
        "ctx": 1.0,
        f"ctx={via}": 1.0,
        f"ctx+ty={via}|{event_type}": 1.0,
        f"ctx+k={via}|{mention.kind}": 1.0,
        f"ctx+subj={via}|{bool(deps & {'nsubj', 'agent'})}": 1.0,
        f"ctx+passive={via}|{'nsubjpass' in deps}": 1.0,
        f"ctx+d={via}|{tok.dep_}": 1.0,
        f"ctx+p={via}|{tok.pos_}": 1.0,
        f"ctx+hl={via}|{lemma(tok.head)}": 1.0,
    }
    return f


def modality_features(tok: Token, rule_modality: str | None = None) -> dict[str, float]:
    """Facts of the trigger's clause and the words governing it, and what the hand-written
    clause rules (extract/certainty.py) read there."""
    f: dict[str, float] = {"bias": 1.0}
    if rule_modality is not None:
        f[f"rule={rule_modality}"] = 1.0
    f[f"t={tok.tag_}"] = 1.0
    f[f"l={lemma(tok)}"] = 1.0
    chain = [tok]
    cur = tok
    for _ in range(4):
        if cur.head.i == cur.i:
            break
        f[f"up={cur.dep_}>{lemma(cur.head)}"] = 1.0
        cur = cur.head
        chain.append(cur)
    for depth, t in enumerate(chain):
        near = "own" if depth == 0 else "gov"
        f[f"{near}:t={t.tag_}"] = 1.0
        for c in t.children:
            if c.dep_ in ("aux", "auxpass", "neg", "mark", "advmod") and (
                c.lower_ in _MODAL or c.lower_ in _CUES or c.dep_ == "neg"
            ):
                f[f"{near}:{c.dep_}={c.lower_}"] = 1.0
            if c.dep_ == "aux" and c.lower_ in ("has", "have", "had"):
                f[f"{near}:perfect={c.lower_}"] = 1.0
        if depth > 0 and lemma(t) in _CUES:
            f[f"gov={lemma(t)}"] = 1.0
    for t in tok.sent:
        if t.lower_ in _CUES:
            f[f"s={t.lower_}"] = 0.5
        if t.like_num and len(t.text) == 4 and t.text.isdigit():
            f["s:year"] = 1.0
    return f


def dependency_path(a: Token, b: Token) -> tuple[str, int]:
    """The dependency path from `a` up to the common ancestor and down to `b`:
    "^nsubj" means b is a's subject; "^prep^pobj" b is the object of a's preposition."""
    ancestors_a = [a, *a.ancestors]
    index_a = {t.i: n for n, t in enumerate(ancestors_a)}
    down: list[str] = []
    cur = b
    while cur.i not in index_a:
        down.append(cur.dep_)
        if cur.head.i == cur.i:
            return "far", 9
        cur = cur.head
    up = [t.dep_ for t in ancestors_a[: index_a[cur.i]]]
    steps = [f"v{d}" for d in up] + [f"^{d}" for d in reversed(down)]
    length = len(steps)
    if length > _MAX_PATH:
        steps = [*steps[:2], "..", *steps[-2:]]
    return "".join(steps) or "self", length
