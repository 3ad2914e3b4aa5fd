import logging
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from feedback import selectors, services, tasks
from feedback.models import CriterionScore, FailureModeHit, Feedback
from scoring.types import FailureModeFinding
from tests.factories import AnswerFactory, QuestionFactory
from tests.scoring_helpers import (
    UNREACHABLE_BROKER,
    FixedScorer,
    broker,
    make_rubric,
)
from tests.threads import at_once

pytestmark = pytest.mark.usefixtures("fixed_scorers")


@pytest.fixture
def question(db):
    return QuestionFactory(slug="launch-abroad", rubric=make_rubric())


def test_it_stores_feedback_with_rows(question):
    answer = AnswerFactory(question=question, text="Go global at once: premature_scaling.")

    feedback = services.score_answer(answer.pk)

    assert (feedback.scorer, feedback.scorer_version) == ("fixed", "1")
    assert feedback.rubric == question.rubric
    assert feedback.overall == Decimal("3.00")
    assert feedback.error == ""
    assert feedback.raw["scored_by"] == "fixed-1"
    assert feedback.raw["raw"] == {"note": "fixed"}
    assert feedback.duration_ms >= 0
    assert feedback.started_at <= feedback.created_at
    scores = list(feedback.criterion_scores.values_list("key", "score", "max_score", "criterion"))
    staging, metrics = question.rubric.criteria.order_by("order")
    assert scores == [("staging", 3, 5, staging.pk), ("metrics", 3, 5, metrics.pk)]
    hit = feedback.failure_mode_hits.get()
    assert hit.failure_mode.key == "premature_scaling"
    assert hit.evidence == [{"start": 19, "end": 36, "quote": "premature_scaling"}]
    assert hit.advice == "What a stronger answer says instead."


def test_it_scores_the_prompt_that_was_asked(question):
    answer = AnswerFactory(question=question, prompt="And how would you measure it?")

    services.score_answer(answer.pk)

    rubric, asked, text = FixedScorer.calls[0]
    assert asked.prompt == "And how would you measure it?"
    assert asked.slug == "launch-abroad"
    assert rubric.slug == "gtm-test"
    assert text == answer.text


def test_score_text_scores_a_rewrite_against_the_answers_question_and_stores_nothing(question):
    answer = AnswerFactory(question=question, text="Go global at once: premature_scaling.")

    result = services.score_text(answer, "Start in one market for six weeks.", "fixed")

    assert result.failure_modes == [] and result.scorer_id == "fixed-1"
    rubric, spec, text = FixedScorer.calls[-1]
    assert spec.slug == "launch-abroad" and text == "Start in one market for six weeks."
    assert not Feedback.objects.exists()
    found = services.score_text(answer, "Still premature_scaling.", "fixed")
    assert [f.key for f in found.failure_modes] == ["premature_scaling"]


def test_score_text_refuses_a_result_that_cannot_stand(question):
    answer = AnswerFactory(question=question)
    with pytest.raises(ValueError, match="outside 1..5"):
        services.score_text(answer, "Anything.", "out-of-range")


def test_running_twice_scores_once(question, django_assert_num_queries):
    answer = AnswerFactory(question=question)
    first = services.score_answer(answer.pk)

    with django_assert_num_queries(2):  # the answer, then its existing feedback
        again = services.score_answer(answer.pk)

    assert again.pk == first.pk
    assert len(FixedScorer.calls) == 1
    assert Feedback.objects.count() == 1


def test_a_run_that_loses_the_race_returns_the_winners_row(question):
    answer = AnswerFactory(question=question, text="vanity_metrics")
    winner = []

    def another_worker_stores_first():
        FixedScorer.before_score = None
        winner.append(services.score_answer(answer.pk))

    FixedScorer.before_score = another_worker_stores_first

    feedback = services.score_answer(answer.pk)

    assert feedback.pk == winner[0].pk
    assert Feedback.objects.count() == 1
    assert CriterionScore.objects.count() == 2
    assert FailureModeHit.objects.count() == 1


def test_replace_swaps_the_feedback_for_a_fresh_one(question):
    answer = AnswerFactory(question=question, text="premature_scaling")
    old = services.score_answer(answer.pk)
    question.rubric.failure_modes.remove(old.failure_mode_hits.get().failure_mode)

    new = services.score_answer(answer.pk, replace=True)

    assert new.pk != old.pk
    assert list(Feedback.objects.values_list("pk", flat=True)) == [new.pk]
    assert CriterionScore.objects.filter(feedback=new).count() == 2
    assert not FailureModeHit.objects.exists()


def test_another_scorer_version_gets_its_own_row(question, monkeypatch):
    answer = AnswerFactory(question=question)
    services.score_answer(answer.pk)
    monkeypatch.setattr(FixedScorer, "version", "2")

    services.score_answer(answer.pk)

    assert sorted(Feedback.objects.values_list("scorer_version", flat=True)) == ["1", "2"]


def test_a_scorer_bug_is_stored_as_an_error_and_not_retried(question, caplog):
    answer = AnswerFactory(question=question)

    with caplog.at_level(logging.ERROR, logger="feedback.services"):
        feedback = services.score_answer(answer.pk, "broken")
        again = services.score_answer(answer.pk, "broken")

    assert again.pk == feedback.pk
    assert feedback.error == "ValueError: the scorer has a bug"
    assert feedback.overall is None
    assert not feedback.criterion_scores.exists()
    assert "broken failed on answer" in caplog.text


def test_an_impossible_result_is_stored_as_an_error(question):
    answer = AnswerFactory(question=question)

    feedback = services.score_answer(answer.pk, "out-of-range")

    assert feedback.error == "score 9 for staging is outside 1..5"
    assert feedback.overall is None
    assert feedback.raw["criteria"][0]["score"] == 9
    assert not feedback.criterion_scores.exists()


def test_result_problem_names_what_is_wrong(question):
    from rubrics.specs import rubric_spec

    rubric = rubric_spec(question.rubric)
    result = FixedScorer().score(rubric, None, "vanity_metrics")
    assert services.result_problem(result, rubric) == ""

    result.criteria.pop()
    assert "the rubric has ['metrics', 'staging']" in services.result_problem(result, rubric)

    result = FixedScorer().score(rubric, None, "")
    result.failure_modes = [FailureModeFinding("made_up", "Made up", [], "")]
    assert "not in the rubric: ['made_up']" in services.result_problem(result, rubric)


def test_connection_errors_propagate_so_the_task_retries(question):
    answer = AnswerFactory(question=question)

    with pytest.raises(ConnectionError):
        services.score_answer(answer.pk, "flaky")

    assert not Feedback.objects.exists()


def test_drafts_and_missing_answers_are_not_scored(question):
    draft = AnswerFactory(question=question, submitted_at=None)

    assert services.score_answer(draft.pk) is None
    assert services.score_answer(draft.pk + 1000) is None
    assert not Feedback.objects.exists()
    assert FixedScorer.calls == []


def test_an_unknown_scorer_is_refused(question):
    answer = AnswerFactory(question=question)

    with pytest.raises(ValueError, match="unknown scorer 'nope'"):
        services.score_answer(answer.pk, "nope")


def test_request_scoring_waits_for_the_commit(question, django_capture_on_commit_callbacks):
    answer = AnswerFactory(question=question)

    with django_capture_on_commit_callbacks() as callbacks:
        tasks.request_scoring(answer)
        assert not Feedback.objects.exists()

    assert len(callbacks) == 1
    callbacks[0]()  # the commit happened; tasks run eagerly in tests
    assert Feedback.objects.get().scorer == "fixed"


def test_request_scoring_survives_a_broker_outage(question, caplog):
    answer = AnswerFactory(question=question)

    with broker(UNREACHABLE_BROKER), caplog.at_level(logging.WARNING, logger="feedback.tasks"):
        queued = tasks.enqueue(answer.pk)

    assert queued is False
    assert f"could not queue scoring of answer {answer.pk}, the sweep will" in caplog.text
    assert not Feedback.objects.exists()


def test_unscored_answers_are_the_old_submitted_ones_with_no_feedback(question):
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    old = AnswerFactory(question=question, submitted_at=now - timedelta(minutes=5))
    AnswerFactory(question=question, submitted_at=now - timedelta(minutes=1))  # recent
    AnswerFactory(question=question, submitted_at=None)  # draft
    scored = AnswerFactory(question=question, submitted_at=now - timedelta(minutes=9))
    services.score_answer(scored.pk)

    with time_machine.travel(now, tick=False):
        assert list(selectors.unscored_answers(timedelta(minutes=3))) == [old]
        assert tasks.sweep_unscored() == 1

    assert Feedback.objects.filter(answer=old).exists()
    assert Feedback.objects.count() == 2


def test_the_sweep_takes_a_bounded_batch(question):
    for _ in range(3):
        AnswerFactory(question=question, submitted_at=datetime(2026, 1, 1, tzinfo=UTC))

    assert tasks.sweep_unscored(limit=2) == 2
    assert Feedback.objects.count() == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_on_postgres_leave_one_row(question):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    answer = AnswerFactory(question=question)
    both_scored = threading.Barrier(2, timeout=10)
    FixedScorer.before_score = both_scored.wait  # both pass the "no feedback yet" check

    results = at_once(lambda: services.score_answer(answer.pk).pk, timeout=20)

    assert len(results) == 2
    assert len(FixedScorer.calls) == 2
    assert len(set(results)) == 1
    assert Feedback.objects.filter(answer=answer).count() == 1
    assert CriterionScore.objects.count() == 2
