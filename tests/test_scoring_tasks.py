from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.db import connection

from feedback import tasks
from feedback.models import Feedback
from prep.celery import app as celery_app
from prep.celery import release_database_connection
from tests.factories import AnswerFactory, QuestionFactory
from tests.scoring_helpers import FixedScorer, FlakyScorer, make_rubric

pytestmark = pytest.mark.usefixtures("fixed_scorers")


@pytest.fixture
def answer(db):
    return AnswerFactory(question=QuestionFactory(rubric=make_rubric()))


def test_the_task_scores_the_answer(answer):
    tasks.score_answer_task.delay(answer.pk, scorer="fixed")

    assert Feedback.objects.get(answer=answer).scorer == "fixed"


@pytest.fixture
def eager_retries(monkeypatch):
    # Eager retries re-run at once, but only when failures are not re-raised to the caller.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)


def test_a_connection_error_is_retried_until_it_scores(answer, eager_retries):
    FlakyScorer.failures = 2

    result = tasks.score_answer_task.apply((answer.pk,), {"scorer": "flaky"})

    assert result.successful()
    assert Feedback.objects.get(answer=answer).scorer == "flaky"
    assert len(FixedScorer.calls) == 1  # the two failed attempts never reached it


def test_retries_give_up_and_leave_the_answer_to_the_sweep(answer, eager_retries):
    FlakyScorer.failures = 100

    result = tasks.score_answer_task.apply((answer.pk,), {"scorer": "flaky"})

    assert result.failed()
    assert isinstance(result.result, ConnectionError)
    assert FlakyScorer.failures == 100 - 1 - tasks.score_answer_task.max_retries
    assert not Feedback.objects.exists()


def test_the_task_survives_being_killed_and_retried_in_the_broker():
    task = tasks.score_answer_task
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]

    assert task.acks_late and task.reject_on_worker_lost
    # A retry waits in a worker unacknowledged; past the visibility timeout Redis would hand
    # it to a second worker as well.
    assert task.retry_backoff_max * 2 <= visibility
    assert task.retry_jitter


@pytest.mark.parametrize(
    ("scorer", "queue"), [("heuristic", "heuristic"), ("llm", "llm"), (None, "heuristic")]
)
def test_scoring_is_routed_to_the_scorers_queue(settings, scorer, queue):
    settings.SCORER = "heuristic"
    router = celery_app.amqp.Router()

    route = router.route({}, tasks.score_answer_task.name, (1,), {"scorer": scorer})

    assert route["queue"].name == queue


def test_the_sweep_runs_on_the_default_queue():
    route = celery_app.amqp.Router().route({}, tasks.sweep_unscored.name, (), {})

    assert route["queue"].name == "celery"


def test_the_sweep_is_scheduled_every_minute():
    (entry,) = [
        e
        for e in django_settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == tasks.sweep_unscored.name
    ]
    assert entry["schedule"] <= 60


def test_the_sweep_task_scores_what_was_lost(answer, settings):
    settings.SCORER = "fixed"
    answer.submitted_at = datetime(2026, 1, 1, tzinfo=UTC)
    answer.save()

    assert tasks.sweep_unscored.delay().get() == 1
    assert tasks.sweep_unscored.delay().get() == 0

    assert Feedback.objects.get(answer=answer).scorer == "fixed"


@pytest.mark.django_db(transaction=True)
def test_a_worker_hands_its_connection_back_after_each_task_but_an_eager_task_does_not():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database is never closed")
    connection.ensure_connection()

    release_database_connection(task=SimpleNamespace(request=SimpleNamespace(is_eager=True)))
    assert connection.connection is not None  # it belongs to the caller's request

    release_database_connection(task=SimpleNamespace(request=SimpleNamespace(is_eager=False)))
    assert connection.connection is None  # back in the pool
