"""Actor coverage: how often the resolver codes an annotated actor span right.

    python benchmarks/actor_coverage.py \
        --stories ../shared/data/voa_events/stories.jsonl \
        --annotations ../shared/data/voa_events/annotations.jsonl \
        --stories ../shared/data/synthetic_events/stories.jsonl \
        --annotations ../shared/data/synthetic_events/annotations.jsonl [--misses 30]

Each --stories goes with the --annotations given in the same position. Stories of the
fixed VOA dev split (sitroom.evaluation.splits.VOA_DEV_IDS) are always left out: this
measures on training stories only.

For every gold side with a span (`source_text` / `target_text`) and codes, the sentence
is tagged and parsed as the coder does it (KnowledgeTagger on the whole story, then the
sentence parsed on its own), the span's root token is handed to ActorResolver.resolve,
and the side counts as covered when a resolved actor's code or country (or IGO, for an
intergovernmental organisation) is one of the gold codes. Sentences are read in story
order with one DocumentContext per story, so remembered people count as in the coder.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from sitroom.errors import GoldFileError
from sitroom.evaluation.splits import VOA_DEV_IDS
from sitroom.evaluation.stories import AnnotatedStory, read_annotated_stories
from sitroom.extract.actors import ActorResolver
from sitroom.extract.coder import Coder
from sitroom.extract.context import DocumentContext
from sitroom.records import Actor


def actor_codes(actor: Actor) -> set[str]:
    codes = {actor.code}
    if actor.country:
        codes.add(actor.country)
    if actor.kind == "igo":
        codes.add("IGO")
    return codes


class Tally:
    def __init__(self) -> None:
        self.sides = 0
        self.covered = 0
        self.unresolved = 0
        self.by_kind: Counter[str] = Counter()
        self.by_kind_hit: Counter[str] = Counter()
        self.misses: Counter[tuple[str, str, str]] = Counter()

    def add(self, kind: str, hit: bool, resolved: bool, text: str, gold: str, got: str) -> None:
        self.sides += 1
        self.by_kind[kind] += 1
        if hit:
            self.covered += 1
            self.by_kind_hit[kind] += 1
            return
        if not resolved:
            self.unresolved += 1
        self.misses[(text, gold, got)] += 1

    def report(self, title: str) -> None:
        pct = 100 * self.covered / self.sides if self.sides else 0.0
        print(f"{title}: {self.covered}/{self.sides} sides covered ({pct:.1f}%)")
        wrong = self.sides - self.covered - self.unresolved
        print(f"  not resolved: {self.unresolved}, resolved to a wrong code: {wrong}")
        for kind, n in self.by_kind.most_common():
            hit = self.by_kind_hit[kind]
            print(f"  {kind:<8} {hit:>5}/{n:<5} {100 * hit / n:5.1f}%")


def measure(
    coder: Coder, stories: list[AnnotatedStory], tally: Tally, context_roles: bool = False
) -> None:
    resolver = ActorResolver(coder.kb, context_roles=context_roles)
    for story in stories:
        tokens = coder.tagger(coder.nlp.make_doc(story.text))
        ctx = DocumentContext(story.id, story.pub_date)
        spans = []
        for sentence in story.sentences:
            if not any(e.source.codes or e.target.codes for e in sentence.events):
                continue
            span = tokens.char_span(sentence.start, sentence.end, alignment_mode="expand")
            if span is not None:
                spans.append((sentence, span))
        docs = coder.nlp.pipe((s.as_doc() for _, s in spans), batch_size=64)
        for (sentence, span), sent_doc in zip(spans, docs, strict=True):
            offset = span.start_char
            for event in sentence.events:
                for side in (event.source, event.target):
                    if not side.text or not side.codes:
                        continue
                    at = sent_doc.text.find(side.text)
                    found = (
                        sent_doc.char_span(at, at + len(side.text), alignment_mode="expand")
                        if at >= 0
                        else None
                    )
                    actors = resolver.resolve(found.root, ctx, offset) if found else []
                    got = sorted({c for a in actors for c in actor_codes(a)})
                    hit = bool(set(got) & set(side.codes))
                    tally.add(
                        side.kind or "?",
                        hit,
                        bool(actors),
                        side.text,
                        ",".join(side.codes),
                        ",".join(got) or "-",
                    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stories", type=Path, action="append", required=True)
    ap.add_argument("--annotations", type=Path, action="append", required=True)
    ap.add_argument(
        "--context-roles",
        action="store_true",
        help="let role words with no country take the sentence's or document's country",
    )
    ap.add_argument("--misses", type=int, default=0, help="print the N commonest misses")
    args = ap.parse_args(argv)
    if len(args.stories) != len(args.annotations):
        print("actor_coverage: give one --annotations for each --stories", file=sys.stderr)
        return 2
    coder = Coder()
    total = Tally()
    for stories_path, annotations_path in zip(args.stories, args.annotations, strict=True):
        try:
            stories = read_annotated_stories(stories_path, annotations_path)
        except GoldFileError as exc:
            print(f"actor_coverage: {exc}", file=sys.stderr)
            return 2
        train = [s for s in stories if s.id not in VOA_DEV_IDS]
        tally = Tally()
        started = time.perf_counter()
        measure(coder, train, tally, args.context_roles)
        tally.report(f"{stories_path.parent.name} ({len(train)} training stories)")
        print(f"  {time.perf_counter() - started:.0f} s")
        for name in ("sides", "covered", "unresolved"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
        total.by_kind.update(tally.by_kind)
        total.by_kind_hit.update(tally.by_kind_hit)
        total.misses.update(tally.misses)
    if len(args.stories) > 1:
        total.report("all")
    if args.misses:
        print("commonest misses (span | gold | resolved):")
        for (text, gold, got), n in total.misses.most_common(args.misses):
            print(f"  {n:>3}  {text[:50]!r} | {gold} | {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
