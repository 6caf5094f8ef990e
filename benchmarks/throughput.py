"""Throughput of the coder beside the raw spaCy pipeline on the same texts, both on two
processes, plus peak memory of the coder's process tree.

    python benchmarks/throughput.py [--stories PATH] [--n 1000] [--processes 2]

Uses the first N stories of the CSV given with --stories (column `text`),
else repeats the bundled sample corpus.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import threading
import time
from pathlib import Path

import spacy

from sitroom.records import Document
from sitroom.run.local import code_documents
from sitroom.settings import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "src/sitroom/samples/articles.jsonl"


def load_texts(path: Path | None, n: int) -> tuple[list[str], str]:
    if path is not None and path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            texts = [row["text"] for row, _ in zip(csv.DictReader(fh), range(n), strict=False)]
        return texts, str(path)
    rows = [json.loads(line)["text"] for line in SAMPLES.read_text("utf-8").splitlines() if line]
    return [rows[i % len(rows)] for i in range(n)], f"{SAMPLES} (repeated)"


def _tree_rss_kb(pid: int) -> int:
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _tree_rss_kb(int(child))
    except (OSError, ValueError):
        pass
    return total


class PeakMemory:
    """Samples the resident memory of this process and its children."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(os.getpid()))
            time.sleep(0.1)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=Path, default=None, help="CSV with a text column")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()

    texts, origin = load_texts(args.stories, args.n)
    settings = Settings()
    nlp = spacy.load(settings.spacy_model)
    words = sum(1 for doc in nlp.tokenizer.pipe(texts) for t in doc if not t.is_space)
    print(f"texts: {len(texts)} from {origin}; {words:,} words; {args.processes} processes")

    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, n_process=args.processes):
        pass
    raw_s = time.perf_counter() - start
    del nlp

    docs = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    with PeakMemory() as mem:
        start = time.perf_counter()
        n_events = sentences = parsed = 0
        for result in code_documents(docs, processes=args.processes, settings=settings):
            n_events += len(result.events)
            sentences += result.sentences
            parsed += result.parsed
        coder_s = time.perf_counter() - start

    raw_wps, coder_wps = words / raw_s, words / coder_s
    print(f"raw spaCy pipeline : {len(texts) / raw_s:8.1f} docs/s {raw_wps:10,.0f} words/s")
    print(f"sitroom coder      : {len(texts) / coder_s:8.1f} docs/s {coder_wps:10,.0f} words/s")
    print(f"ratio coder/raw    : {coder_wps / raw_wps:.2f}")
    print(f"events             : {n_events:,} ({n_events / len(texts):.1f} per doc)")
    print(f"sentences parsed   : {parsed:,} of {sentences:,} ({parsed / max(sentences, 1):.0%})")
    print(f"peak memory (coder process tree): {mem.peak_kb / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
