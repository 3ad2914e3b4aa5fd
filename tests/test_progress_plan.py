"""The plan behind "Next round for me" (progress/plan.py): plain functions, no database."""

from datetime import timedelta

import pytest

from progress.plan import (
    Attempt,
    build_plan,
    interval,
    question_for_mode,
    recent_modes,
    recent_off_topic,
    reviews,
)
from tests.rounds_helpers import T0

DAY = timedelta(days=1)
TITLES = {
    "premature_scaling": "Scaling before the value is validated",
    "no_measurement_plan": "No way to tell whether it worked",
    "vanity_metrics": "Vanity metrics as the goal",
}


def weak(question_id, at, overall=2.1, modes=("no_measurement_plan",)):
    return Attempt(question_id, at, overall, tuple(modes))


def strong(question_id, at):
    return Attempt(question_id, at, 4.2, ())


@pytest.mark.parametrize(
    ("weak_in_a_row", "days"), [(1, 1), (2, 3), (3, 7), (4, 14), (5, 30), (9, 30)]
)
def test_the_interval_grows_with_each_weak_attempt_in_a_row(weak_in_a_row, days):
    assert interval(weak_in_a_row) == timedelta(days=days)


@pytest.mark.parametrize(
    ("attempt", "is_weak"),
    [
        (Attempt(1, T0, 2.9, ()), True),  # below 3
        (Attempt(1, T0, 4.0, ("vanity_metrics",)), True),  # a failure mode
        (Attempt(1, T0, 3.0, ()), False),
    ],
)
def test_weak_means_below_three_or_a_failure_mode(attempt, is_weak):
    assert attempt.weak is is_weak


def test_a_weak_answer_comes_back_after_one_day_then_three_then_seven():
    first = [weak(1, T0)]
    assert [r.due_at for r in reviews(first)] == [T0 + DAY]

    second = first + [weak(1, T0 + DAY)]
    assert [r.due_at for r in reviews(second)] == [T0 + DAY + 3 * DAY]

    third = second + [weak(1, T0 + 4 * DAY)]
    assert [(r.weak_in_a_row, r.due_at) for r in reviews(third)] == [(3, T0 + 11 * DAY)]


def test_an_answer_without_the_mode_retires_the_question():
    assert reviews([weak(1, T0), strong(1, T0 + DAY)]) == []
    # ...until it is answered weakly again: the count starts over.
    again = reviews([weak(1, T0), strong(1, T0 + DAY), weak(1, T0 + 5 * DAY)])
    assert [(r.weak_in_a_row, r.due_at) for r in again] == [(1, T0 + 6 * DAY)]


def test_a_review_is_planned_only_once_due():
    attempts = [weak(1, T0)]
    traps = {1: {}}

    assert (
        build_plan(attempts=attempts, traps=traps, titles=TITLES, now=T0 + timedelta(hours=23))
        == []
    )
    picks = build_plan(attempts=attempts, traps=traps, titles=TITLES, now=T0 + 3 * DAY)

    assert [p.question_id for p in picks] == [1]
    assert picks[0].reason == (
        "Due again: 3 days since you scored 2.1 on it with “No way to tell whether it worked”."
    )


def test_a_low_score_without_a_mode_says_only_the_score():
    picks = build_plan(
        attempts=[Attempt(1, T0, 2.0, ())], traps={1: {}}, titles=TITLES, now=T0 + DAY
    )
    assert picks[0].reason == "Due again: 1 day since you scored 2.0 on it."


def test_the_most_frequent_recent_mode_picks_a_question_whose_trap_it_is():
    minute = timedelta(minutes=1)
    attempts = [weak(q, T0 + q * minute, 3.5, ["premature_scaling"]) for q in (1, 2, 3)]
    attempts += [strong(q, T0 + q * minute) for q in (4, 5)]
    attempts += [weak(6, T0 + 6 * minute, 3.5, ["vanity_metrics"])]
    traps = {
        10: {"vanity_metrics": 1},
        11: {"premature_scaling": 2},
        12: {"no_measurement_plan": 1},
        **{q: {} for q in range(1, 7)},
    }
    now = T0 + timedelta(hours=1)  # nothing is due again yet, so only the traps pick

    picks = build_plan(attempts=attempts, traps=traps, titles=TITLES, now=now)

    assert [(p.question_id, p.mode) for p in picks] == [
        (11, "premature_scaling"),
        (10, "vanity_metrics"),
    ]
    assert picks[0].reason == (
        "“Scaling before the value is validated” showed up in 3 of your last 6 answers; "
        "it is this question's typical trap."
    )


def test_only_the_last_ten_answers_count():
    old = [
        weak(1, T0 - 30 * DAY + i * timedelta(minutes=1), 3.5, ["vanity_metrics"]) for i in range(5)
    ]
    new = [strong(2, T0 + i * timedelta(minutes=1)) for i in range(9)]
    new.append(weak(3, T0 + DAY, 3.5, ["premature_scaling"]))

    counts, out_of = recent_modes(old + new)

    assert (dict(counts), out_of) == ({"premature_scaling": 1}, 10)


def test_answers_to_another_question_are_not_counted_as_free_of_failure_modes():
    judged = [weak(1, T0, 2.4, ["vanity_metrics"]), strong(2, T0 + DAY)]
    off = [Attempt(3, T0 + 2 * DAY + i * timedelta(minutes=1), 1.2, (), True) for i in range(9)]

    counts, out_of = recent_modes(judged + off)

    # Counted, the nine off-topic answers would have pushed the failure mode out of the last ten.
    assert (dict(counts), out_of) == ({"vanity_metrics": 1}, 2)
    assert recent_off_topic(judged + off) == 9
    assert recent_off_topic(judged + off, last=3) == 3


def test_a_trap_question_not_answered_recently_comes_first():
    traps = {1: {"premature_scaling": 1}, 2: {"premature_scaling": 1}, 3: {"premature_scaling": 3}}
    now = T0 + 60 * DAY
    never = question_for_mode(
        "premature_scaling", traps=traps, last_answered={1: now - DAY, 2: now - 40 * DAY}, now=now
    )
    assert never == 3  # never answered beats an earlier probe
    long_ago = question_for_mode(
        "premature_scaling",
        traps=traps,
        last_answered={1: now - DAY, 2: now - 40 * DAY, 3: now - 20 * DAY},
        now=now,
    )
    assert long_ago == 2  # the least recently answered
    only_recent = question_for_mode(
        "premature_scaling",
        traps={1: {"premature_scaling": 1}},
        last_answered={1: now - DAY},
        now=now,
    )
    assert only_recent == 1  # answered yesterday, but nothing else has this trap


def test_due_reviews_come_first_but_leave_a_place_for_the_trap():
    attempts = [weak(q, T0 + q * timedelta(minutes=1), 2.0, ["vanity_metrics"]) for q in (1, 2, 3)]
    traps = {1: {}, 2: {}, 3: {}, 9: {"vanity_metrics": 1}}

    picks = build_plan(attempts=attempts, traps=traps, titles=TITLES, now=T0 + 2 * DAY)

    assert [p.question_id for p in picks] == [1, 2, 9]
    assert [p.review is not None for p in picks] == [True, True, False]


def test_reviews_fill_the_places_no_trap_question_can():
    attempts = [weak(q, T0 + q * timedelta(minutes=1), 2.0, ["vanity_metrics"]) for q in (1, 2, 3)]

    picks = build_plan(
        attempts=attempts, traps={1: {}, 2: {}, 3: {}}, titles=TITLES, now=T0 + 2 * DAY
    )

    assert [p.question_id for p in picks] == [1, 2, 3]


def test_a_question_that_left_the_bank_is_not_planned():
    picks = build_plan(attempts=[weak(1, T0)], traps={}, titles=TITLES, now=T0 + 2 * DAY)
    assert picks == []


def test_no_history_no_plan():
    assert build_plan(attempts=[], traps={1: {"vanity_metrics": 1}}, titles=TITLES, now=T0) == []
