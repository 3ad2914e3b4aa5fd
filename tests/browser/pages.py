"""Steps shared by the browser tests, written the way a person uses the pages."""

import re

from django.core.management import call_command
from playwright.sync_api import Page, expect

from rounds.models import Answer
from tests.factories import PASSWORD
from tests.workers import ROOT

BANK = [
    ROOT / "fixtures" / name
    for name in ("failure_modes.json", "rubrics.json", "tags.json", "questions/gtm.json")
]
# Part of an answer, then the rest: the heuristic scorer marks "launch in every market at once"
# as scaling too early and "page views", "likes" and "app downloads" as vanity metrics.
DRAFT = "I would start with creators who already post daily, because they feel the pain most."
REST = (
    " We launch in every market at once with a big PR push, and we measure success by page "
    "views, likes and app downloads in the first week."
)
FOLLOW_UP = "The biggest risk is trust: I would watch reports of misleading videos every day."


def load_bank() -> None:
    """Failure modes, rubrics, tags and the go-to-market questions of the shipped bank."""
    call_command("import_bank", *BANK, verbosity=0)


def sign_up(page: Page, shoot, username: str, *, go: bool = True) -> None:
    """Sign up as a candidate; with go=False, on the sign-up page the test already opened."""
    if go:
        page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("I am practising").check()
    shoot(page, "signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def sign_in(page: Page, username: str) -> None:
    """Sign in a user made by tests.factories (they all share its password)."""
    page.goto("/accounts/login/")
    page.get_by_label("Username:").fill(username)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # On a phone the name sits in the folded menu: in the page, not necessarily on screen.
    expect(page.get_by_text(f"Signed in as {username}")).to_be_attached()


def start_round(page: Page, shoot, *, questions: int) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mock rounds").click()
    page.get_by_role("link", name="Start a round").click()
    page.get_by_label("Go-to-market").check()
    page.get_by_label("Number of questions").fill(str(questions))
    shoot(page, "round-start")
    page.get_by_role("button", name="Start the round").click()
    shoot(page, "ready")
    start_clock(page)
    expect(page.get_by_text(f"Question 1 of {questions}")).to_be_visible()


def start_clock(page: Page) -> None:
    """On the ready screen, before any clock runs: start it."""
    expect(page.get_by_role("heading", name="Ready when you are")).to_be_visible()
    page.get_by_role("button", name="Start the clock").click()


def sign_out(page: Page) -> None:
    """The account menu in the header holds "Sign out"."""
    page.get_by_text("Signed in as").click()
    page.get_by_role("button", name="Sign out").click()


def shown_answer(page: Page) -> Answer:
    """The answer the page shows, from its URL /rounds/<round>/answers/<answer>/."""
    return Answer.objects.get(pk=int(re.search(r"/answers/(\d+)/", page.url)[1]))


def answer_and_follow_up(page: Page, text: str, follow_up: str = FOLLOW_UP) -> None:
    """Answer the open question and its follow-up; the page then shows the question's
    feedback once it is scored."""
    page.get_by_label("Your answer").fill(text)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="The interviewer asks")).to_be_visible()
    page.get_by_label("Your answer").fill(follow_up)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_text("out of 5").first).to_be_visible(timeout=30_000)
