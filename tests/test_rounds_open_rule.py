"""One rule says when an answer takes drafts: `taking_drafts` for queries (the autosave UPDATE)
and `Answer.is_open` in Python. Every combination of the clock's states, both ways."""

import itertools
from datetime import timedelta

import pytest

from rounds import drafts
from rounds.models import GRACE, Answer, taking_drafts
from tests.rounds_helpers import T0, make_question, start

pytestmark = pytest.mark.django_db

DEADLINES = {
    "no deadline": None,
    "deadline ahead": timedelta(minutes=5),
    "deadline just passed, within grace": -GRACE + timedelta(seconds=1),
    "deadline and grace passed": -GRACE - timedelta(seconds=1),
}
CASES = list(itertools.product([True, False], [True, False], [True, False], DEADLINES))


@pytest.mark.parametrize(("started", "submitted", "round_finished", "deadline"), CASES)
def test_the_query_and_python_agree(alice, started, submitted, round_finished, deadline):
    round_ = start(alice, [make_question()])
    answer = round_.answers.get()
    offset = DEADLINES[deadline]
    Answer.objects.filter(pk=answer.pk).update(
        started_at=T0 - timedelta(minutes=10) if started else None,
        submitted_at=T0 - timedelta(minutes=1) if submitted else None,
        deadline=None if offset is None else T0 + offset,
    )
    if round_finished:
        type(round_).objects.filter(pk=round_.pk).update(finished_at=T0 - timedelta(seconds=1))
    answer = Answer.objects.select_related("round").get(pk=answer.pk)

    in_python = answer.is_open(T0)
    in_sql = Answer.objects.filter(taking_drafts(T0), pk=answer.pk).exists()

    assert in_python == in_sql
    expected = started and not submitted and not round_finished and "grace passed" not in deadline
    assert in_python == expected
    # And the autosave UPDATE, compiled once from the ORM's query, matches exactly those rows.
    ids = {"candidate_id": alice.pk, "round_id": round_.pk, "answer_id": answer.pk}
    orm = drafts.draft_update(**ids, now=T0).exists()
    saved = drafts._update_open_draft(alice.pk, round_.pk, answer.pk, "Draft.", T0)
    assert saved == orm == expected


@pytest.mark.parametrize("sequence", [None, 5, 50])
@pytest.mark.parametrize("live_session", [None, True, False])
def test_the_compiled_update_matches_the_orm(client, alice, sequence, live_session):
    """The compiled UPDATE with its optional parts (sequence, session) against the ORM's."""
    round_ = start(alice, [make_question()])
    answer = round_.answers.get()
    Answer.objects.filter(pk=answer.pk).update(
        started_at=T0 - timedelta(minutes=1), deadline=T0 + timedelta(minutes=5), draft_sequence=10
    )
    session_key = None
    if live_session is not None:
        client.force_login(alice)
        session_key = client.session.session_key
        if not live_session:
            client.logout()
    ids = {"candidate_id": alice.pk, "round_id": round_.pk, "answer_id": answer.pk}

    orm = drafts.draft_update(**ids, now=T0, sequence=sequence, session_key=session_key)
    expected = orm.exists()
    saved = drafts._update_open_draft(
        alice.pk, round_.pk, answer.pk, "Saved.", T0, sequence=sequence, session_key=session_key
    )

    assert saved == expected
    assert expected == ((sequence is None or sequence > 10) and live_session is not False)
    answer.refresh_from_db()
    assert answer.draft == ("Saved." if saved else "")
    assert answer.draft_sequence == (sequence if saved and sequence else 10)
