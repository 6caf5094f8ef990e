"""Several mentions of one event: merged within a document, clustered across documents."""

from datetime import date

from sitroom.extract.clusters import cluster_events, cluster_key, events_match
from sitroom.extract.mentions import merge_mentions, same_event
from sitroom.records import Actor, Event, Location, Trigger


def _actor(code, kind="state", name=None):
    return Actor(text=code, start=0, end=1, code=code, kind=kind, name=name)


def _event(
    eid="e1",
    ptype="CONSULT",
    src=("RUS",),
    tgt=("MYS",),
    day=date(2025, 2, 26),
    basis="relative",
    precision="day",
    place=None,
    modality="asserted",
    sentence=0,
    person=None,
    doc="d1",
):
    source = [_actor(c, "person" if person else "state", person) for c in src]
    return Event(
        id=eid,
        doc_id=doc,
        sentence_index=sentence,
        sentence="s",
        event_type=ptype,
        cameo="04",
        quad_class=1,
        goldstein=1.0,
        source=source,
        target=[_actor(c) for c in tgt],
        trigger=Trigger(text="talks", start=sentence * 10, end=sentence * 10 + 5),
        date=day,
        date_precision=precision,
        date_basis=basis,
        location=Location(name=place, country=place[:3].upper()) if place else None,
        modality=modality,
        confidence=0.6,
    )


def test_later_mention_without_its_own_date_folds_into_the_dated_event():
    talks = _event("a", person="Sergei Shoigu", place="Kuala Lumpur")
    visit = _event(
        "b", tgt=(), day=date(2025, 2, 27), basis="publication", sentence=3, person="Sergei Shoigu"
    )
    (merged,) = merge_mentions([talks, visit])
    assert merged.id == "a"
    assert [m.sentence_index for m in merged.mentions] == [0, 3]
    assert merged.date == date(2025, 2, 26) and merged.location is not None


def test_different_dates_people_or_types_stay_apart():
    talks = _event("a", person="Sergei Shoigu")
    earlier = _event("b", day=date(2024, 9, 1), precision="month", basis="explicit", sentence=1)
    other_person = _event("c", person="Vladimir Putin", basis="publication", sentence=2)
    other_type = _event("d", ptype="AGREE", sentence=3)
    out = merge_mentions([talks, earlier, other_type])
    assert [len(e.mentions) for e in out] == [1, 1, 1]
    assert len(merge_mentions([talks, other_person])) == 2
    assert not same_event(talks, _event("e", modality="negated"))


def test_a_mention_joins_the_host_that_shares_its_people():
    putin = _event("a", person="Vladimir Putin", basis="publication")
    shoigu = _event("b", person="Sergei Shoigu", basis="publication", sentence=1)
    again = _event("c", person="Sergei Shoigu", basis="publication", sentence=2)
    out = merge_mentions([putin, shoigu, again])
    assert [[m.sentence_index for m in e.mentions] for e in out] == [[0], [1, 2]]


def test_cluster_key_orders_joint_dyads_and_separates_modalities():
    a = _event(src=("VNM",), tgt=("KOR",)).model_copy(update={"joint": True})
    b = _event(src=("KOR",), tgt=("VNM",)).model_copy(update={"joint": True})
    assert cluster_key(a) == cluster_key(b)
    assert cluster_key(_event()) != cluster_key(_event(modality="intended"))


def test_clusters_allow_one_day_and_coarser_dates_but_not_other_places():
    e1 = _event("1", doc="d1")
    e2 = _event("2", doc="d2", day=date(2025, 2, 27))
    e3 = _event("3", doc="d3", day=date(2025, 2, 1), precision="month", basis="explicit")
    far = _event("4", doc="d4", day=date(2025, 3, 10))
    elsewhere = _event("5", doc="d5", place="Moscow")
    here = _event("6", doc="d6", place="Kuala Lumpur")
    assert events_match(e1, e2) and events_match(e1, e3) and not events_match(e1, far)
    assert not events_match(elsewhere, here)
    clusters = cluster_events([e1, e2, e3, far])
    assert clusters["1"] == clusters["2"] == clusters["3"] != clusters["4"]
    # Ids are stable: the same events in another order give the same cluster ids.
    assert cluster_events([far, e3, e2, e1]) == clusters
    assert cluster_events([_event("n", doc="x", modality="negated"), e1])["n"] != clusters["1"]
