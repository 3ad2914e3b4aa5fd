"""Celery tasks for rounds: each calls one service and holds no business logic."""

from celery import shared_task

from rounds import services


@shared_task(ignore_result=True)
def close_expired_answers_task() -> int:
    """Submit the drafts of answers whose time ran out (the beat runs this every 15 s)."""
    return services.close_expired_answers()
