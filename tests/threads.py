"""One call made from several threads at once, as two requests to the server would be."""

import threading
from collections.abc import Callable

from django.db import connections


def at_once[T](call: Callable[[], T], times: int = 2, timeout: float = 30) -> list[T]:
    """call() in `times` threads released together, each on its own database connection (closed
    after); their results, in the order they finished. A thread's exception is raised here: it
    would otherwise be lost with its thread."""
    start = threading.Barrier(times)
    results: list[T] = []
    errors: list[Exception] = []

    def run() -> None:
        try:
            start.wait(timeout)
            results.append(call())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results
