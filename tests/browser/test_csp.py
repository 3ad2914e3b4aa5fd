"""Every kind of page, loaded in Chromium under the Content-Security-Policy, breaks none of it:
no script, style or request of the site's is refused, and htmx still sends the CSRF token."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from feedback.models import Feedback
from rounds import services
from tests.browser.pages import DRAFT, REST, load_bank, sign_in
from tests.workers import wait_for

pytestmark = pytest.mark.browser

# Collects the policy's refusals before any of the page's own scripts run.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.cspViolations.push(`${e.effectiveDirective} ${e.blockedURI} ${where}`);
});
"""


def scored_round(candidate, scoring):
    """A finished one-question round whose answer has its feedback."""
    round_ = services.start_round(candidate=candidate, kinds=["gtm"], count=1)
    answer = services.open_answer(answer=round_.answers.get())
    services.submit_answer(answer=answer, text=DRAFT + REST)
    wait_for(lambda: Feedback.objects.filter(answer=answer).exists(), 30, "feedback", scoring)
    return round_, answer


def test_no_page_breaks_the_content_security_policy(new_context, shoot, alice, admin_user, scoring):
    load_bank()
    round_, answer = scored_round(alice, scoring)
    open_round = services.start_round(candidate=alice, kinds=["gtm"], count=1)
    open_answer = open_round.answers.get()
    pages = {
        "alice": [
            reverse("questions:bank"),
            reverse("questions:detail", args=[answer.question.slug]),
            reverse("practice:list"),
            reverse("practice:new"),
            reverse("practice:answer", args=[open_round.pk, open_answer.pk]),
            reverse("practice:feedback", args=[round_.pk, answer.pk]),
            reverse("practice:summary", args=[round_.pk]),
            reverse("coaching:my_coaches"),
        ],
        "ada": [
            reverse("coaching:queue"),
            reverse("coaching:transcript", args=[answer.pk]),
            reverse("coaching:agreement"),
            reverse("admin:questions_question_change", args=[answer.question.pk]),
            reverse("admin:questions_question_preview", args=[answer.question.pk]),
        ],
    }
    anonymous = [reverse("accounts:login"), reverse("accounts:signup")]
    for username, paths in [(None, anonymous), *pages.items()]:
        context = new_context()
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        if username:
            sign_in(page, username)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            assert "default-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.cspViolations") == [], path
            if "feedback" in path or "summary" in path or "transcripts" in path:
                shoot(page, path.strip("/").replace("/", "-"))  # the score and time bars


def test_htmx_requests_carry_the_csrf_token(page, alice):
    load_bank()
    sign_in(page, "alice")
    page.goto(reverse("questions:bank"))
    page.get_by_label("Search", exact=True).fill("launch")
    with page.expect_request(lambda r: "q=launch" in r.url) as request:
        page.get_by_role("button", name="Filter").click()
    assert request.value.headers.get("hx-request") == "true"
    # The session's current token, from the cookie (it changes when the user signs in again).
    cookie = {c["name"]: c["value"] for c in page.context.cookies()}["csrftoken"]
    assert request.value.headers.get("x-csrftoken") == cookie
    expect(page).to_have_url(re.compile(r"q=launch"))
