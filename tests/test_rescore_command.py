from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feedback import services
from feedback.models import Feedback
from prep.celery import app as celery_app
from tests.factories import AnswerFactory, QuestionFactory
from tests.scoring_helpers import (
    UNREACHABLE_BROKER,
    FixedScorer,
    broker,
    make_rubric,
)

pytestmark = pytest.mark.usefixtures("fixed_scorers")


@pytest.fixture
def answers(db):
    """Three gtm answers to two questions (one scored already) and one execution answer."""
    gtm = make_rubric()
    launch = QuestionFactory(slug="launch", rubric=gtm)
    channels = QuestionFactory(slug="channels", rubric=gtm)
    diagnosis = QuestionFactory(slug="drop", rubric=make_rubric("diagnosis", kind="execution"))
    january, march = datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC)
    made = {
        "scored": AnswerFactory(question=launch, submitted_at=january),
        "launch": AnswerFactory(question=launch, submitted_at=march),
        "channels": AnswerFactory(question=channels, submitted_at=march),
        "drop": AnswerFactory(question=diagnosis, submitted_at=march),
    }
    AnswerFactory(question=launch, submitted_at=None)  # a draft is never scored
    services.score_answer(made["scored"].pk)
    return made


def rescore(*args):
    out, err = StringIO(), StringIO()
    call_command("rescore", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def scored_ids():
    return set(Feedback.objects.values_list("answer_id", flat=True))


def test_it_rescores_everything_submitted(answers):
    old = Feedback.objects.get()

    out, err = rescore()

    assert out == "Rescored 4 answers with fixed-1 (0 with errors).\n"
    assert "4/4" in err  # the progress bar
    assert scored_ids() == {a.pk for a in answers.values()}
    assert Feedback.objects.count() == 4
    assert not Feedback.objects.filter(pk=old.pk).exists()  # replaced, not duplicated


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--rubric", "diagnosis"], {"drop"}),
        (["--kind", "gtm"], {"scored", "launch", "channels"}),
        (["--question", "launch"], {"scored", "launch"}),
        (["--since", "2026-02-01"], {"launch", "channels", "drop"}),
        (["--kind", "gtm", "--since", "2026-02-01", "--question", "channels"], {"channels"}),
    ],
)
def test_filters_pick_the_answers(answers, args, expected):
    before = Feedback.objects.get()
    FixedScorer.calls.clear()

    rescore(*args)

    assert len(FixedScorer.calls) == len(expected)
    assert scored_ids() == {answers[name].pk for name in expected | {"scored"}}
    assert Feedback.objects.filter(pk=before.pk).exists() == ("scored" not in expected)


def test_nothing_matching_is_not_an_error(answers):
    out, _ = rescore("--since", "2030-01-01")

    assert out == "No submitted answers match.\n"


def test_errors_are_counted(answers):
    out, _ = rescore("--scorer", "broken", "--question", "launch")

    assert out == "Rescored 2 answers with broken-1 (2 with errors).\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rubric", "nope"], "no rubric with the slug 'nope'"),
        (["--question", "nope"], "no question with the slug 'nope'"),
        (["--since", "last week"], "--since must be a date like 2026-01-31, not 'last week'"),
        (["--kind", "sales"], "argument --kind: invalid choice: 'sales'"),
        (["--scorer", "nope"], "argument --scorer: invalid choice: 'nope'"),
    ],
)
def test_it_validates_and_changes_nothing(answers, args, message):
    before = list(Feedback.objects.values_list("pk", flat=True))

    with pytest.raises(CommandError, match=message):
        rescore(*args)

    assert list(Feedback.objects.values_list("pk", flat=True)) == before


def test_enqueue_queues_one_task_per_answer_instead_of_scoring(answers):
    with broker("memory://"), celery_app.connection_for_write() as connection:
        queue = connection.SimpleQueue("celery")  # test scorers have no queue of their own
        queue.clear()
        try:
            out, _ = rescore("--enqueue", "--kind", "gtm")
            messages = [queue.get(timeout=1) for _ in range(queue.qsize())]
        finally:
            queue.clear()
            queue.close()

    assert out == "Queued 3 answers for fixed-1.\n"
    assert sorted(m.payload[0][0] for m in messages) == sorted(
        answers[name].pk for name in ("scored", "launch", "channels")
    )
    assert all(m.payload[1] == {"scorer": "fixed", "replace": True} for m in messages)
    assert len(FixedScorer.calls) == 1  # the fixture scored one answer; nothing since
    assert Feedback.objects.count() == 1


def test_enqueue_says_when_the_broker_is_down(answers):
    with broker(UNREACHABLE_BROKER), pytest.raises(CommandError, match="queued 0 of 4 answers"):
        rescore("--enqueue")
