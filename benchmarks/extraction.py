"""Text extraction from stored HTML: pages per second through sitroom's page reader
(trafilatura with metadata, htmldate fallback, language detection).

    python benchmarks/extraction.py [--pages 500]

The pages are built here: a news article of 5-8 paragraphs inside a realistic page
frame (navigation, related links, footer, scripts), about 60 KB each.
"""

from __future__ import annotations

import argparse
import random
import time

from sitroom.ingest.pages import extract_page

SENTENCES = [
    "Officials from both governments met in the capital on Tuesday to discuss trade.",
    "The foreign ministry said the talks were frank and covered regional security.",
    "Analysts said the meeting showed both sides want to keep channels open.",
    "The agreement is expected to be signed at a summit later this year.",
    "Opposition lawmakers criticised the deal, saying it lacked transparency.",
    "The defence minister announced joint naval exercises for the coming months.",
    "Protesters gathered outside parliament to demand a change of course.",
    "The central bank warned that sanctions could slow growth next year.",
]


def page(n: int, rng: random.Random) -> str:
    paragraphs = "".join(
        "<p>" + " ".join(rng.choices(SENTENCES, k=rng.randint(3, 6))) + "</p>"
        for _ in range(rng.randint(5, 8))
    )
    links = "".join(f'<li><a href="/story/{n}-{i}">Related story {i}</a></li>' for i in range(150))
    script = (
        "<script>var tracking = {" + ",".join(f'"k{i}": {i}' for i in range(4000)) + "};</script>"
    )
    return (
        f"<!doctype html><html lang='en'><head><title>Story {n}</title>"
        f"<meta property='article:published_time' content='2025-03-{1 + n % 28:02d}'>"
        f"{script}</head><body><header><nav><ul>{links}</ul></nav></header>"
        f"<main><article><h1>Headline number {n}</h1>{paragraphs}</article>"
        f"<aside><ul>{links}</ul></aside></main><footer>Copyright, contact, terms</footer>"
        "</body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(3)
    pages = [page(n, rng) for n in range(args.pages)]
    size = sum(len(p) for p in pages) / len(pages)
    extract_page(pages[0], "http://example.org/0", "warm-up")  # load models once
    start = time.perf_counter()
    dated = 0
    for n, html in enumerate(pages):
        doc = extract_page(html, f"http://example.org/{n}", f"page {n}").document
        dated += doc.date is not None
    elapsed = time.perf_counter() - start
    print(f"{len(pages)} pages of {size / 1000:.0f} KB on average")
    print(f"{len(pages) / elapsed:.0f} pages/s ({elapsed:.1f} s); {dated} with a date")


if __name__ == "__main__":
    main()
