"""API latency on loopback: p50/p95 of list and series endpoints over a store, with a
bounded request loop (one request at a time, a fixed number per endpoint).

    python benchmarks/api_latency.py --db /tmp/b1m.duckdb [--requests 200]

Build a large store first with benchmarks/store_and_queries.py. The server runs in this
process on 127.0.0.1 (uvicorn); requests go through httpx over the loopback interface.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from sitroom.serve.app import create_app

ENDPOINTS = {
    "events, newest first (page 1, 50)": "/api/events?page_size=50",
    "events, actor filter": "/api/events?actor=MYS&page_size=50",
    "events, type + date range": "/api/events?type=CONSULT&since=2024-01-01&until=2024-06-30",
    "events, page 50": "/api/events?page=50&page_size=50",
    "dyad series MYS-RUS by month": "/api/dyads/MYS/RUS/series?freq=month",
    "dyad series CHN-USA by week": "/api/dyads/CHN/USA/series?freq=week",
    "dyad series MYS-SCO (members)": "/api/dyads/MYS/SCO/series",
    "bloc alignment MYS": "/api/countries/MYS/alignment",
    "changes, week": "/api/changes?period=week",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(args.db), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=30) as client:
        for name, path in ENDPOINTS.items():
            client.get(path).raise_for_status()  # warm
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                client.get(path).raise_for_status()
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(f"{name:38s} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")
    server.should_exit = True
    thread.join(timeout=10)


if __name__ == "__main__":
    main()
