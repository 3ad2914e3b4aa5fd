"""A draft saved through autosave survives killing and restarting the real server process."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from rounds.models import Answer
from tests.rounds_helpers import make_question, opened, start
from tests.servers import Server
from tests.workers import need_postgres_test_database


class Browser:
    """Just enough of a browser: cookies, and the CSRF token as htmx would send it."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def get(self, path: str) -> str:
        return self.open(urllib.request.Request(self.base + path))

    def open(self, request: urllib.request.Request) -> str:
        try:
            return self.opener.open(request, timeout=10).read().decode()
        except urllib.error.HTTPError as exc:
            pytest.fail(f"{request.full_url} answered {exc.code}: {exc.read().decode()[:2000]}")

    def post(self, path: str, data: dict, headers: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        request.add_header("Referer", self.base + path)
        return self.open(request)

    def log_in(self, username: str, password: str) -> None:
        self.get(reverse("accounts:login"))
        self.post(
            reverse("accounts:login"),
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookie("csrftoken"),
            },
        )


@pytest.mark.django_db(transaction=True)
def test_an_autosaved_draft_survives_killing_the_server(alice, tmp_path, postgres_url, static_root):
    need_postgres_test_database()
    # The server runs the production hashers, not the tests' fast MD5 one.
    hasher = PBKDF2PasswordHasher()
    alice.password = hasher.encode("correct-horse-battery", hasher.salt(), iterations=1000)
    alice.save()
    round_ = start(alice, [make_question("gtm", slug="restart")])
    answer = opened(round_)
    answer_url = reverse("practice:answer", args=[round_.pk, answer.pk])
    draft_url = reverse("practice:draft", args=[round_.pk, answer.pk])

    server = Server(tmp_path / "gunicorn.log", static_root)
    try:
        browser = Browser(server.url(""))
        browser.log_in("alice", "correct-horse-battery")
        assert "textarea" in browser.get(answer_url)
        saved = browser.post(
            draft_url,
            {"text": "Segment first: a one-market beta, then decide."},
            {"HX-Request": "true", "X-CSRFToken": browser.cookie("csrftoken")},
        )
        assert re.search(r"Saved", saved)
    finally:
        server.kill()  # SIGKILL: no shutdown hooks, nothing flushed on the way out

    server = Server(tmp_path / "gunicorn.log", static_root, port=server.port)
    try:
        page = browser.get(answer_url)
    finally:
        server.kill()
    assert "Segment first: a one-market beta, then decide.</textarea>" in page
    assert (
        Answer.objects.get(pk=answer.pk).draft == "Segment first: a one-market beta, then decide."
    )
