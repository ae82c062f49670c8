"""Re-offending measures against cases computed by hand (measures.py's rules)."""

import numpy as np
import pytest

from csphub.offenders.measures import cohort_measures, months_on

NAT = "NaT"


def one(selected, offences, as_of="2020-01-01", deselected=NAT):
    """Measures of a single nominal with offences [(committed, proven)]."""
    return cohort_measures(
        [selected],
        [deselected],
        [0] * len(offences),
        [c for c, _ in offences],
        [p for _, p in offences],
        as_of,
    )


def test_add_months_clips_to_the_end_of_the_month():
    days = np.array(["2015-01-31", "2016-02-29", "2015-08-31"], dtype="M8[D]")
    assert months_on(days, 1).tolist()[0].isoformat() == "2015-02-28"
    assert months_on(days, 12).tolist()[1].isoformat() == "2017-02-28"
    assert months_on(days, 18).tolist()[2].isoformat() == "2017-02-28"


def test_offence_on_the_selection_day_is_the_index_offence_not_a_reoffence():
    m = one("2015-01-10", [("2015-01-10", "2015-01-20")])
    assert m.reoffences.tolist() == [0]
    assert m.offences_before.tolist() == [1]
    assert m.binary_rate[0] == 0


def test_offence_the_day_after_selection_is_a_reoffence():
    m = one("2015-01-10", [("2015-01-11", "2015-02-01")])
    assert m.reoffences.tolist() == [1]
    assert m.days_to_first.tolist() == [1.0]
    assert m.binary_rate[0] == 100


@pytest.mark.parametrize(
    "committed,proven,reoffences",
    [
        # the follow-up year ends on the anniversary of selection, inclusive
        pytest.param("2016-01-10", "2016-02-01", 1, id="committed-on-anniversary"),
        pytest.param("2016-01-11", "2016-02-01", 0, id="committed-day-after"),
        # committed in month 11, proven in month 17: inside 12 + 6
        pytest.param("2015-12-01", "2016-06-30", 1, id="proven-while-waiting"),
        pytest.param("2015-12-01", "2016-07-10", 1, id="proven-on-last-day"),
        pytest.param("2015-12-01", "2016-07-11", 0, id="proven-day-after"),
    ],
)
def test_follow_up_year_and_waiting_period_bound_a_reoffence(
    committed, proven, reoffences
):
    m = one("2015-01-10", [(committed, proven)])
    assert m.reoffences.tolist() == [reoffences]


def test_deselection_before_12_months_does_not_stop_the_clock():
    m = one("2015-01-10", [("2015-09-01", "2015-10-01")], deselected="2015-03-01")
    assert m.reoffences.tolist() == [1]
    assert m.binary_rate[0] == 100
    # but they have left the cohort by the end of the first quarter
    assert m.cohort_size.tolist()[0] == 0


def test_rate_is_missing_until_the_period_is_18_months_past():
    # Q1 2015: last selection day 31 March 2015, +18 months = 30 September 2016
    early = one("2015-01-10", [], as_of="2016-09-29")
    due = one("2015-01-10", [], as_of="2016-09-30")
    assert np.isnan(early.binary_rate[0])
    assert due.binary_rate[0] == 0
    assert not early.complete[0] and due.complete[0]


def test_hand_computed_cohort_of_five():
    # Selected in Q1 2015:
    #  A 2015-01-05: offences 2015-03-01 (proven 04-01), 2015-06-01 (07-01)
    #     and one the year before, 2014-06-01  -> re-offends, 2 re-offences
    #  B 2015-02-01: none                         -> no
    #  C 2015-02-15: 2015-02-15 (same day)        -> no, 1 before
    #  D 2015-03-31: 2016-03-01 proven 2016-10-15 -> no (proven after 2016-09-30)
    #  E 2015-03-01, de-selected 2015-05-01: 2015-08-01 -> yes, 1 re-offence
    # Selected in Q2 2015: F 2015-04-01 with no offences.
    selected = [
        "2015-01-05",
        "2015-02-01",
        "2015-02-15",
        "2015-03-31",
        "2015-03-01",
        "2015-04-01",
    ]
    deselected = [NAT, NAT, NAT, NAT, "2015-05-01", NAT]
    offences = [
        (0, "2015-03-01", "2015-04-01"),
        (0, "2015-06-01", "2015-07-01"),
        (0, "2014-06-01", "2014-07-01"),
        (2, "2015-02-15", "2015-03-01"),
        (3, "2016-03-01", "2016-10-15"),
        (4, "2015-08-01", "2015-09-01"),
    ]
    m = cohort_measures(
        selected,
        deselected,
        [o[0] for o in offences],
        [o[1] for o in offences],
        [o[2] for o in offences],
        as_of="2017-01-01",
    )
    assert m.periods[0] == np.datetime64("2015-01-01")
    assert m.selected[:2].tolist() == [5, 1]
    assert m.reoffenders[0] == 2
    assert m.binary_rate[0] == pytest.approx(40.0)
    assert m.frequency_rate[0] == pytest.approx(3 / 5)
    assert m.before_mean[0] == pytest.approx(2 / 5)  # A's 2014 and C's same-day
    assert m.reoffences.tolist() == [2, 0, 0, 0, 1, 0]
    # A: 2015-01-05 -> 2015-03-01 is 55 days; E: 2015-03-01 -> 08-01 is 153
    assert m.days_to_first[0] == 55 and m.days_to_first[4] == 153
    assert m.median_days_to_first[0] == pytest.approx(104)
    # cohort at 31 March 2015: all five; at 30 June: E left, F joined
    assert m.cohort_size[:2].tolist() == [5, 5]
    # Q2 2015 ends 30 June 2015, due 31 December 2016
    assert m.complete[1] and m.binary_rate[1] == 0


def test_empty_cohort():
    m = cohort_measures([], [], [], [], [], "2020-01-01")
    assert len(m.periods) == 0
