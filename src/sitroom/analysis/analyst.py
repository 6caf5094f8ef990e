"""Questions an analyst asks of the store, answered as pandas DataFrames.

Counting: by default each cross-document cluster counts once (the same talks reported by
five stories are one event); `count="events"` counts stored events, `count="mentions"`
counts every mention. Only events the text says happened count (modality asserted or
historical) unless `modalities` says otherwise. With `min_confidence`, only events whose
confidence is at least that value count. docs/analysis.md defines each measure.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from sitroom.analysis.sides import Side, resolve_side
from sitroom.errors import SitroomError
from sitroom.knowledge.base import KnowledgeBase, load_knowledge
from sitroom.knowledge.memberships import MembershipTable, load_memberships
from sitroom.store.database import EventStore
from sitroom.store.filters import check_confidence, dyads_relation

FREQS = ("day", "week", "month", "quarter", "year")
COUNTS = ("clusters", "events", "mentions")
HAPPENED = ("asserted", "historical")
_COUNT_SQL = {
    "clusters": "count(DISTINCT cluster_no)",
    "events": "count(DISTINCT event_no)",
    "mentions": "sum(n_mentions)",
}


@dataclass
class CountryProfile:
    country: str
    partners: pd.DataFrame
    event_mix: pd.DataFrame
    balance: dict[str, float]
    trend: pd.DataFrame


class Analyst:
    def __init__(
        self,
        store: EventStore | None,
        kb: KnowledgeBase | None = None,
        memberships: MembershipTable | None = None,
        min_confidence: float | None = None,
    ) -> None:
        # Without a store, every question goes through `using(con)`.
        self.store = store
        self.min_confidence = check_confidence(min_confidence)
        self.con = store.con if store is not None else None
        self.kb = kb or load_knowledge()
        self.memberships = memberships or load_memberships()

    @classmethod
    def open(cls, path: str | Path, min_confidence: float | None = None) -> Analyst:
        return cls(EventStore(path, read_only=True), min_confidence=min_confidence)

    def using(self, con: duckdb.DuckDBPyConnection, min_confidence: float | None = None) -> Analyst:
        """This analyst asking its questions through `con` (a per-request cursor of the
        same store), counting only events with confidence >= `min_confidence` when given;
        the knowledge base and memberships are shared, the store is not closed by the
        copy."""
        bound = copy.copy(self)
        bound.con = con
        if min_confidence is not None:
            bound.min_confidence = check_confidence(min_confidence)
        return bound

    @property
    def _dyads(self) -> str:
        """The relation the analyses scan: event_dyads, or its confident events' rows."""
        return dyads_relation(self.min_confidence)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> Analyst:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ helpers
    def side(self, spec: str, with_members: bool = True) -> Side:
        return resolve_side(spec, self.kb, self.memberships, with_members)

    def _rows(self, sql: str, params: list, **tables) -> list[tuple]:
        for name, table in tables.items():
            self.con.register(name, table)
        try:
            return self.con.execute(sql, params).fetchall()
        finally:
            for name in tables:
                self.con.unregister(name)

    @staticmethod
    def _check(freq: str, count: str) -> None:
        if freq not in FREQS:
            raise SitroomError(f"freq {freq!r} is not one of {', '.join(FREQS)}")
        if count not in COUNTS:
            raise SitroomError(f"count {count!r} is not one of {', '.join(COUNTS)}")

    def latest(self) -> date | None:
        """The newest publication date in the store (else the newest event date): the
        default end of every analysis window."""
        row = self.con.execute(
            "SELECT coalesce((SELECT max(pub_date) FROM documents), "
            "(SELECT max(date) FROM event_dyads))"
        ).fetchall()[0]
        return row[0]

    # -------------------------------------------------------------- dyad series
    def dyad_series(
        self,
        a: str,
        b: str,
        freq: str = "month",
        directed: bool = False,
        count: str = "clusters",
        start: date | None = None,
        end: date | None = None,
        modalities: tuple[str, ...] = HAPPENED,
        with_members: bool = True,
    ) -> pd.DataFrame:
        """Per period: events by PLOVER type and QuadClass, and mean Goldstein score, for
        the pair a-b (both directions unless `directed`)."""
        self._check(freq, count)
        side_a, side_b = self.side(a, with_members), self.side(b, with_members)
        directions = [_DIRECTED] if directed else [_DIRECTED, _REVERSED]
        unit = {"clusters": "cluster_no", "events": "event_no", "mentions": "event_no"}[count]
        weight = "n_mentions" if count == "mentions" else "1"
        # Each event once (a dyad can hold it in both directions), then each counting unit
        # once per period, tallied by type and QuadClass in SQL: only the tallies come back.
        sql = f"""{_CANDIDATES.format(dyads=self._dyads)}, _e AS MATERIALIZED (
                SELECT DISTINCT ON (event_no) *, date_trunc('{freq}', date) AS period
                FROM ({" UNION ALL ".join(directions)})
            ),
            _u AS (SELECT {"DISTINCT ON (period, unit)" if count != "mentions" else ""}
                          period, {unit} AS unit, event_type, quad_class, {weight} AS weight
                   FROM _e)
            SELECT period, event_type, quad_class, sum(weight) AS n, NULL AS tone
            FROM _u GROUP BY period, event_type, quad_class
            UNION ALL
            SELECT period, NULL, NULL, NULL, fsum(goldstein) / count(*) FROM _e GROUP BY period"""
        codes = sorted({c for c, _, _ in side_a.codes} | {c for c, _, _ in side_b.codes})
        params = [codes, codes, start, start, end, end, list(modalities)]
        rows = self._rows(sql, params, _a=side_a.table(), _b=side_b.table())
        columns = ["period", "events", "quad1", "quad2", "quad3", "quad4", "goldstein_mean"]
        if not rows:
            return pd.DataFrame(columns=columns)
        # The few tallies pivoted in plain Python: pandas' groupby and unstack cost more
        # than the query on a million events.
        tone = {period: value for period, kind, _, _, value in rows if kind is None}
        periods = sorted(tone)
        at = {period: i for i, period in enumerate(periods)}
        types = sorted({kind for _, kind, _, _, _ in rows if kind is not None})
        table = {name: [0] * len(periods) for name in [*columns[1:6], *types]}
        for period, kind, quad, n, _ in rows:
            if kind is not None:
                i = at[period]
                table["events"][i] += n
                table[f"quad{quad}"][i] += n
                table[kind][i] += n
        series = pd.DataFrame(
            {
                "period": pd.Series(periods, dtype="datetime64[us]"),
                **{name: pd.Series(table[name], dtype="int64") for name in columns[1:6]},
                "goldstein_mean": pd.Series([tone[p] for p in periods], dtype=float).round(3),
                **{name: pd.Series(table[name], dtype="int64") for name in types},
            }
        )
        return series

    # ------------------------------------------------------------ country profile
    def country_profile(
        self,
        country: str,
        start: date | None = None,
        end: date | None = None,
        top: int = 10,
        count: str = "clusters",
    ) -> CountryProfile:
        self._check("month", count)
        code = self.side(country, with_members=False).label
        # One scan of event_dyads for the country's rows (a materialised CTE the four
        # summaries read: four scans cost four times as much), counted on the numeric ids
        # (schema version 5) and summarised in SQL: only the summaries come back.
        rows = self.con.execute(
            f"""WITH e AS MATERIALIZED (
                    SELECT event_no, cluster_no, n_mentions, date, event_type, quad_class,
                           goldstein,
                           CASE WHEN source_code = $code THEN target_code ELSE source_code END
                               AS partner
                    FROM {self._dyads}
                    WHERE (source_code = $code OR target_code = $code)
                      AND modality IN ('asserted', 'historical')
                      AND ($start IS NULL OR date >= $start) AND ($end IS NULL OR date <= $end)
                ),
                u AS MATERIALIZED (
                    SELECT DISTINCT ON (event_no) date, quad_class, goldstein FROM e
                )
                SELECT 'partner' AS kind, partner AS key, NULL::TINYINT AS quad_class,
                       NULL::DATE AS period, {_COUNT_SQL[count]} AS events,
                       round(avg(goldstein), 3) AS x,
                       round(avg(CASE WHEN quad_class <= 2 THEN 1.0 ELSE 0.0 END), 3) AS y
                FROM e WHERE partner <> $code AND partner <> '---' GROUP BY partner
                UNION ALL
                SELECT 'mix', event_type, quad_class, NULL, {_COUNT_SQL[count]}, NULL, NULL
                FROM e GROUP BY event_type, quad_class
                UNION ALL
                SELECT 'balance', NULL, NULL, NULL, count(*) FILTER (WHERE quad_class <= 2),
                       coalesce(avg(goldstein), 0), count(*) FILTER (WHERE quad_class >= 3)
                FROM u
                UNION ALL
                SELECT 'trend', NULL, NULL, date_trunc('month', date)::DATE, count(*),
                       round(avg(goldstein), 3), NULL
                FROM u WHERE date IS NOT NULL GROUP BY date_trunc('month', date)""",
            {"code": code, "start": start, "end": end},
        ).fetchall()
        # sum(n_mentions) is a HUGEINT, which DuckDB hands pandas as float64
        counted = "float64" if count == "mentions" else "int64"
        partner_rows = sorted(
            ((r[1], r[4], r[5], r[6]) for r in rows if r[0] == "partner"),
            key=lambda r: (-r[1], r[0]),
        )[: int(top)]
        partners = _frame(
            partner_rows,
            {"partner": "str", "events": counted, "goldstein_mean": float},
            cooperation_share=float,
        )
        mix_rows = sorted(
            ((r[1], r[2], r[4]) for r in rows if r[0] == "mix"), key=lambda r: (-r[2], r[0])
        )
        mix = _frame(mix_rows, {"event_type": "str", "quad_class": "int8", "events": counted})
        trend_rows = sorted((r[3], r[4], r[5]) for r in rows if r[0] == "trend")
        trend = _frame(
            trend_rows, {"period": "datetime64[us]", "events": "int64", "goldstein_mean": float}
        )
        bal = next(((r[4], int(r[6]), r[5]) for r in rows if r[0] == "balance"), (0, 0, 0.0))
        coop, conflict, tone = bal
        total = coop + conflict
        balance = {
            "cooperation": float(coop),
            "conflict": float(conflict),
            "cooperation_share": round(coop / total, 3) if total else 0.0,
            "goldstein_mean": round(float(tone), 3),
            "goldstein_trend_per_month": _slope(trend),
        }
        return CountryProfile(code, partners, mix, balance, trend)

    # ------------------------------------------------------------ bloc alignment
    def bloc_alignment(
        self,
        country: str,
        blocs: list[str] | None = None,
        window_days: int = 90,
        freq: str = "month",
        start: date | None = None,
        end: date | None = None,
    ) -> pd.DataFrame:
        """For each bloc and period end t: A = sum of Goldstein scores of the country's
        events with the bloc or its members in (t - window, t], divided by the sum of
        absolute Goldstein scores of all the country's events in that window. A lies in
        [-1, 1]: the share of the country's interaction weight spent on the bloc, signed
        by tone (docs/analysis.md)."""
        self._check(freq, "events")
        code = self.side(country, with_members=False).label
        blocs = blocs or self.memberships.orgs
        end = end or self.latest()
        if end is None:
            return pd.DataFrame(columns=["period", "bloc", "alignment", "events", "window"])
        start = start or _shift(end, -365)
        periods = pd.date_range(start, end, freq=_PANDAS_FREQ[freq]).date.tolist()
        periods = sorted(set(periods) | {end})
        bloc_rows = []
        for bloc in blocs:
            for member, valid_from, valid_until in self.side(bloc).codes:
                if member != code:
                    bloc_rows.append((bloc, member, valid_from, valid_until))
        if not bloc_rows:
            raise SitroomError(f"no known members for {', '.join(blocs)}")

        members = pa.table(
            {
                "bloc": pa.array([r[0] for r in bloc_rows], pa.string()),
                "code": pa.array([r[1] for r in bloc_rows], pa.string()),
                "valid_from": pa.array([r[2] for r in bloc_rows], pa.date32()),
                "valid_until": pa.array([r[3] for r in bloc_rows], pa.date32()),
            }
        )
        ends = pa.table({"t": pa.array(periods, pa.date32())})
        sql = f"""
            WITH mine AS (
                SELECT DISTINCT ON (event_no, partner) event_no, date, goldstein, partner
                FROM (SELECT event_no, date, goldstein,
                             CASE WHEN source_code = $code THEN target_code
                                  ELSE source_code END AS partner
                      FROM {self._dyads}
                      WHERE (source_code = $code OR target_code = $code)
                        AND modality IN ('asserted', 'historical') AND date IS NOT NULL
                        AND date > $lo AND date <= $hi)
            ),
            totals AS (
                SELECT t, sum(abs(goldstein)) AS weight, count(*) AS n
                FROM _ends JOIN (SELECT DISTINCT ON (event_no) * FROM mine) x
                  ON x.date > t - INTERVAL {int(window_days)} DAY AND x.date <= t
                GROUP BY t
            ),
            with_bloc AS (
                SELECT DISTINCT m.event_no, m.date, m.goldstein, b.bloc
                FROM mine m JOIN _members b ON b.code = m.partner
                 AND (b.valid_from IS NULL OR m.date >= b.valid_from)
                 AND (b.valid_until IS NULL OR m.date < b.valid_until)
            ),
            per_bloc AS (
                SELECT t, bloc, sum(goldstein) AS score, count(*) AS events
                FROM _ends JOIN with_bloc w
                  ON w.date > t - INTERVAL {int(window_days)} DAY AND w.date <= t
                GROUP BY t, bloc
            )
            SELECT e.t AS period, b.bloc,
                   round(coalesce(p.score, 0) / nullif(tt.weight, 0), 4) AS alignment,
                   coalesce(p.events, 0) AS events, coalesce(tt.n, 0) AS country_events
            FROM _ends e CROSS JOIN (SELECT DISTINCT bloc FROM _members) b
            LEFT JOIN per_bloc p ON p.t = e.t AND p.bloc = b.bloc
            LEFT JOIN totals tt ON tt.t = e.t
            ORDER BY b.bloc, period"""
        lo = _shift(periods[0], -window_days)
        params = {"code": code, "lo": lo, "hi": periods[-1]}
        for name, table in (("_members", members), ("_ends", ends)):
            self.con.register(name, table)
        try:
            out = self.con.execute(sql, params).df()
        finally:
            self.con.unregister("_members")
            self.con.unregister("_ends")
        out["window"] = window_days
        return out

    # ------------------------------------------------------------------ changes
    def changes(
        self,
        period: str = "week",
        end: date | None = None,
        baseline_periods: int = 8,
        top: int = 20,
        min_events: int = 2,
    ) -> pd.DataFrame:
        """Dyads whose activity or tone in the period ending at `end` departs from their
        trailing baseline. z = (x - mean) / sqrt(var + mean + 1) on counts per period (a
        Poisson-style scale that stays finite for quiet dyads); tone shift = mean
        Goldstein now minus mean Goldstein in the baseline; score = |z| + |tone shift|/2.
        """
        if period not in ("day", "week", "month"):
            raise SitroomError(f"period {period!r} is not one of day, week, month")
        end = end or self.latest()
        if end is None:
            return pd.DataFrame()
        step = {"day": 1, "week": 7, "month": 30}[period]
        current_start = _shift(end, -(step - 1))
        base_start = _shift(current_start, -step * baseline_periods)
        sql = f"""
            WITH e AS (
                SELECT DISTINCT ON (cluster_no, a, b)
                       least(source_code, target_code) AS a,
                       greatest(source_code, target_code) AS b, date, goldstein
                FROM {self._dyads}
                WHERE modality IN ('asserted', 'historical') AND source_code <> '---'
                  AND target_code <> '---' AND source_code <> target_code
                  AND date >= $base_start AND date <= $end
            ),
            tagged AS (
                SELECT a, b, goldstein,
                       CASE WHEN date >= $current_start THEN -1
                            ELSE CAST(floor(datediff('day', $base_start, date) / {step}) AS INT)
                       END AS slot
                FROM e
            ),
            now AS (SELECT a, b, count(*) AS n, avg(goldstein) AS tone
                    FROM tagged WHERE slot = -1 GROUP BY a, b),
            slots AS (SELECT a, b, slot, count(*) AS n, avg(goldstein) AS tone
                      FROM tagged WHERE slot >= 0 GROUP BY a, b, slot),
            base AS (
                SELECT a, b, sum(n) / {baseline_periods} AS mean_n,
                       (sum(n * n) / {baseline_periods}) - pow(sum(n) / {baseline_periods}, 2)
                           AS var_n,
                       sum(tone * n) / sum(n) AS tone
                FROM slots GROUP BY a, b
            )
            SELECT coalesce(now.a, base.a) AS side_a, coalesce(now.b, base.b) AS side_b,
                   coalesce(now.n, 0) AS events, round(coalesce(base.mean_n, 0), 3)
                       AS baseline_mean,
                   round((coalesce(now.n, 0) - coalesce(base.mean_n, 0))
                         / sqrt(greatest(coalesce(base.var_n, 0), 0)
                                + coalesce(base.mean_n, 0) + 1), 3) AS z,
                   round(now.tone, 3) AS tone, round(base.tone, 3) AS baseline_tone,
                   round(coalesce(now.tone - base.tone, 0), 3) AS tone_shift
            FROM now FULL OUTER JOIN base ON now.a = base.a AND now.b = base.b
            WHERE coalesce(now.n, 0) >= $min OR coalesce(base.mean_n, 0) * {baseline_periods}
                  >= $min"""
        params = {
            "base_start": base_start,
            "current_start": current_start,
            "end": end,
            "min": min_events,
        }
        out = self.con.execute(sql, params).df()
        if out.empty:
            return out
        out["score"] = (out["z"].abs() + out["tone_shift"].abs() / 2).round(3)
        out = out.sort_values(["score", "events"], ascending=False).head(top)
        out.insert(0, "period_end", end)
        return out.reset_index(drop=True)


_PANDAS_FREQ = {"day": "D", "week": "W-SUN", "month": "ME", "quarter": "QE", "year": "YE"}

# Events of the dyad in one direction: both sides joined against their small code tables
# (valid on the event's date), in one scan of event_dyads.
_CANDIDATES = """
    WITH _c AS (
        SELECT event_no, cluster_no, date, event_type, quad_class, goldstein, n_mentions,
               source_code, target_code
        FROM {dyads}
        WHERE list_contains(?::VARCHAR[], source_code)
          AND list_contains(?::VARCHAR[], target_code)
          AND date IS NOT NULL AND (?::DATE IS NULL OR date >= ?)
          AND (?::DATE IS NULL OR date <= ?)
          AND list_contains(?::VARCHAR[], modality)
    )
"""
_DIRECTED = """
    SELECT x.event_no, x.cluster_no, x.date::TIMESTAMP AS date, x.event_type,
           x.quad_class, x.goldstein, x.n_mentions
    FROM _c x
    JOIN _a ON x.source_code = _a.code
     AND (_a.valid_from IS NULL OR x.date >= _a.valid_from)
     AND (_a.valid_until IS NULL OR x.date < _a.valid_until)
    JOIN _b ON x.target_code = _b.code
     AND (_b.valid_from IS NULL OR x.date >= _b.valid_from)
     AND (_b.valid_until IS NULL OR x.date < _b.valid_until)
"""
_REVERSED = _DIRECTED.replace("x.source_code = _a", "x.target_code = _a").replace(
    "x.target_code = _b", "x.source_code = _b"
)


def _frame(rows: list[tuple], dtypes: dict[str, object], **more: object) -> pd.DataFrame:
    """A DataFrame of `rows` with the columns and dtypes a DuckDB `.df()` would give (which
    makes an empty text column `object`)."""
    dtypes = {
        name: object if dtype == "str" and not rows else dtype
        for name, dtype in {**dtypes, **more}.items()
    }
    columns = list(zip(*rows, strict=True)) or [()] * len(dtypes)
    return pd.DataFrame(
        {
            name: pd.Series(list(values), dtype=dtype)
            for (name, dtype), values in zip(dtypes.items(), columns, strict=True)
        }
    )


def _shift(day: date, days: int) -> date:
    """`day` moved by `days`, or a clear error when that leaves the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise SitroomError(f"date {day} is out of range for this window") from None


def _slope(trend: pd.DataFrame) -> float:
    """Least-squares slope of monthly mean Goldstein per month (0 with under 3 months)."""
    data = trend.dropna(subset=["goldstein_mean"])
    if len(data) < 3:
        return 0.0
    x = pd.Series(range(len(data)), dtype=float)
    y = data["goldstein_mean"].reset_index(drop=True).astype(float)
    xm, ym = x.mean(), y.mean()
    denom = ((x - xm) ** 2).sum()
    return round(float(((x - xm) * (y - ym)).sum() / denom), 4) if denom else 0.0
