"""The fixed split of the VOA training data (voa_events format) into train and dev.

The 20 dev stories were drawn once at random (seed 2026) from the 89 story ids. No model
file, rule or lexicon entry may be fitted on them: `sitroom train` drops them from
every training path it is given, and `sitroom eval --split dev` scores only them.
"""

from __future__ import annotations

VOA_DEV_IDS: frozenset[str] = frozenset(
    {
        "6180015",
        "6181522",
        "6183254",
        "6184384",
        "6205629",
        "6205696",
        "7808748",
        "8007739",
        "8008126",
        "8008998",
        "8009027",
        "8009044",
        "8009771",
        "8009853",
        "8009976",
        "8010046",
        "8010057",
        "8010476",
        "8010588",
        "8010779",
    }
)

SPLITS = ("all", "train", "dev")


def in_split(story_id: str, split: str) -> bool:
    """Whether a story belongs to `split` ("all", "train" or "dev")."""
    if split == "all":
        return True
    if split == "dev":
        return story_id in VOA_DEV_IDS
    if split == "train":
        return story_id not in VOA_DEV_IDS
    raise ValueError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")
