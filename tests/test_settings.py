import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

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
        ({"SECURE_SSL_REDIRECT": "yes"}, "SECURE_SSL_REDIRECT must be True or False"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
        ({"SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS must be 0 or more"),
        (
            {"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"},
            "SECURE_PROXY_SSL_HEADER must be a header name",
        ),
        (
            {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
            "EMAIL_HOST must be set for the SMTP backend",
        ),
        (
            {"EMAIL_HOST": "smtp.example.com", "EMAIL_USE_TLS": "True", "EMAIL_USE_SSL": "True"},
            "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be True",
        ),
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


PRINT_HTTPS_AND_MAIL = (
    "import prep.settings as s, json; print(json.dumps({"
    "'redirect': s.SECURE_SSL_REDIRECT, 'hsts': [s.SECURE_HSTS_SECONDS,"
    " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD],"
    " 'proxy': s.SECURE_PROXY_SSL_HEADER, 'mailers': s.MAILERS}))"
)


def test_https_and_mail_default_to_local_development():
    result = load_settings({}, PRINT_HTTPS_AND_MAIL)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "redirect": False,
        "hsts": [0, False, False],
        "proxy": None,
        "mailers": {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}},
    }


def test_https_and_smtp_settings_come_from_the_environment():
    env = {
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "3600",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "False",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_HOST_USER": "prep@example.com",
        "EMAIL_HOST_PASSWORD": "s3cret",
    }
    result = load_settings(env, PRINT_HTTPS_AND_MAIL)
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["redirect"] is True
    assert settings["hsts"] == [3600, True, False]
    assert settings["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["mailers"] == {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "smtp.example.com",
                "port": 587,
                "username": "prep@example.com",
                "password": "s3cret",
                "use_tls": True,
                "use_ssl": False,
                "timeout": 10,
            },
        }
    }


def test_smtp_over_tls_from_the_first_byte_defaults_to_port_465():
    env = {"EMAIL_HOST": "smtp.example.com", "EMAIL_USE_SSL": "True"}
    result = load_settings(env, PRINT_HTTPS_AND_MAIL)
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)["mailers"]["default"]["OPTIONS"]
    assert (options["port"], options["use_tls"], options["use_ssl"]) == (465, False, True)


def check_deploy(*without: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "scripts/check_deploy.py"]
    for name in without:
        command += ["--without", name]
    # Variables of this shell that would change the result are not the documented environment.
    stray = {"DEBUG": "True", "DJANGO_ALLOW_ASYNC_UNSAFE": "true", "EMAIL_BACKEND": "console"}
    return subprocess.run(
        command, cwd=ROOT, env=os.environ | stray, capture_output=True, text=True, timeout=120
    )


def test_the_documented_production_environment_passes_the_deployment_checks():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "check"),
    [
        ("SECURE_HSTS_SECONDS", "security.W004"),
        ("SECURE_SSL_REDIRECT", "security.W008"),
        ("EMAIL_HOST", "mail.E001"),
    ],
)
def test_the_deployment_checks_fail_without_each_production_setting(variable, check):
    result = check_deploy(variable)
    assert result.returncode != 0
    assert check in result.stderr


def test_every_variable_the_settings_read_is_listed_in_env_example():
    settings = (ROOT / "prep" / "settings.py").read_text()
    read = set(re.findall(r"(?:environ\.get|env\w+)\(\s*\"([A-Z][A-Z0-9_]*)\"", settings))
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M))
    assert read and read <= listed, f"not in .env.example: {sorted(read - listed)}"
