import os
import subprocess
import sys

import pytest

PRINT_DB = (
    "import prep.settings as s, json; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'],"
    " 'pool': 'pool' in s.DATABASES['default'].get('OPTIONS', {}),"
    " 'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL}))"
)


def load_settings(env: dict[str, str], code: str = PRINT_DB) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    clean.pop("SECRET_KEY", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )


def test_the_embedded_default_is_sqlite_with_eager_tasks():
    result = load_settings({"DEBUG": "True"})
    assert result.returncode == 0, result.stderr
    assert '"engine": "django.db.backends.sqlite3"' in result.stdout
    assert '"eager": true' in result.stdout


def test_a_postgres_url_uses_psycopg_with_a_connection_pool_and_redis_a_real_broker():
    result = load_settings(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/prep",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert result.returncode == 0, result.stderr
    assert '"engine": "django.db.backends.postgresql"' in result.stdout
    assert '"pool": true' in result.stdout
    assert '"eager": false' in result.stdout
    assert '"broker": "redis://127.0.0.1:6379/0"' in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "False", "ALLOWED_HOSTS": "example.com"}, "SECRET_KEY must be set"),
        ({"DEBUG": "False", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "maybe"}, "DEBUG must be True or False"),
        ({"DATABASE_URL": "mysql://root@localhost/prep"}, "DATABASE_URL must be"),
        ({"SCORER": "magic"}, "SCORER must be auto, heuristic or llm"),
    ],
)
def test_bad_configuration_is_refused_loudly_at_start_up(env, message):
    result = load_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_load_with_a_secret_and_hosts():
    result = load_settings(
        {"DEBUG": "False", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "prep.example.com"}
    )
    assert result.returncode == 0, result.stderr
