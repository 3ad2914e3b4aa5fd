"""Time as the candidate lived it: each answer's own time and limit, main and follow-up apart,
and "submitted when time ran out" whoever submitted at the deadline, the page or the server."""

from datetime import timedelta

from django.urls import reverse

from rounds import services
from rounds.models import GRACE, Answer
from tests.coaching_helpers import link
from tests.rounds_helpers import make_question, opened, start


def timed_round(alice, clock, capture):
    """A 1-minute question the page submitted at 00:00 (a second after the deadline), and its
    follow-up, which the server submitted when its time ran out."""
    round_ = start(alice, [make_question(time_limit_seconds=60)], time_per_question_seconds=60)
    main = opened(round_)
    clock.shift(timedelta(seconds=61))
    with capture(execute=True):
        services.submit_answer(answer=main, text="Launch in Canada first, then decide.")
    follow_up = opened(round_)
    Answer.objects.filter(pk=follow_up.pk).update(draft="Watch repeat use in week two.")
    clock.shift(timedelta(seconds=follow_up.time_limit_seconds) + GRACE + timedelta(seconds=1))
    with capture(execute=True):
        services.close_expired_answers()
    main.refresh_from_db()
    follow_up.refresh_from_db()
    return round_, main, follow_up


def test_the_summary_shows_each_answer_against_its_own_limit(
    client, alice, clock, django_capture_on_commit_callbacks
):
    round_, main, follow_up = timed_round(alice, clock, django_capture_on_commit_callbacks)
    assert (main.time_used_seconds, main.auto_submitted, main.timed_out) == (60, False, True)
    assert follow_up.auto_submitted and follow_up.timed_out
    limit = follow_up.time_limit_seconds
    client.force_login(alice)
    html = client.get(reverse("practice:summary", args=[round_.pk])).content.decode()
    row = html.split('<ul class="answer-times">')[1].split("</ul>")[0]
    assert '<span class="nowrap">Answer: 01:00 of 01:00</span>' in row
    follow_up_time = f"{limit // 60:02d}:{limit % 60:02d}"
    assert f"Follow-up: {follow_up_time} of {follow_up_time}</span>" in row
    assert row.count("Submitted when time ran out") == 2
    # The answer page says it too, for the answer the page submitted.
    page = client.get(reverse("practice:feedback", args=[round_.pk, main.pk])).content.decode()
    assert "Submitted for you when time ran out" in page


def test_an_answer_submitted_in_time_is_not_marked(
    client, alice, clock, django_capture_on_commit_callbacks
):
    round_ = start(alice, [make_question(time_limit_seconds=600)], time_per_question_seconds=600)
    main = opened(round_)
    clock.shift(timedelta(seconds=250))
    services.submit_answer(answer=main, text="Launch in Canada first.")
    main.refresh_from_db()
    assert main.time_used_seconds == 250 and not main.timed_out
    client.force_login(alice)
    html = client.get(reverse("practice:summary", args=[round_.pk])).content.decode()
    assert "Answer: 04:10 of 10:00" in html and "Submitted when time ran out" not in html
    assert "Follow-up: not opened" in html


def test_the_coach_sees_the_same_times(
    client, alice, bob, clock, django_capture_on_commit_callbacks
):
    round_, main, _ = timed_round(alice, clock, django_capture_on_commit_callbacks)
    link(alice, bob)
    client.force_login(bob)
    html = client.get(reverse("coaching:round", args=[round_.pk])).content.decode()
    assert "Answer: 01:00 of 01:00" in html and html.count("Submitted when time ran out") == 2
