import jsonschema

from sitroom.records import Actor, Event, Trigger
from sitroom.schema import generated_schema, shipped_schema


def test_shipped_schema_matches_records():
    assert shipped_schema() == generated_schema(), "run: python -m sitroom.schema"


def test_event_validates_against_schema():
    ev = Event(
        id="e1",
        doc_id="d",
        sentence_index=0,
        sentence="Paris praised Rome.",
        event_type="SUPPORT",
        cameo="05",
        quad_class=1,
        goldstein=3.5,
        source=[Actor(text="Paris", start=0, end=5, code="FRA", kind="state", sector="GOV")],
        target=[Actor(text="Rome", start=14, end=18, code="ITA", kind="state", sector="GOV")],
        trigger=Trigger(text="praised", start=6, end=13),
        confidence=0.8,
    )
    jsonschema.validate(ev.model_dump(mode="json"), shipped_schema())
    bad = ev.model_dump(mode="json") | {"event_type": "HUG"}
    try:
        jsonschema.validate(bad, shipped_schema())
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("schema accepted an unknown event type")
