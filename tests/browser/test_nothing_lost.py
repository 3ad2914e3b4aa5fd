"""Autosave and submit when the server fails, the session ends or the page reloads: the page
says what happened, keeps the text in the browser, tries again, and loses no word."""

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from rounds import services
from tests.browser.pages import (
    DRAFT,
    REST,
    load_bank,
    shown_answer,
    sign_in,
    sign_out,
    start_clock,
)
from tests.factories import UserFactory
from tests.workers import wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def scoring():
    """No worker: these tests wait on saves and submits, never on feedback."""
    return None


@pytest.fixture
def answer_page(new_context) -> tuple[BrowserContext, Page]:
    """dana signed in on her first question of a round, nothing typed yet."""
    load_bank()
    dana = UserFactory(username="dana", role="candidate")
    round_ = services.start_round(candidate=dana, kinds=["gtm"], count=1)
    context = new_context()
    page = context.new_page()
    sign_in(page, "dana")
    page.goto(round_.get_absolute_url())
    start_clock(page)
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    return context, page


class Failing:
    """A route handler that answers `status` until `stop()`, then lets requests by. Every retry
    fails until then, so the page's error stays up until the test has seen it: with the test
    settings' 200 ms retry, an error that lasts for one failure can come and go between two of
    Playwright's polls on a loaded machine."""

    def __init__(self, status: int = 500) -> None:
        self.status, self.failing, self.calls = status, True, 0

    def __call__(self, route: Route) -> None:
        self.calls += 1
        if self.failing:
            route.fulfill(status=self.status, body="Server Error")
        else:
            route.continue_()

    def stop(self) -> None:
        self.failing = False


def test_a_failed_autosave_is_shown_and_retried_until_it_lands(answer_page, shoot):
    _, page = answer_page
    server = Failing()
    page.route("**/draft/", server)

    page.get_by_label("Your answer").fill(DRAFT)

    expect(page.get_by_role("alert")).to_contain_text("Not saved: the server had a problem (500)")
    shoot(page, "autosave-failed")
    assert shown_answer(page).draft == ""
    server.stop()
    expect(page.get_by_text("Saved at")).to_be_visible(timeout=15_000)  # a retry landed
    assert shown_answer(page).draft == DRAFT and server.calls >= 2


def test_signed_out_autosave_says_so_and_saves_once_signed_in_again(answer_page, shoot):
    context, page = answer_page
    other = context.new_page()  # another tab of the same browser signs out
    other.goto("/")
    sign_out(other)

    page.get_by_label("Your answer").fill(DRAFT)

    expect(page.get_by_role("alert")).to_contain_text("you are signed out")
    expect(page.locator("#answer-form input[name=password]")).to_have_count(0)
    shoot(page, "autosave-signed-out")
    sign_in(other, "dana")  # which also changes the CSRF token the page started with
    expect(page.get_by_text("Saved at")).to_be_visible(timeout=20_000)
    assert shown_answer(page).draft == DRAFT
    # The old page's Submit still goes through with the new session's token.
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="The interviewer asks")).to_be_visible()


def test_a_reload_brings_back_what_the_server_never_got(answer_page, shoot):
    _, page = answer_page
    page.route("**/draft/", lambda route: route.fulfill(status=503, body="Unavailable"))
    page.get_by_label("Your answer").fill(DRAFT)
    expect(page.get_by_role("alert")).to_contain_text("Not saved")

    page.reload()

    expect(page.get_by_label("Your answer")).to_have_value(DRAFT)
    expect(page.get_by_text("This browser kept words you typed")).to_be_visible()
    shoot(page, "draft-restored")
    page.unroute("**/draft/")
    expect(page.get_by_text("Saved at")).to_be_visible(timeout=20_000)
    assert shown_answer(page).draft == DRAFT


def test_words_typed_before_the_script_arrives_are_saved(answer_page):
    """On a slow connection the page can be typed in before round.js runs: no input event
    reaches the script, so it saves what the box holds as soon as it starts."""
    _, page = answer_page
    held: list[Route] = []
    page.route("**/js/round*.js", lambda route: held.append(route))
    page.reload(wait_until="commit")  # deferred scripts hold back DOMContentLoaded
    page.get_by_label("Your answer").fill(DRAFT)
    assert len(held) == 1 and page.get_by_text("Not saved yet").is_visible()

    held[0].continue_()

    expect(page.get_by_text("Saved at")).to_be_visible()
    assert shown_answer(page).draft == DRAFT


def test_an_older_save_landing_late_does_not_roll_the_draft_back(answer_page):
    _, page = answer_page
    box = page.get_by_label("Your answer")
    box.fill(DRAFT)
    expect(page.get_by_text("Saved at")).to_be_visible()
    box.fill(DRAFT + REST)
    page.get_by_role("button", name="Save draft").click()
    # "Saved at" is still up from the first save: wait for the second to land.
    answer = wait_for(
        lambda: (a := shown_answer(page)).draft == DRAFT + REST and a, 10, "the second save"
    )

    # A save of the first text, as the page numbered it, arrives after the second.
    older = page.evaluate(
        """async (url) => {
            const data = new FormData(document.getElementById("answer-form"));
            data.set("text", "stale"); data.set("sequence", "1");
            return (await fetch(url, {method: "POST", body: data})).status;
        }""",
        page.locator("#answer-text").get_attribute("data-draft-url"),
    )

    assert older == 200
    answer.refresh_from_db()
    assert answer.draft == DRAFT + REST


def test_a_failed_submit_is_shown_and_sent_again(answer_page, shoot):
    _, page = answer_page
    server = Failing()
    page.route("**/submit/", server)
    page.get_by_label("Your answer").fill(DRAFT + REST)

    page.get_by_role("button", name="Submit answer").click()

    expect(page.get_by_role("alert")).to_contain_text("Not submitted: the server had a problem")
    shoot(page, "submit-failed")
    server.stop()
    expect(page.get_by_role("heading", name="The interviewer asks")).to_be_visible(timeout=15_000)
    main = shown_answer(page).follow_up_of
    assert main.text == DRAFT + REST and not main.is_late
