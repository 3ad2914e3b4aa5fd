import os
import socket
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from tests.factories import UserFactory
from tests.rounds_helpers import T0
from tests.scoring_helpers import install_test_scorers

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Fixtures for tests that start a real Celery worker (start_worker, broker_url), and a real
# SMTP server on 127.0.0.1 (smtp_server, closed_smtp_port), and the production static files
# for tests that start gunicorn (static_root).
pytest_plugins = ["tests.workers", "tests.mailserver", "tests.servers"]


def need_service(name: str, url: str) -> None:
    """Skip locally, but fail in CI, when a service a test needs cannot be reached."""
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port), timeout=2).close()
    except OSError as exc:
        message = f"{name} is not reachable at {parsed.hostname}:{parsed.port}: {exc}"
        if IN_CI or os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)


def _starts_slowly(item: pytest.Item) -> bool:
    """Tests that start processes (a browser, a worker, a server, a database) or commit for
    real: most of their time is waiting, so they go first and overlap with the quick ones."""
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("browser")
        or fixtures & {"live_server", "start_worker", "transactional_db"}
        or (marker and marker.kwargs.get("transaction"))
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # pytest-xdist hands out tests in this order: the long ones first keep the tail short.
    items.sort(key=lambda item: not _starts_slowly(item))


def service_redis_url() -> str:
    """REDIS_URL, or the local default; skips (fails in CI) when Redis is not there."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    need_service("Redis", url)
    return url


@pytest.fixture
def redis_url() -> str:
    return service_redis_url()


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/prep"
    need_service("PostgreSQL", url)
    return url


@pytest.fixture(autouse=True)
def _block_outbound_network(monkeypatch):
    """Tests may talk to loopback (fake servers, PostgreSQL, Redis) and nothing else."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host in ("localhost", "::1") or host.startswith("127.") or sock.family == socket.AF_UNIX
        ):
            raise OSError(f"tests may not reach {host}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def alice(db):
    """A candidate: the owner in most tests."""
    return UserFactory(username="alice", role="candidate")


@pytest.fixture
def bob(db):
    """A coach: the collaborator."""
    return UserFactory(username="bob", role="coach")


@pytest.fixture
def charlie(db):
    """Another candidate: the outsider who must see nothing of alice's."""
    return UserFactory(username="charlie", role="candidate")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", role="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def fixed_scorers(monkeypatch, settings):
    """Score with the fixed test scorer (tests/scoring_helpers.py), the follow-up's quick pass
    included: it finds a failure mode wherever the answer names its key."""
    from rounds import probes

    install_test_scorers(monkeypatch)
    settings.SCORER = "fixed"
    monkeypatch.setattr(probes, "QUICK_SCORER", "fixed")


@pytest.fixture
def clock(time_machine):
    """Time stands still at T0 until the test shifts it."""
    time_machine.move_to(T0, tick=False)
    return time_machine


GTM_BANK = (
    "fixtures/failure_modes.json",
    "fixtures/rubrics.json",
    "fixtures/tags.json",
    "fixtures/questions/gtm.json",
)


@pytest.fixture(scope="module")
def _gtm_bank_for_module(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The bank loaded once per test module, inside a transaction that each test's own
    transaction nests in (as Django's TestCase.setUpTestData does) and that is rolled back
    when the module is done. Only for modules without transactional tests."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("loaddata", *GTM_BANK, verbosity=0)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def gtm_bank(_gtm_bank_for_module, db, settings):
    """The shipped failure modes, rubrics, tags and go-to-market questions, scored by the
    heuristic scorer (loaded once per module; each test's changes are rolled back)."""
    settings.SCORER = "heuristic"
