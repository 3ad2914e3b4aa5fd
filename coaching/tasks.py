"""Celery tasks for coaching: each takes ids and calls one service (coaching/notices.py)."""

import logging
from typing import Any

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from coaching import notices
from rounds.models import Round

logger = logging.getLogger(__name__)

RETRY_AFTER = 600


@shared_task(ignore_result=True)
def round_finished_task(round_id: int) -> None:
    """Tell the coaches in the app, and queue the emails of those who want them."""
    for link_id in notices.announce_round(round_id=round_id):
        round_email_task.delay(link_id)


@shared_task(bind=True, ignore_result=True, max_retries=5)
def round_email_task(self, link_id: int) -> None:
    try:
        notices.send_round_email(link_id=link_id)
    except OSError as exc:  # SMTP refused or unreachable; smtplib's errors are OSErrors
        raise self.retry(exc=exc, countdown=RETRY_AFTER) from exc


@shared_task(ignore_result=True)
def send_due_round_emails_task() -> int:
    """The beat's sweep: emails held back by the one-a-day rule, or whose task was lost."""
    return notices.send_due_round_emails()


def enqueue_round_finished(round_id: int) -> None:
    try:
        round_finished_task.delay(round_id)
    except (OperationalError, OSError) as exc:  # the emails still go out with the sweep
        logger.warning("could not queue the coaches' notice of round %s: %s", round_id, exc)


def on_round_finished(sender: type, *, round: Round, **kwargs: Any) -> None:
    """The receiver of rounds.signals.round_finished (connected in CoachingConfig.ready)."""
    round_id = round.pk
    # robust: whatever goes wrong telling the coaches, the round stays finished.
    transaction.on_commit(lambda: enqueue_round_finished(round_id), robust=True)
