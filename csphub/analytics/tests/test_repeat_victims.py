"""Repeat victimisation and harm weighting: pure figures, no victim out."""

from datetime import date

from csphub.analytics.harm import harm_values
from csphub.analytics.repeat_victims import gap_band, repeat_victimisation


def d(day, month=1):
    return date(2024, month, day)


def test_share_gaps_and_areas_of_repeat_victims():
    events = [
        ("a", d(1), "North"),
        ("a", d(3), "North"),
        ("a", d(20), "South"),  # gaps 2 and 17
        ("b", d(5), "South"),
        ("b", d(5, 4), "South"),  # gap 91 (2024 is a leap year)
        ("c", d(9), "North"),  # once: not a repeat victim
        ("", d(9), "North"),  # no reference: not counted
        ("d", None, "North"),  # no day: not counted
    ]
    r = repeat_victimisation(events)
    assert (r.incidents, r.victims, r.repeat_victims, r.repeat_incidents) == (
        6, 3, 2, 5
    )  # fmt: skip
    assert r.share == 5 / 6
    assert r.gaps == [2, 17, 91] and r.median_gap == 17
    assert r.gap_bands == [
        ("within a week", 1), ("8 to 28 days", 1), ("29 to 91 days", 1),
        ("more than 91 days", 0),
    ]  # fmt: skip
    assert r.areas == [("South", 3, 2), ("North", 2, 1)]
    assert "a" not in repr(r.areas) and not hasattr(r, "victim_list")


def test_no_events_give_no_share():
    r = repeat_victimisation([])
    assert r.incidents == 0 and r.share is None and r.median_gap is None
    assert r.areas == [] and all(n == 0 for _, n in r.gap_bands)


def test_same_day_repeats_have_a_zero_gap():
    r = repeat_victimisation([("a", d(1), "X"), ("a", d(1), "X")])
    assert r.gaps == [0] and gap_band(0) == "within a week"
    assert gap_band(7) == "within a week" and gap_band(8) == "8 to 28 days"
    assert gap_band(92) == "more than 91 days"


def test_harm_values_weight_counts_and_name_unweighted_categories():
    values, missing = harm_values(
        [("L1", "Robbery", 2), ("L1", "Theft", 5), ("L2", "Theft", 1),
         ("L2", "Noise", 4), ("L3", "Noise", 1)],
        {"Robbery": 10.0, "Theft": 0.5},
    )  # fmt: skip
    assert values == {"L1": 22.5, "L2": 0.5}
    assert missing == ["Noise"]
