"""The deployment files: the Docker image and the compose stack."""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import yaml

from tests.servers import Server

ROOT = Path(__file__).resolve().parent.parent


def dockerfile_instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()[:1] not in "#"]


def test_the_image_installs_the_locked_dependencies_before_it_copies_the_source():
    steps = dockerfile_instructions()
    copies = [i for i, step in enumerate(steps) if step.startswith("COPY ")]
    install = next(i for i, step in enumerate(steps) if "pip install" in step)

    # Only the lock comes in before the install, so a source change reuses that layer.
    assert steps[copies[0]] == "COPY requirements.txt ./"
    assert copies[0] < install < copies[1]
    assert steps[copies[1]] == "COPY . ."
    assert "--require-hashes" in steps[install]
    assert "-r requirements.txt" in steps[install]


def test_the_image_leaves_local_secrets_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def app_services(config: dict) -> dict[str, dict]:
    """The services that run Prep's code (they share the x-app block)."""
    return {name: s for name, s in config["services"].items() if s.get("image") == "prep:latest"}


def test_compose_has_no_default_secret_key_and_fails_without_one():
    for name, service in app_services(compose()).items():
        secret = service["environment"]["SECRET_KEY"]
        # ${SECRET_KEY:?message}: compose stops with the message when it is unset or empty.
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", secret), (name, secret)


def test_compose_leaves_cookies_secure_unless_told_otherwise():
    for name, service in app_services(compose()).items():
        assert service["environment"]["SECURE_COOKIES"] == "${SECURE_COOKIES:-True}", name


def test_compose_loads_the_bank_only_into_an_empty_database():
    config = compose()
    commands = " ".join(str(s.get("command", "")) for s in config["services"].values())
    assert re.findall(r"import_bank(?: --[\w-]+)*", commands) == ["import_bank --if-empty"]


def test_compose_checks_the_web_process_on_healthz():
    web = compose()["services"]["web"]
    assert web["healthcheck"]["test"] == ["CMD", "python", "scripts/healthcheck.py"]


def test_compose_passes_the_production_settings_through():
    """Every variable of the README's production environment reaches the app containers."""
    check_deploy = runpy.run_path(str(ROOT / "scripts" / "check_deploy.py"))
    documented = set(check_deploy["production_environment"]())
    for name, service in app_services(compose()).items():
        assert documented <= set(service["environment"]), (
            name,
            documented - set(service["environment"]),
        )


def healthcheck(url: str, **env: str) -> int:
    command = [sys.executable, "scripts/healthcheck.py", url]
    return subprocess.run(command, cwd=ROOT, env=os.environ | env, timeout=30).returncode


def test_the_health_check_passes_with_production_hosts_and_https_and_fails_when_down(tmp_path):
    production = {
        "ALLOWED_HOSTS": "prep.example.com,www.prep.example.com",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "DATABASE_URL": "",  # /healthz reads no database
    }
    server = Server(tmp_path / "gunicorn.log", tmp_path / "static", **production)
    url = server.url("/healthz")
    try:
        assert server.status("/healthz") == 400  # Django refuses the host 127.0.0.1
        assert healthcheck(url, ALLOWED_HOSTS=production["ALLOWED_HOSTS"]) == 0
    finally:
        server.kill()
    assert healthcheck(url, ALLOWED_HOSTS=production["ALLOWED_HOSTS"]) == 1
