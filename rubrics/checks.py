from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from rubrics.models import FailureMode, validate_costs
from scoring.heuristic.signals import signal_problems


@register(Tags.database)
def failure_mode_signals(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    """Every stored failure mode's signals can be compiled and its costs name known aspects
    (run by migrate and `check --database default`, as database checks are)."""
    if not databases:
        return []
    errors: list[CheckMessage] = []
    for alias in databases:
        try:
            rows = list(FailureMode.objects.using(alias).values_list("key", "signals", "costs"))
        except DatabaseError:  # not migrated yet
            continue
        for key, signals, costs in rows:
            problems = signal_problems(signals)
            try:
                validate_costs(costs)
            except ValidationError as error:
                problems += error.messages
            for problem in problems:
                errors.append(
                    Error(
                        f"failure mode {key!r}: {problem}",
                        hint="Fix it in the admin or fixtures/failure_modes.json.",
                        obj=f"rubrics.FailureMode {key}",
                        id="rubrics.E001",
                    )
                )
    return errors
