import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")

app = Celery("prep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
