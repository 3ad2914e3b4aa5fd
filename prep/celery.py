import os

import django
from celery import Celery
from celery.signals import task_postrun, task_prerun
from kombu import Connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")

app = Celery("prep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def set_up_django(**kwargs) -> None:
    """Set Django up when Celery first reads its configuration, unless that is done already.

    The worker sets Django up itself, and so does every Django process that sends tasks, but
    commands such as `celery -A prep call` do not: sending a task runs CELERY_TASK_ROUTES,
    whose router lives in feedback.tasks beside the models, and importing it failed with
    AppRegistryNotReady.
    """
    from django.apps import apps

    if not (apps.ready or apps.loading):
        django.setup()


_kombu_collect = Connection.collect


def _collect_and_forget_channel(self: Connection, socket_timeout: float | None = None) -> None:
    """kombu's Connection.collect(), which closes the connection's channel and detaches its
    transport, and then forgets that channel, so that closing the connection afterwards does
    not close the channel a second time.

    When the worker loses Redis, Celery 5.7.0 collects the connection and then also closes it
    (celery/celery#10242). With a task held unacknowledged (a retry waiting on its countdown,
    or a running task, as ours are acknowledged late), that second close of the channel tries
    to hand the task back to Redis through the detached transport, fails with
    AttributeError("'NoneType' object has no attribute 'hostname'"), and the worker exits.
    Once the channel is forgotten the second close does nothing, as before 5.7. The task stays
    in Redis's unacked set, which hands it out again after CELERY_VISIBILITY_TIMEOUT.
    tests/test_broker_outage.py stops and restarts Redis under such a task.
    """
    _kombu_collect(self, socket_timeout)
    self._default_channel = None


Connection.collect = _collect_and_forget_channel  # type: ignore[method-assign]


@task_prerun.connect
@task_postrun.connect
def release_database_connection(task=None, **kwargs) -> None:
    """Each task borrows a pooled connection and hands it back, as a web request does.

    Celery's own clean-up would close the whole pool after every task in prefork workers
    (celery/celery#10554), which CELERY_DB_REUSE_MAX turns off.
    """
    if task is not None and task.request.is_eager:
        return  # an eager task runs inside its caller's request and transaction
    from django.db import close_old_connections

    close_old_connections()
