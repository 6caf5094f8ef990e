"""Build a synthetic store of N events through the real writer, then time the analysis
queries on it.

    python benchmarks/store_and_queries.py --events 1000000 --db /tmp/bench.duckdb

Events are random but shaped like news: about 100 countries, dyads drawn with a skew (a
few pairs dominate), stories arriving in publication order over three years (as from
feeds), events dated up to two days before their story (so reports cluster), PLOVER
types with their CAMEO/QuadClass/Goldstein. Prints the write
rate (events stored per second, Event records to committed rows, clustering included),
the file size per million events, and the median and p95 time of each analysis query.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from sitroom.analysis import Analyst
from sitroom.knowledge.lexicon import load_lexicon
from sitroom.knowledge.memberships import load_memberships
from sitroom.records import PLOVER_TYPES, Actor, Document, Event, Mention, Trigger
from sitroom.store.database import EventStore, StoredDocument

IGOS = frozenset({"SCO", "BRICS", "ASEAN", "EU", "NATO", "AU", "UN", "GCC", "G7", "OPEC"})


def make_batch(
    rng: random.Random, first_doc: int, docs: int, countries: list[str], lex, total_docs: int
):
    out = []
    start = date(2023, 1, 1)
    for d in range(first_doc, first_doc + docs):
        # Stories arrive roughly in publication order, as they do from feeds.
        pub = start + timedelta(days=(d * 3 * 365) // total_docs + rng.randrange(3))
        events = []
        for n in range(5):  # five events per story
            a, b = rng.choices(countries, weights=[1 / (i + 1) for i in range(len(countries))], k=2)
            if a == b:
                b = countries[(countries.index(a) + 1) % len(countries)]
            ptype = rng.choice(PLOVER_TYPES)
            score = lex.types[ptype]
            day = pub - timedelta(days=rng.randrange(3))
            trig = Trigger(text="x", start=n * 50, end=n * 50 + 1)
            text = f"{a} and {b} event {n} of story {d}."
            events.append(
                Event(
                    id=f"b{d}-{n}",
                    doc_id=f"b{d}",
                    sentence_index=n,
                    sentence=text,
                    event_type=ptype,
                    cameo=score.cameo,
                    quad_class=score.quad_class,
                    goldstein=score.goldstein,
                    source=[Actor(text=a, start=0, end=3, code=a, kind="state")],
                    target=[Actor(text=b, start=5, end=8, code=b, kind="state")],
                    trigger=trig,
                    date=day,
                    date_precision="day",
                    date_basis="relative",
                    modality="asserted",
                    confidence=0.6,
                    mentions=[Mention(sentence_index=n, sentence=text, trigger=trig)],
                )
            )
        body = " ".join(e.sentence for e in events)
        out.append(StoredDocument(Document(id=f"b{d}", text=body, date=pub), events))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/sitroom-bench.duckdb"))
    parser.add_argument("--batch-events", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--queries-only", action="store_true", help="reuse an existing --db")
    args = parser.parse_args()
    if not args.queries_only:
        build(args)
    time_queries(args)


def build(args: argparse.Namespace) -> None:
    args.db.unlink(missing_ok=True)
    rng = random.Random(42)
    lex = load_lexicon()
    members = load_memberships()
    countries = sorted(
        {r.country for r in members.by_org["G20"]}
        | {
            "MYS",
            "IDN",
            "THA",
            "VNM",
            "PHL",
            "SGP",
            "IRN",
            "ISR",
            "UKR",
            "PAK",
            "EGY",
            "NGA",
            "KAZ",
            "BLR",
        }
    )
    countries += sorted({r.country for r in members.by_org["ASEAN"]} - set(countries))
    docs_per_batch = args.batch_events // 5
    written, write_time, doc = 0, 0.0, 0
    with EventStore(args.db) as store:
        while written < args.events:
            batch = make_batch(rng, doc, docs_per_batch, countries, lex, args.events // 5)
            doc += docs_per_batch
            t = time.perf_counter()
            summary = store.write(batch, IGOS)
            write_time += time.perf_counter() - t
            written += summary.events
            print(f"  {written:,} events, {written / write_time:,.0f} events/s", flush=True)
        counts = store.counts()
    size = args.db.stat().st_size
    print(f"stored {written:,} events in {write_time:.1f} s: {written / write_time:,.0f} events/s")
    print(f"clusters: {counts['clusters']:,}")
    per_million = size / 1e6 / (written / 1e6)
    print(f"file size: {size / 1e6:.0f} MB ({per_million:.0f} MB per million events)")


def time_queries(args: argparse.Namespace) -> None:
    queries = {
        "dyad_series MYS-RUS month": lambda a: a.dyad_series("MYS", "RUS", freq="month"),
        "dyad_series CHN-USA week": lambda a: a.dyad_series("CHN", "USA", freq="week"),
        "dyad_series MYS-SCO (members) month": lambda a: a.dyad_series("MYS", "SCO"),
        "country_profile MYS": lambda a: a.country_profile("MYS"),
        "bloc_alignment MYS (5 blocs, 12 months)": lambda a: a.bloc_alignment(
            "MYS", ["SCO", "BRICS", "ASEAN", "EU", "NATO"]
        ),
        "changes week": lambda a: a.changes(period="week"),
    }
    with Analyst.open(args.db) as analyst:
        for name, run in queries.items():
            run(analyst)  # warm
            times = []
            for _ in range(args.repeats):
                t = time.perf_counter()
                run(analyst)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(f"{name:42s} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
