"""Requests after a database blip: PostgreSQL ends the app's connections under it (a failover,
a restart, an idle-connection reaper), and the connection pool must not hand out dead ones."""

import pytest
from django.db import connection

from tests.factories import QuestionFactory
from tests.servers import Server
from tests.workers import need_postgres_test_database

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

APP_NAME = "prep-blip-test"  # the server's connections carry it (libpq reads PGAPPNAME)


def terminate_server_connections() -> int:
    """End the server's PostgreSQL connections, and only those of this test database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s"
            " AND pid <> pg_backend_pid()",
            [APP_NAME],
        )
        return cursor.fetchone()[0]


def test_the_first_requests_after_a_database_blip_succeed(tmp_path, postgres_url, static_root):
    need_postgres_test_database()
    QuestionFactory()  # the page reads the bank
    # Two threads and a pool of two to four connections, as production runs each process.
    server = Server(
        tmp_path / "gunicorn.log",
        static_root,
        threads=2,
        PGAPPNAME=APP_NAME,
        DATABASE_POOL_MIN="2",
        DATABASE_POOL_MAX="4",
    )
    try:
        assert [server.status("/questions/") for _ in range(3)] == [200, 200, 200]

        assert terminate_server_connections() >= 1

        statuses = [server.status("/questions/") for _ in range(6)]
    finally:
        server.kill()
    assert statuses == [200] * 6, server.log.read_text()[-3000:]
