"""Coaches hear when a candidate finishes a round: a notification at once, and an email (through
a real SMTP server on 127.0.0.1) at most once a day per candidate, which they can turn off."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from coaching import notices
from coaching.models import CoachLink, Notification
from rounds.models import Round
from rounds.services import finish_round
from tests import coaching_helpers as helpers

pytestmark = pytest.mark.django_db


def finish(candidate, capture, *, answered: bool = True) -> Round:
    """A round of one question the candidate answered (or only opened), finished now."""
    main = helpers.transcript(candidate, follow_up=False, scored=False)
    round_ = main.round
    Round.objects.filter(pk=round_.pk).update(finished_at=None)
    if not answered:
        main.submitted_at = None
        main.save()
    round_.refresh_from_db()
    with capture(execute=True):
        return finish_round(round_=round_)


def test_coaches_are_told_when_a_candidate_finishes_a_round(
    alice, bob, charlie, smtp_server, django_capture_on_commit_callbacks
):
    link = helpers.link(alice, bob)
    quiet = helpers.link(alice, helpers.coach("dora"))
    quiet.round_emails = False
    quiet.save()
    other = helpers.link(charlie, helpers.coach("eve"))

    round_ = finish(alice, django_capture_on_commit_callbacks)

    url = reverse("coaching:round", args=[round_.pk])
    told = Notification.objects.filter(url=url, text__startswith="alice finished a round")
    assert sorted(told.values_list("user__username", flat=True)) == ["bob", "dora"]
    assert not Notification.objects.filter(user=other.coach).exists()
    [mail] = smtp_server.messages
    assert mail["To"] == "bob@example.com"
    assert mail["Subject"] == "alice finished 1 round on Prep"
    body = smtp_server.bodies()[0]
    assert f"http://127.0.0.1:8000{url}" in body
    assert "http://127.0.0.1:8000/coach/candidates/" in body  # where to turn them off
    link.refresh_from_db()
    assert link.round_email_sent_at is not None
    assert link.rounds_emailed_until == round_.finished_at


def test_at_most_one_email_a_day_for_each_candidate(
    alice, bob, smtp_server, django_capture_on_commit_callbacks
):
    helpers.link(alice, bob)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        finish(alice, django_capture_on_commit_callbacks)
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        second = finish(alice, django_capture_on_commit_callbacks)
        third = finish(alice, django_capture_on_commit_callbacks)
        assert notices.send_due_round_emails() == 0
    assert len(smtp_server.messages) == 1
    assert Notification.objects.filter(user=bob).count() == 3  # in the app, every time

    with time_machine.travel(start + timedelta(days=1, minutes=1), tick=False):
        assert notices.send_due_round_emails() == 1
        assert notices.send_due_round_emails() == 0
    digest = smtp_server.messages[1]
    assert digest["Subject"] == "alice finished 2 rounds on Prep"
    body = smtp_server.bodies()[1]
    for round_ in (second, third):
        assert reverse("coaching:round", args=[round_.pk]) in body
    assert len(smtp_server.messages) == 2


def test_a_round_with_nothing_answered_is_not_news(
    alice, bob, smtp_server, django_capture_on_commit_callbacks
):
    helpers.link(alice, bob)
    finish(alice, django_capture_on_commit_callbacks, answered=False)
    assert not Notification.objects.filter(user=bob).exists()
    assert smtp_server.messages == []


def test_a_mail_server_that_is_down_leaves_the_email_for_the_sweep(
    settings, alice, bob, closed_smtp_port, django_capture_on_commit_callbacks
):
    link = helpers.link(alice, bob)
    finish(alice, django_capture_on_commit_callbacks)  # the round is finished all the same
    assert Notification.objects.filter(user=bob).exists()
    link.refresh_from_db()
    assert link.round_email_sent_at is None
    assert notices.send_due_round_emails() == 0


def test_the_sweep_sends_what_the_mail_server_refused_before(
    alice, bob, smtp_server, django_capture_on_commit_callbacks
):
    link = helpers.link(alice, bob)
    # A round finished while the broker or the mail server was away: nothing was sent.
    with django_capture_on_commit_callbacks(execute=False):
        round_ = helpers.transcript(alice, follow_up=False).round
    assert notices.send_due_round_emails() == 1
    assert reverse("coaching:round", args=[round_.pk]) in smtp_server.bodies()[0]
    link.refresh_from_db()
    assert link.rounds_emailed_until == round_.finished_at


def test_rounds_from_before_the_coach_arrived_are_not_news(alice, bob, smtp_server):
    helpers.transcript(alice, follow_up=False, submitted_at=timezone.now() - timedelta(days=3))
    helpers.link(alice, bob)
    assert notices.send_due_round_emails() == 0


# The coach's switch


def test_a_coach_turns_the_emails_off_and_on(client, alice, bob, smtp_server):
    link = helpers.link(alice, bob)
    client.force_login(bob)
    page = client.get(reverse("coaching:candidates")).content.decode()
    assert "Turn emails off for alice" in page
    url = reverse("coaching:round_emails", args=[alice.pk])
    response = client.post(url, {"on": "false"}, follow=True)
    assert "No more emails about alice" in response.content.decode()
    link.refresh_from_db()
    assert not link.round_emails
    helpers.transcript(alice, follow_up=False)  # finished while the emails were off
    assert notices.send_due_round_emails() == 0

    client.post(url, {"on": "true"})
    link.refresh_from_db()
    assert link.round_emails
    assert notices.send_due_round_emails() == 0  # what finished meanwhile is not sent later
    assert smtp_server.messages == []


def test_the_switch_validates(client, alice, bob):
    link = helpers.link(alice, bob)
    client.force_login(bob)
    response = client.post(reverse("coaching:round_emails", args=[alice.pk]), {"on": "maybe"})
    assert response.status_code == 400 and "Choose whether" in response.content.decode()
    link.refresh_from_db()
    assert link.round_emails


def test_the_switch_denies_other_coaches_and_candidates(client, alice, bob, charlie):
    link = helpers.link(alice, bob)
    url = reverse("coaching:round_emails", args=[alice.pk])
    client.force_login(helpers.coach("eve"))
    assert client.post(url, {"on": "false"}).status_code == 404
    assert "alice" not in client.get(reverse("coaching:candidates")).content.decode()
    client.force_login(charlie)
    assert client.post(url, {"on": "false"}).status_code == 403
    link.refresh_from_db()
    assert link.round_emails
    revoked = CoachLink.objects.filter(pk=link.pk)
    revoked.update(revoked_at=timezone.now())
    client.force_login(bob)
    assert client.post(url, {"on": "false"}).status_code == 404


def test_the_candidates_page_in_a_fixed_number_of_queries(client, bob, django_assert_num_queries):
    for name in ("ann", "ben", "cat"):
        helpers.link(helpers.UserFactory(username=name, role="candidate"), bob)
    client.force_login(bob)
    with django_assert_num_queries(4):  # session, user, links with candidates, unread count
        response = client.get(reverse("coaching:candidates"))
    assert response.content.decode().count(">Turn emails off<") == 3
