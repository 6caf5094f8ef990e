"""API under load on loopback: 1 client, then N concurrent clients, each for a fixed time,
over a fixed mix of endpoints; requests/s, p50/p95/p99 per endpoint and errors.

    python benchmarks/api_load.py --db /tmp/b1m.duckdb [--build] [--seconds 30] [--clients 8]

With --build (or when --db does not exist) the 1M-event store is built first with the
builder of benchmarks/store_and_queries.py (same seed, same shape). The server is
`sitroom.serve.app` under uvicorn on 127.0.0.1 in a subprocess (so the clients do not
share its GIL); the clients are threads with one httpx connection each, every client
walking the same endpoint list from a different starting point. Everything stops by
itself: the budget is 2 x --seconds plus the build and a warm-up.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from sitroom.store.database import EventStore

HERE = Path(__file__).resolve().parent

MIX = [
    ("events", "/api/events?page_size=50"),
    ("events actor", "/api/events?actor=MYS&page_size=50"),
    ("events type+dates", "/api/events?type=CONSULT&since=2024-01-01&until=2024-06-30"),
    ("events quad+modality", "/api/events?quad=4&modality=asserted&page_size=50"),
    ("event detail", "/api/events/{event_id}"),
    ("document", "/api/documents/{doc_id}"),
    ("actors", "/api/actors?q=MY&limit=20"),
    ("dyad series", "/api/dyads/MYS/RUS/series?freq=month"),
    ("country profile", "/api/countries/MYS/profile"),
    ("alignment", "/api/countries/MYS/alignment"),
    ("changes", "/api/changes?period=week"),
    ("overview", "/api/overview"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    code = (
        "import sys, uvicorn; from pathlib import Path; "
        "from sitroom.serve.app import create_app; "
        "uvicorn.run(create_app(Path(sys.argv[1])), host='127.0.0.1', "
        "port=int(sys.argv[2]), log_level='warning')"
    )
    server = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/world", timeout=2)
            return server
        except httpx.HTTPError:
            if server.poll() is not None:
                raise SystemExit("the server exited before it answered") from None
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer within 60 s")


def resolve_mix(base: str) -> list[tuple[str, str]]:
    """The mix with real ids filled in (a few events and documents of the store)."""
    items = httpx.get(f"{base}/api/events?actor=RUS&page_size=20", timeout=60).json()["items"]
    out = []
    for i, (name, path) in enumerate(MIX):
        item = items[i % len(items)]
        out.append((name, path.format(event_id=item["event_id"], doc_id=item["doc_id"])))
    return out


def run_phase(base: str, mix: list[tuple[str, str]], clients: int, seconds: float) -> dict:
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            i = offset
            while time.monotonic() < stop_at:
                name, path = mix[i % len(mix)]
                i += 1
                start = time.perf_counter()
                try:
                    ok = http.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    if ok:
                        times[name].append(elapsed)
                    else:
                        errors[name] += 1

    started = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(k * len(mix) // clients,)) for k in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    done = sum(len(v) for v in times.values())
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": done,
        "errors": sum(errors.values()),
        "requests_per_s": round(done / wall, 1),
        "endpoints": {
            name: {
                "n": len(times[name]),
                "p50": pct(times[name], 50),
                "p95": pct(times[name], 95),
                "p99": pct(times[name], 99),
                "errors": errors[name],
            }
            for name, _ in mix
        },
    }


def pct(values: list[float], q: int) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))], 1)


def report(phase: dict) -> None:
    print(
        f"\n{phase['clients']} client(s), {phase['seconds']} s: {phase['requests']} requests, "
        f"{phase['requests_per_s']} requests/s, {phase['errors']} errors"
    )
    print(f"  {'endpoint':22s} {'n':>5s} {'p50':>7s} {'p95':>7s} {'p99':>7s} {'errors':>6s}")
    for name, row in phase["endpoints"].items():
        p50, p95, p99 = (
            f"{row[k]:.0f}" if row[k] is not None else "-" for k in ("p50", "p95", "p99")
        )
        print(f"  {name:22s} {row['n']:5d} {p50:>7s} {p95:>7s} {p99:>7s} {row['errors']:6d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/b1m.duckdb"))
    parser.add_argument("--build", action="store_true", help="(re)build the store first")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.build or not args.db.exists():
        sys.path.insert(0, str(HERE))
        from store_and_queries import build

        build(argparse.Namespace(db=args.db, events=args.events, batch_events=50_000))
    # A store written by an older sitroom is migrated first (the server opens it
    # read-only, which refuses an old schema).
    EventStore(args.db).close()
    port = free_port()
    server = start_server(args.db, port)
    try:
        base = f"http://127.0.0.1:{port}"
        mix = resolve_mix(base)
        run_phase(base, mix, 1, min(5.0, args.seconds))  # warm-up, not reported
        single = run_phase(base, mix, 1, args.seconds)
        report(single)
        many = run_phase(base, mix, args.clients, args.seconds)
        report(many)
        ratio = many["requests_per_s"] / max(single["requests_per_s"], 1e-9)
        worst = max((r["p95"] or 0) for r in many["endpoints"].values())
        print(f"\nthroughput {args.clients} clients / 1 client: {ratio:.2f}x")
        print(f"worst p95 under {args.clients} clients: {worst:.0f} ms")
        if args.json:
            args.json.write_text(json.dumps({"single": single, "many": many}, indent=1))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
