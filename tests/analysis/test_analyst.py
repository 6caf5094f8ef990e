"""Analysis queries on a store built from hand-made events (no model)."""

from datetime import date, timedelta

import pytest
from pandas.testing import assert_frame_equal

from sitroom.analysis import Analyst
from sitroom.errors import SitroomError
from sitroom.store.database import EventStore
from sitroom.store.schema import MIGRATIONS
from tests.store.helpers import event, stored

IGOS = frozenset({"SCO", "ASEAN", "BRICS"})


def _documents():
    docs = []
    start = date(2025, 1, 6)
    for week in range(12):
        day = start + timedelta(weeks=week)
        evs = [
            event(f"w{week}", 0, "CONSULT", "MYS", "RUS", day),
            # The same talks reported again: same cluster, two mentions in all.
            event(f"w{week}", 1, "AGREE", "MYS", "CHN", day),
        ]
        if week >= 8:  # Malaysia turns towards Russia late in the period
            evs.append(event(f"w{week}", 2, "COOPERATE", "RUS", "MYS", day))
            evs.append(event(f"w{week}", 3, "COOPERATE", "MYS", "KAZ", day))
        if week == 11:  # a sudden quarrel
            evs += [event(f"w{week}", 4 + i, "ACCUSE", "IND", "PAK", day) for i in range(5)]
        evs.append(event(f"w{week}", 9, "ASSAULT", "MYS", "RUS", day, modality="negated"))
        docs.append(stored(f"w{week}", evs, day))
    # A second story about the week-0 talks: clustered with the first.
    docs.append(stored("echo", [event("echo", 0, "CONSULT", "MYS", "RUS", start)], start))
    return docs


@pytest.fixture(scope="module")
def analyst(tmp_path_factory):
    path = tmp_path_factory.mktemp("a") / "a.duckdb"
    with EventStore(path) as store:
        store.write(_documents(), IGOS)
    with Analyst.open(path) as a:
        yield a


def test_dyad_series_counts_clusters_by_default(analyst):
    monthly = analyst.dyad_series("MYS", "RUS", freq="month")
    jan = monthly[monthly.period == "2025-01-01"].iloc[0]
    # 4 weeks of talks in January; the echo story shares week 0's cluster.
    assert jan["events"] == 4 and jan["CONSULT"] == 4 and jan["quad1"] == 4
    events = analyst.dyad_series("MYS", "RUS", freq="month", count="events")
    assert events[events.period == "2025-01-01"].iloc[0]["events"] == 5
    # Negated attacks never count.
    assert "ASSAULT" not in monthly.columns


def test_directed_and_weekly(analyst):
    weekly = analyst.dyad_series("RUS", "MYS", freq="week", directed=True)
    assert weekly["events"].sum() == 4  # the four weeks of cooperation
    assert weekly["goldstein_mean"].max() == 6.0


def test_organisation_stands_for_its_members(analyst):
    sco = analyst.dyad_series("MYS", "SCO", freq="year")
    # RUS, CHN and KAZ are SCO members: talks, agreements and cooperation all count.
    assert sco.iloc[0]["events"] == 12 + 12 + 4 + 4
    alone = analyst.dyad_series("MYS", "SCO", freq="year", with_members=False)
    assert alone.empty


def test_country_profile(analyst):
    profile = analyst.country_profile("MYS")
    assert list(profile.partners["partner"][:2]) == ["RUS", "CHN"]
    assert profile.balance["conflict"] == 0 and profile.balance["cooperation_share"] == 1.0
    assert profile.balance["goldstein_trend_per_month"] > 0


def test_bloc_alignment_rises_towards_the_bloc(analyst):
    frame = analyst.bloc_alignment("MYS", ["SCO", "ASEAN"], window_days=28, freq="week")
    sco = frame[frame.bloc == "SCO"].dropna(subset=["alignment"])
    assert sco["alignment"].between(-1, 1).all()
    assert sco["alignment"].iloc[-1] == pytest.approx(1.0)
    asean = frame[frame.bloc == "ASEAN"]
    assert asean["events"].sum() == 0


def test_changes_rank_the_sudden_quarrel_first(analyst):
    frame = analyst.changes(period="week", baseline_periods=8)
    top = frame.iloc[0]
    assert (top["side_a"], top["side_b"], top["events"]) == ("IND", "PAK", 5)
    assert top["z"] > 2 and top["score"] == frame["score"].max()


def test_bad_arguments_name_the_problem(analyst):
    with pytest.raises(SitroomError, match="unknown actor 'Atlantis'"):
        analyst.dyad_series("MYS", "Atlantis")
    with pytest.raises(SitroomError, match="freq 'hourly'"):
        analyst.dyad_series("MYS", "RUS", freq="hourly")


def _answers(a: Analyst) -> list:
    profile = a.country_profile("MYS")
    out = [profile.partners, profile.event_mix, profile.trend, profile.balance]
    for count in ("clusters", "events", "mentions"):
        out.append(a.dyad_series("MYS", "RUS", "week", count=count))
        out.append(a.country_profile("MYS", count=count).partners)
    out += [a.bloc_alignment("MYS", ["BRICS", "SCO"]), a.changes("week")]
    return out


def test_a_store_migrated_from_version_4_answers_the_same(analyst, tmp_path):
    # Version 4 had no numeric ids on event_dyads (nor version 5's indexes): drop them,
    # open the file for writing (the migration fills them in), and every analysis must
    # answer as on a fresh store.
    path = tmp_path / "v4.duckdb"
    with EventStore(path) as store:
        store.write(_documents(), IGOS)
        for statement in MIGRATIONS[5]:
            if statement.startswith("CREATE INDEX"):
                store.con.execute(f"DROP INDEX {statement.split()[2]}")
        store.con.execute("ALTER TABLE event_dyads DROP COLUMN cluster_no")
        store.con.execute("ALTER TABLE event_dyads DROP COLUMN event_no")
        store.con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    EventStore(path).close()
    with Analyst.open(path) as migrated:
        for fresh, old in zip(_answers(analyst), _answers(migrated), strict=True):
            if isinstance(fresh, dict):
                assert fresh == old
            else:
                assert_frame_equal(fresh, old)
        # and the numbers count what the strings count
        assert (
            migrated.con.execute(
                "SELECT count(DISTINCT coalesce(event_cluster, event_id)), count(DISTINCT event_id)"
                " FROM event_dyads"
            ).fetchall()
            == migrated.con.execute(
                "SELECT count(DISTINCT cluster_no), count(DISTINCT event_no) FROM event_dyads"
            ).fetchall()
        )
