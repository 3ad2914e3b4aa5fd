"""The Content-Security-Policy (Django's own, SECURE_CSP): on every response, and nothing in
the templates that it would refuse. tests/browser/test_csp.py loads the pages in Chromium."""

import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# What a policy without 'unsafe-inline' or 'unsafe-eval' refuses, written into a template.
INLINE = {
    "a style attribute": r"\sstyle\s*=",
    "a <style> element": r"<style[\s>]",
    "a <script> without src": r"<script(?![^>]*\ssrc=)[^>]*>",
    "an event handler attribute": r"\son[a-z]+\s*=\s*[\"']",
    "a javascript: URL": r"javascript:",
    "htmx's eval'd attributes": r"\shx-(?:on|vars)[:=-]",
}


def test_pages_carry_the_content_security_policy(client, db):
    response = client.get("/questions/")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == POLICY


@pytest.mark.parametrize("what", INLINE)
def test_no_template_has_inline_script_or_style(what):
    offenders = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for text in [path.read_text()]
        for m in re.finditer(INLINE[what], text)
    ]
    assert offenders == [], f"{what} in {offenders}"


def test_htmx_sends_the_csrf_token_from_a_static_script(alice):
    """The token the page gives csrf.js is the one Django accepts in the X-CSRFToken header."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    page = browser.get("/questions/").content.decode()
    assert "hx-headers" not in page
    token = re.search(r'<script src="[^"]*/js/csrf\.js" data-csrf-token="([^"]+)" defer>', page)[1]

    refused = Client(enforce_csrf_checks=True)
    refused.force_login(alice)
    assert refused.post("/accounts/logout/").status_code == 403
    signed_out = browser.post("/accounts/logout/", headers={"X-CSRFToken": token})
    assert signed_out.status_code == 302
