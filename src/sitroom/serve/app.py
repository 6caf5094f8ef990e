"""The FastAPI app over a store: a JSON API under /api (OpenAPI docs at /docs) and the
dashboard pages, all served by the app itself.

The store is opened read-only; every query is parameterised; page sizes and date spans
are capped; `token` makes every request need `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from sitroom.analysis import Analyst
from sitroom.knowledge.memberships import load_memberships
from sitroom.serve import queries
from sitroom.serve.errors import ApiError, error_body, install
from sitroom.serve.world import world_map
from sitroom.store.database import EventStore
from sitroom.store.filters import EventFilter, FilterError

MAX_PAGE = 200
PAGES = ("overview", "events", "dyad", "country", "map", "document")


def create_app(db: Path, token: str | None = None) -> FastAPI:
    store = EventStore(db, read_only=True)
    analyst = Analyst(store)
    lock = threading.Lock()  # one DuckDB connection: one query at a time
    app = FastAPI(
        title="sitroom",
        description="Sourced who-did-what-to-whom events: API over a sitroom store.",
        version="1",
    )
    install(app)
    static = Path(str(resources.files("sitroom.serve").joinpath("static")))

    @contextmanager
    def db_lock() -> Iterator[None]:
        with lock:
            yield

    if token:

        @app.middleware("http")
        async def require_token(request: Request, call_next):
            # The data lives under /api; the page shells and assets hold none, and the
            # pages send the token themselves (given once as #token=... in the address).
            if not request.url.path.startswith("/api/"):
                return await call_next(request)
            given = request.headers.get("authorization", "")
            if not secrets.compare_digest(given, f"Bearer {token}"):
                return JSONResponse(
                    error_body(401, "unauthorized", "a bearer token is required"),
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            return await call_next(request)

    # ------------------------------------------------------------------ API
    @app.get("/api/events", tags=["events"])
    def list_events(
        actor: Annotated[list[str] | None, Query(description="Code on either side.")] = None,
        dyad: Annotated[str | None, Query(description="Two codes: MYS,RUS")] = None,
        type: Annotated[list[str] | None, Query(description="PLOVER type.")] = None,  # noqa: A002
        quad: Annotated[list[int] | None, Query(ge=1, le=4)] = None,
        since: date | None = None,
        until: date | None = None,
        location: Annotated[list[str] | None, Query(description="Location country.")] = None,
        modality: list[str] | None = None,
        q: Annotated[
            str | None, Query(max_length=200, description="Words in the sentence.")
        ] = None,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        sort: str = "-date",
    ) -> dict[str, Any]:
        if sort not in queries.SORTS:
            raise ApiError(
                422, "bad_parameter", f"sort must be one of {', '.join(queries.SORTS)}", "sort"
            )
        try:
            flt = EventFilter.build(actor, dyad, type, quad, since, until, location, modality, q)
        except FilterError as exc:
            raise ApiError(422, "bad_parameter", str(exc), exc.parameter) from None
        with db_lock():
            total, items = queries.list_events(
                store.con, flt, (page - 1) * page_size, page_size, sort
            )
        return {
            "total": min(total, queries.COUNT_CAP),
            "total_capped": total > queries.COUNT_CAP,
            "page": page,
            "page_size": page_size,
            "items": items,
        }

    @app.get("/api/events/{event_id}", tags=["events"])
    def one_event(event_id: str) -> dict[str, Any]:
        with db_lock():
            event = queries.event_detail(store.con, event_id)
        if event is None:
            raise ApiError(404, "not_found", f"no event {event_id!r}", "event_id")
        return event

    @app.get("/api/documents/{doc_id}", tags=["events"])
    def one_document(doc_id: str) -> dict[str, Any]:
        with db_lock():
            doc = queries.document(store.con, doc_id)
        if doc is None:
            raise ApiError(404, "not_found", f"no document {doc_id!r}", "doc_id")
        return doc

    @app.get("/api/actors", tags=["actors"])
    def list_actors(
        q: Annotated[str | None, Query(max_length=100)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> list[dict[str, Any]]:
        with db_lock():
            return queries.actors(store.con, q, limit)

    @app.get("/api/dyads/{a}/{b}/series", tags=["analysis"])
    def dyad_series(
        a: str,
        b: str,
        freq: str = "month",
        directed: bool = False,
        count: str = "clusters",
        since: date | None = None,
        until: date | None = None,
    ) -> dict[str, Any]:
        with db_lock():
            frame = analyst.dyad_series(a, b, freq, directed, count, since, until)
        return {"a": a.upper(), "b": b.upper(), "freq": freq, "rows": _records(frame)}

    @app.get("/api/countries/{code}/profile", tags=["analysis"])
    def country_profile(code: str, since: date | None = None, until: date | None = None):
        with db_lock():
            profile = analyst.country_profile(code, since, until)
        return {
            "country": profile.country,
            "partners": _records(profile.partners),
            "event_mix": _records(profile.event_mix),
            "balance": profile.balance,
            "trend": _records(profile.trend),
        }

    @app.get("/api/countries/{code}/alignment", tags=["analysis"])
    def alignment(
        code: str,
        bloc: Annotated[list[str] | None, Query()] = None,
        window: Annotated[int, Query(ge=7, le=730)] = 90,
    ) -> dict[str, Any]:
        blocs = [b.upper() for b in bloc] if bloc else ["ASEAN", "BRICS", "SCO", "EU", "NATO"]
        with db_lock():
            frame = analyst.bloc_alignment(code, blocs, window)
        return {"country": code.upper(), "window": window, "rows": _records(frame)}

    @app.get("/api/changes", tags=["analysis"])
    def changes(
        period: str = "week",
        end: date | None = None,
        top: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> dict[str, Any]:
        with db_lock():
            frame = analyst.changes(period, end, top=top)
        return {"period": period, "rows": _records(frame)}

    @app.get("/api/kb/members/{org}", tags=["knowledge"])
    def kb_members(org: str, on: date | None = None) -> dict[str, Any]:
        table = load_memberships()
        code = org.upper()
        if code not in table.by_org:
            raise ApiError(404, "not_found", f"no membership data for {org!r}", "org")
        day = on or date.today()
        rows = table.statuses_on(code, day)
        return {
            "org": code,
            "on": day,
            "members": [
                {"country": c, "status": r.status, "since": r.start, "source": r.source}
                for c, r in sorted(rows.items())
            ],
        }

    @app.get("/api/kb/countries/{code}", tags=["knowledge"])
    def kb_country(code: str) -> dict[str, Any]:
        history = load_memberships().history(code.upper())
        with db_lock():
            observed = store.con.execute(
                "SELECT org, status, date, evidence, doc_id FROM observations WHERE country = ?",
                [code.upper()],
            ).fetchall()
        return {
            "country": code.upper(),
            "memberships": [
                {
                    "org": r.org,
                    "status": r.status,
                    "from": r.start,
                    "until": r.end,
                    "source": r.source,
                }
                for r in history
            ],
            "observations": [
                {"org": o, "status": s, "date": d, "evidence": e, "doc_id": doc}
                for o, s, d, e, doc in observed
            ],
        }

    @app.get("/api/overview", tags=["analysis"])
    def overview() -> dict[str, Any]:
        with db_lock():
            return {
                "counts": store.counts(),
                "latest": analyst.latest(),
                "newest_events": queries.newest_events(store.con, 10),
                "top_dyads": queries.top_dyads(store.con, 10),
                "changes": _records(analyst.changes("week", top=10)),
            }

    @app.get("/api/world", tags=["map"])
    def world() -> dict[str, Any]:
        return world_map()

    # ---------------------------------------------------------------- pages
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> FileResponse:
        return FileResponse(static / "index.html")

    @app.get("/{page}", include_in_schema=False)
    def page(page: str) -> Response:
        if page not in PAGES:
            raise ApiError(404, "not_found", f"no page {page!r}")
        return FileResponse(static / "index.html")

    app.state.store = store
    return app


def _records(frame) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    out = frame.copy()
    for column in out.columns:
        if str(out[column].dtype).startswith("datetime"):
            out[column] = out[column].dt.date
    return [
        {str(k): (None if v != v else v) for k, v in row.items()}  # NaN -> None
        for row in out.to_dict(orient="records")
    ]
