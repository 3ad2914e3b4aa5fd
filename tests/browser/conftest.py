"""Playwright fixtures: Debian's Chromium against pytest-django's live server.

One browser for the session, a fresh context (cookies, storage) per test. Screenshots go to
artifacts/screenshots/<test>-<step>.png, and every open page is shot when a test fails.

Scoring runs as in production: on PostgreSQL with Redis, a real Celery worker subprocess
reads the live server's test database. Locally on SQLite the worker cannot share the in-memory
database, so tasks run eagerly inside the live server; in CI that fails instead.
"""

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.db import connection
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.conftest import IN_CI, service_redis_url
from tests.scoring_helpers import broker
from tests.workers import LOCAL_REDIS_DB, Worker, one_at_a_time, own_redis_db, worker_env

# Playwright's sync API keeps an event loop in the main thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# Every wait is bounded: actions, navigations and expect() assertions.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=30_000
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(
    browser: Browser, live_server, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BrowserContext]]:
    """new_context(**options) opens a context on the live server (e.g. a second user, or
    java_script_enabled=False); all are closed after the test, shot first if it failed."""
    contexts: list[BrowserContext] = []

    def new(**options) -> BrowserContext:
        options = {
            "base_url": live_server.url,
            "viewport": {"width": 1280, "height": 900},
        } | options
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield new
    failed = getattr(request.node, "browser_call_failed", True)
    for i, context in enumerate(contexts):
        for j, page in enumerate(context.pages):
            if failed and not page.is_closed():
                page.screenshot(path=screenshot_path(request.node.name, f"failure-{i}-{j}"))
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


def screenshot_path(test_name: str, step: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', test_name)}-{step}.png"


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """shoot(page, "step") saves a screenshot of the whole page (of the viewport with
    full_page=False) as an artifact and returns its path."""

    def save(page: Page, step: str, *, full_page: bool = True) -> Path:
        path = screenshot_path(request.node.name, step)
        page.screenshot(path=path, full_page=full_page)
        return path

    return save


@pytest.fixture(autouse=True)
def one_request_at_a_time_on_sqlite(live_server) -> None:
    """On in-memory SQLite the live server's threads share the test's one connection, and two
    requests at once (an autosave racing a submit) fail with "database table is locked":
    serve them one at a time there. PostgreSQL gives each thread its own connection."""
    httpd = live_server.thread.httpd
    if connection.vendor != "sqlite" or getattr(httpd, "serialized", False):
        return
    app, lock = httpd.get_app(), threading.Lock()

    def serialized(environ, start_response):
        with lock:
            return app(environ, start_response)

    httpd.set_app(serialized)
    httpd.serialized = True


@pytest.fixture(scope="session")
def session_worker(
    django_db_setup, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Worker, str] | None]:
    """One Celery worker for all of this process's browser tests, on a Redis db of its own
    (8 above the one the fault tests' workers use), so a worker starts once, not per test."""
    if connection.vendor != "postgresql":
        yield None
        return
    base = None if os.environ.get("REDIS_URL") else LOCAL_REDIS_DB
    url = own_redis_db(service_redis_url(), base, offset=8)
    with one_at_a_time(url), django_db_blocker.unblock():
        redis.Redis.from_url(url).flushdb()
        worker = Worker(tmp_path_factory.mktemp("worker") / "browser.log", worker_env(url))
        try:
            worker.wait_for_log(" ready.")
            yield worker, url
        finally:
            worker.kill()
            # Its connections would otherwise outlive it for a moment and block dropping the
            # test database at the end of the run.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def scoring(session_worker: tuple[Worker, str] | None, live_server) -> Iterator[Worker | None]:
    """The worker that scores this test's answers, or None when tasks run eagerly."""
    if session_worker is None:
        if IN_CI:
            pytest.fail("browser tests in CI need DATABASE_URL on PostgreSQL and REDIS_URL")
        yield None
        return
    worker, url = session_worker
    if worker.process.poll() is not None:
        pytest.fail(f"the browser tests' worker died:\n{worker.log[-3000:]}")
    with broker(url):
        yield worker


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What a person using a screen reader or a keyboard is blocked by; "moderate" and "minor" are
# reported but do not fail a test.
AXE_BLOCKING = {"critical", "serious"}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: npm ci (make install) installs axe-core"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    return AXE.read_text()


@pytest.fixture
def check_a11y(axe_source: str) -> Callable[[Page], list[dict]]:
    """check_a11y(page) runs axe-core on the page as it is now and fails the test on any
    critical or serious violation, naming the rule and the elements; returns the rest.
    The script goes in through the DevTools protocol, so the site's CSP is not loosened."""

    def check(page: Page) -> list[dict]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(f"() => {{ {axe_source}\n }}")
        violations = page.evaluate(
            "async () => (await window.axe.run(document, {resultTypes: ['violations']}))"
            ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
        blocking = [v for v in violations if v["impact"] in AXE_BLOCKING]
        assert not blocking, f"axe-core on {page.url}:\n" + "\n".join(
            f"  {v['impact']} {v['id']}: {v['help']} at {', '.join(v['nodes'][:5])}"
            for v in blocking
        )
        return violations

    return check
