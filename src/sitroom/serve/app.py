"""The FastAPI app over a store: a JSON API under /api (OpenAPI docs at /docs) and the
dashboard pages, all served by the app itself.

The store is opened read-only and each request reads through its own cursor
(sitroom.serve.reader); every query is parameterised; every parameter is declared with its
type and bounds (a bad one is a 422 naming it); page sizes, list lengths and dates are
capped. sitroom.serve.guard checks the Host header and the token, adds the security
headers and turns any unexpected failure into the JSON error shape.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import FastAPI, Query
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import Field

from sitroom.analysis import Analyst
from sitroom.analysis.analyst import COUNTS, FREQS
from sitroom.extract.thresholds import PRECISE_THRESHOLD
from sitroom.knowledge.memberships import load_memberships
from sitroom.serve import queries
from sitroom.serve.errors import ApiError, install
from sitroom.serve.guard import Guard, HostPolicy
from sitroom.serve.reader import StoreReader
from sitroom.serve.world import world_map
from sitroom.store.filters import MAX_ACTORS, MODALITIES, EventFilter, FilterError

T = TypeVar("T")
MAX_PAGE = 200
MAX_BLOCS = 20
PAGES = ("overview", "events", "dyad", "country", "map", "document")
# Dates the API accepts: wide enough for any story, narrow enough that every window the
# analyses build around them (up to two years) stays inside what Python and pandas hold.
FIRST_DAY = date(1700, 1, 1)
LAST_DAY = date(2200, 12, 31)

Day = Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="A date, YYYY-MM-DD.")]
Code = Annotated[str, PathParam(min_length=1, max_length=100)]
Id = Annotated[str, PathParam(min_length=1, max_length=2000)]
Quad = Annotated[int, Field(ge=1, le=4)]
Freq = Literal[FREQS]  # type: ignore[valid-type]
Count = Literal[COUNTS]  # type: ignore[valid-type]
Modality = Literal[MODALITIES]  # type: ignore[valid-type]
Sort = Literal[tuple(queries.SORTS)]  # type: ignore[valid-type]
MinConfidence = Annotated[
    float | None,
    Query(
        ge=0,
        le=1,
        description="Only events with confidence at least this (0 to 1); the documented "
        f"high-precision setting is {PRECISE_THRESHOLD} (sitroom --precise).",
    ),
]


def create_app(
    db: Path,
    token: str | None = None,
    *,
    host: str = "127.0.0.1",
    allowed_hosts: Iterable[str] = (),
) -> FastAPI:
    """The app over the store at `db`. `host` is the address the server binds (the Host
    header must name it, see sitroom.serve.guard); `allowed_hosts` adds names it answers
    to; `token` makes every /api/ request need `Authorization: Bearer <token>`."""
    reader = StoreReader(db)
    analyst = Analyst(None)  # bound to each request's cursor with `using`
    app = FastAPI(
        title="sitroom",
        description="Sourced who-did-what-to-whom events: API over a sitroom store.",
        version="1",
        docs_url=None,  # the CDN-loaded Swagger UI; /docs below is served by the app
        redoc_url=None,
    )
    install(app)
    app.add_middleware(Guard, hosts=HostPolicy(host, allowed_hosts), token=token)
    static = Path(str(resources.files("sitroom.serve").joinpath("static")))

    # ------------------------------------------------------------------ API
    @app.get("/api/events", tags=["events"])
    def list_events(
        actor: Annotated[
            list[str] | None,
            Query(description=f"Code on either side (up to {MAX_ACTORS}; any of them)."),
        ] = None,
        dyad: Annotated[
            str | None, Query(max_length=201, description="Two codes, either direction: MYS,RUS")
        ] = None,
        type: Annotated[list[str] | None, Query(description="PLOVER type.")] = None,  # noqa: A002
        quad: Annotated[list[Quad] | None, Query(description="QuadClass, 1 to 4.")] = None,
        since: Day = None,
        until: Day = None,
        location: Annotated[list[str] | None, Query(description="Location country.")] = None,
        modality: Annotated[list[Modality] | None, Query(description="Modality.")] = None,
        q: Annotated[
            str | None, Query(max_length=200, description="Words in the sentence (literal).")
        ] = None,
        min_confidence: MinConfidence = None,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        sort: Annotated[Sort, Query(description="Order; '-' for descending.")] = "-date",
    ) -> dict[str, Any]:
        try:
            flt = EventFilter.build(
                actor, dyad, type, quad, since, until, location, modality, q, min_confidence
            )
        except FilterError as exc:
            raise ApiError(422, "bad_parameter", str(exc), exc.parameter) from None
        with reader.cursor() as con:
            total, items = queries.list_events(con, flt, (page - 1) * page_size, page_size, sort)
        return {
            "total": min(total, queries.COUNT_CAP),
            "total_capped": total > queries.COUNT_CAP,
            "page": page,
            "page_size": page_size,
            "items": items,
        }

    @app.get("/api/events/{event_id}", tags=["events"])
    def one_event(event_id: Id) -> dict[str, Any]:
        with reader.cursor() as con:
            event = queries.event_detail(con, event_id)
        if event is None:
            raise ApiError(404, "not_found", f"no event {event_id!r}", "event_id")
        return event

    @app.get("/api/documents/{doc_id:path}", tags=["events"])
    def one_document(doc_id: Id) -> dict[str, Any]:
        with reader.cursor() as con:
            doc = queries.document(con, doc_id)
        if doc is None:
            raise ApiError(404, "not_found", f"no document {doc_id!r}", "doc_id")
        return doc

    @app.get("/api/actors", tags=["actors"])
    def list_actors(
        q: Annotated[
            str | None, Query(max_length=100, description="Code or name (literal).")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> list[dict[str, Any]]:
        with reader.cursor() as con:
            return queries.actors(con, q, limit)

    @app.get("/api/dyads/{a}/{b}/series", tags=["analysis"])
    def dyad_series(
        a: Code,
        b: Code,
        freq: Freq = "month",
        directed: bool = False,
        count: Count = "clusters",
        since: Day = None,
        until: Day = None,
        min_confidence: MinConfidence = None,
    ) -> dict[str, Any]:
        _check_span(since, until)
        with reader.cursor() as con:
            bound = analyst.using(con, min_confidence)
            frame = bound.dyad_series(a, b, freq, directed, count, since, until)
        return {"a": a.upper(), "b": b.upper(), "freq": freq, "rows": _records(frame)}

    @app.get("/api/countries/{code}/profile", tags=["analysis"])
    def country_profile(
        code: Code, since: Day = None, until: Day = None, min_confidence: MinConfidence = None
    ) -> dict[str, Any]:
        _check_span(since, until)
        with reader.cursor() as con:
            profile = analyst.using(con, min_confidence).country_profile(code, since, until)
        return {
            "country": profile.country,
            "partners": _records(profile.partners),
            "event_mix": _records(profile.event_mix),
            "balance": profile.balance,
            "trend": _records(profile.trend),
        }

    @app.get("/api/countries/{code}/alignment", tags=["analysis"])
    def alignment(
        code: Code,
        bloc: Annotated[
            list[str] | None, Query(description=f"Bloc codes (up to {MAX_BLOCS}).")
        ] = None,
        window: Annotated[int, Query(ge=7, le=730, description="Window in days.")] = 90,
        min_confidence: MinConfidence = None,
    ) -> dict[str, Any]:
        if bloc and len(bloc) > MAX_BLOCS:
            raise ApiError(
                422,
                "bad_parameter",
                f"bloc: {len(bloc)} codes given, at most {MAX_BLOCS} allowed",
                "bloc",
            )
        blocs = [b.upper() for b in bloc] if bloc else ["ASEAN", "BRICS", "SCO", "EU", "NATO"]
        with reader.cursor() as con:
            frame = analyst.using(con, min_confidence).bloc_alignment(code, blocs, window)
        return {"country": code.upper(), "window": window, "rows": _records(frame)}

    @app.get("/api/changes", tags=["analysis"])
    def changes(
        period: Literal["day", "week", "month"] = "week",
        end: Day = None,
        top: Annotated[int, Query(ge=1, le=100)] = 20,
        min_confidence: MinConfidence = None,
    ) -> dict[str, Any]:
        with reader.cursor() as con:
            bound = analyst.using(con, min_confidence)
            if end is None:  # up to the store's newest day: fixed by what the store holds
                rows = _memo(
                    ("changes", period, top),
                    min_confidence,
                    lambda: _records(bound.changes(period, None, top=top)),
                )
            else:
                rows = _records(bound.changes(period, end, top=top))
        return {"period": period, "rows": rows}

    @app.get("/api/kb/members/{org}", tags=["knowledge"])
    def kb_members(org: Code, on: Day = None) -> dict[str, Any]:
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
    def kb_country(code: Code) -> dict[str, Any]:
        history = load_memberships().history(code.upper())
        with reader.cursor() as con:
            observed = con.execute(
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
    def overview(min_confidence: MinConfidence = None) -> dict[str, Any]:
        with reader.cursor() as con:
            bound = analyst.using(con, min_confidence)
            least = min_confidence
            # Whole-store summaries, all of them fixed by what the store holds: computed
            # once per opened store (StoreReader.memo), which forgets them on a reopen.
            return {
                "counts": _memo("counts", least, lambda: queries.counts(con, least)),
                "latest": reader.memo("latest", bound.latest),
                "newest_events": _memo(
                    "newest_events", least, lambda: queries.newest_events(con, 10, least)
                ),
                "top_dyads": _memo("top_dyads", least, lambda: queries.top_dyads(con, 10, least)),
                "changes": _memo(
                    "overview_changes", least, lambda: _records(bound.changes("week", top=10))
                ),
            }

    def _memo(key: Hashable, min_confidence: float | None, compute: Callable[[], T]) -> T:
        # Memoised for the whole store only: a threshold can take any value, and one
        # entry per value a client sends would grow without bound.
        return reader.memo(key, compute) if min_confidence is None else compute()

    @app.get("/api/world", tags=["map"])
    def world() -> dict[str, Any]:
        return world_map()

    # ---------------------------------------------------------------- pages
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> FileResponse:
        return FileResponse(static / "index.html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        # A page of the app's own that renders /openapi.json: no CDN, no inline script.
        return FileResponse(static / "docs.html")

    @app.get("/{page}", include_in_schema=False)
    def page(page: str) -> Response:
        if page not in PAGES:
            raise ApiError(404, "not_found", f"no page {page!r}")
        return FileResponse(static / "index.html")

    app.state.reader = reader
    return app


def _check_span(since: date | None, until: date | None) -> None:
    if since and until and since > until:
        raise ApiError(422, "bad_parameter", f"since {since} is after until {until}", "since")


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
