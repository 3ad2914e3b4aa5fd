"""Telling people by email: an invite a candidate sends to a coach, and the batched email a
coach gets when a candidate finishes rounds (at most one a day per candidate, unless the coach
turned them off). The in-app notification of a finished round goes out at once.

Each function does all it says or raises CoachingError having changed nothing.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachLink
from coaching.services import CoachingError, notify
from rounds.models import Answer, Round

logger = logging.getLogger(__name__)

# A candidate may email this many invites a day: enough for real use, too few for spam.
MAX_INVITE_EMAILS_A_DAY = 10
ROUND_EMAIL_EVERY = timedelta(days=1)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# Invites


@transaction.atomic
def email_invite(*, link: CoachLink, to: str, now: datetime | None = None) -> CoachLink:
    """Send the invite's link and code to `to`, and remember where it went."""
    now = now or timezone.now()
    to = (to or "").strip()
    try:
        validate_email(to)
    except ValidationError:
        raise CoachingError("Enter the coach's email address, such as coach@example.com.") from None
    link = CoachLink.objects.select_for_update().select_related("candidate").get(pk=link.pk)
    if not link.is_pending:
        raise CoachingError("This invite was accepted or withdrawn; create a new one.")
    sent_today = CoachLink.objects.filter(
        candidate=link.candidate, emailed_at__gte=now - timedelta(days=1)
    ).count()
    if sent_today >= MAX_INVITE_EMAILS_A_DAY:
        raise CoachingError(
            f"You have emailed {MAX_INVITE_EMAILS_A_DAY} invites today; send this one's link "
            "yourself, or try again tomorrow."
        )
    candidate = link.candidate.username
    body = render_to_string(
        "coaching/email/invite.txt",
        {"candidate": candidate, "url": absolute(link.get_invite_url()), "code": link.code},
    )
    try:
        send_mail(f"{candidate} invites you to coach them on Prep", body, None, [to])
    except OSError as exc:  # smtplib's errors are OSErrors
        logger.warning("could not email invite %s: %s", link.pk, exc)
        raise CoachingError(
            "The email could not be sent just now. Copy the link or the code and send it "
            "yourself, or try again later."
        ) from exc
    link.email, link.emailed_at = to, now
    link.save(update_fields=["email", "emailed_at"])
    return link


# Finished rounds


def _finished_rounds(link: CoachLink, since: datetime | None) -> list[Round]:
    """The candidate's rounds with a submitted answer that finished after `since`."""
    answered = Answer.objects.filter(round=OuterRef("pk"), submitted_at__isnull=False)
    rounds = Round.objects.filter(candidate_id=link.candidate_id, finished_at__isnull=False)
    if since is not None:
        rounds = rounds.filter(finished_at__gt=since)
    return list(rounds.filter(Exists(answered)).order_by("finished_at"))


def _emailed_until(link: CoachLink) -> datetime | None:
    """Rounds finished before this are not news to the coach."""
    marks = [m for m in (link.accepted_at, link.rounds_emailed_until) if m is not None]
    return max(marks) if marks else None


def announce_round(*, round_id: int) -> list[int]:
    """Tell each coach of the round's candidate, in the app, that it is finished; return the
    links whose coach also wants an email."""
    round_ = Round.objects.select_related("candidate").filter(pk=round_id).first()
    if round_ is None or not _finished_rounds_exist(round_):
        return []
    candidate = round_.candidate.username
    url = reverse("coaching:round", args=[round_.pk])
    links = list(
        CoachLink.objects.active().filter(candidate=round_.candidate).select_related("coach")
    )
    for link in links:
        notify(
            link.coach,
            f"{candidate} finished a round; its answers join your queue once scored.",
            url,
        )
    return [link.pk for link in links if link.round_emails]


def _finished_rounds_exist(round_: Round) -> bool:
    return round_.is_finished and round_.answers.filter(submitted_at__isnull=False).exists()


@transaction.atomic
def send_round_email(*, link_id: int, now: datetime | None = None) -> bool:
    """Email the coach about the candidate's rounds finished since the last such email, if
    there are any, the coach wants them, and the last one went out a day ago or more."""
    now = now or timezone.now()
    link = (
        CoachLink.objects.active()
        .select_for_update(of=("self",))
        .select_related("candidate", "coach")
        .filter(pk=link_id)
        .first()
    )
    if link is None or not link.round_emails or not link.coach or not link.coach.email:
        return False
    if link.round_email_sent_at and now - link.round_email_sent_at < ROUND_EMAIL_EVERY:
        return False  # the sweep sends it once the day is up
    rounds = _finished_rounds(link, _emailed_until(link))
    if not rounds:
        return False
    candidate = link.candidate.username
    count = len(rounds)
    subject = f"{candidate} finished {count} round{'s' if count > 1 else ''} on Prep"
    body = render_to_string(
        "coaching/email/rounds_finished.txt",
        {
            "coach": link.coach.username,
            "candidate": candidate,
            "rounds": [(r, absolute(reverse("coaching:round", args=[r.pk]))) for r in rounds],
            "queue_url": absolute(reverse("coaching:queue") + f"?candidate={link.candidate_id}"),
            "settings_url": absolute(reverse("coaching:candidates")),
        },
    )
    send_mail(subject, body, None, [link.coach.email])
    link.round_email_sent_at = now
    link.rounds_emailed_until = rounds[-1].finished_at
    link.save(update_fields=["round_email_sent_at", "rounds_emailed_until"])
    return True


def links_with_round_emails_due(now: datetime | None = None) -> list[int]:
    """Links whose coach wants round emails, has news, and has not had one for a day."""
    now = now or timezone.now()
    # Only links with news: a round with an answer, finished since the last email (or since
    # the coach arrived), so the sweep does not visit every link.
    since = Greatest(Coalesce("rounds_emailed_until", "accepted_at"), "accepted_at")
    news = Round.objects.filter(
        candidate_id=OuterRef("candidate_id"),
        finished_at__gt=OuterRef("news_since"),
        answers__submitted_at__isnull=False,
    )
    return list(
        CoachLink.objects.active()
        .filter(round_emails=True)
        .annotate(news_since=since)
        .filter(Exists(news))
        .filter(
            Q(round_email_sent_at__isnull=True)
            | Q(round_email_sent_at__lte=now - ROUND_EMAIL_EVERY)
        )
        .values_list("pk", flat=True)
    )


def send_due_round_emails(*, now: datetime | None = None) -> int:
    """The periodic sweep: send every round email whose day is up; how many went out."""
    sent = 0
    for link_id in links_with_round_emails_due(now):
        try:
            sent += send_round_email(link_id=link_id, now=now)
        except OSError as exc:  # the next sweep tries again
            logger.warning("could not send the round email of link %s: %s", link_id, exc)
    return sent


@transaction.atomic
def set_round_emails(*, link: CoachLink, on: bool, now: datetime | None = None) -> CoachLink:
    """The coach turns the candidate's round emails on or off; turned back on, rounds finished
    meanwhile are not emailed."""
    link = CoachLink.objects.select_for_update().get(pk=link.pk)
    if link.round_emails == on:
        return link
    link.round_emails = on
    if on:
        link.rounds_emailed_until = now or timezone.now()
    link.save(update_fields=["round_emails", "rounds_emailed_until"])
    return link
