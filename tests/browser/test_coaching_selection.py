"""A coach comments on any passage they select (with JavaScript) or on a highlighted one
(without it); either way the comment keeps the exact offsets of its quote."""

import pytest
from playwright.sync_api import expect

from coaching.models import ReviewComment
from tests.browser.pages import sign_in
from tests.coaching_helpers import MAIN_TEXT, link, transcript

pytestmark = pytest.mark.browser


@pytest.fixture
def scoring():
    """No worker: the transcripts here are stored already scored (tests/coaching_helpers.py)."""
    return None


SELECT = """([start, end]) => {
  // Select [start, end) of the answer's raw text, across its runs, as a mouse would.
  const runs = [...document.querySelectorAll(".answer-text[data-answer] [data-start]")]
    .filter((run) => run.closest(".answer-text") === document.querySelector(".answer-text"));
  const at = (offset) => {
    const run = runs.find((r) => +r.dataset.start <= offset && offset <= +r.dataset.end);
    return [run.firstChild, offset - +run.dataset.start];
  };
  const range = document.createRange();
  range.setStart(...at(start));
  range.setEnd(...at(end));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}"""


def test_a_coach_comments_on_a_free_selection(new_context, alice, bob):
    link(alice, bob)
    main = transcript(alice)
    quote = "with a big PR push. Success is views"  # runs into a highlighted passage
    start = MAIN_TEXT.index(quote)
    page = new_context().new_page()
    sign_in(page, "bob")
    page.goto(f"/coach/transcripts/{main.pk}/")

    page.evaluate(SELECT, [start, start + len(quote)])
    expect(page.locator("#passage-quote")).to_have_text(quote)
    page.get_by_label("Comment", exact=True).fill("Which market first?")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Comment added.")).to_be_visible()

    comment = ReviewComment.objects.get()
    assert (comment.start, comment.end, comment.quote) == (start, start + len(quote), quote)


def test_without_javascript_the_highlighted_passage_link_works(new_context, alice, bob):
    link(alice, bob)
    main = transcript(alice)
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "bob")
    page.goto(f"/coach/transcripts/{main.pk}/")

    page.get_by_role("link", name="Comment on this passage: views and likes").click()
    expect(page.locator("#passage-quote")).to_have_text("views and likes")
    page.get_by_label("Comment", exact=True).fill("Which behaviour changes?")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Comment added.")).to_be_visible()

    comment = ReviewComment.objects.get()
    assert comment.quote == "views and likes"
    assert MAIN_TEXT[comment.start : comment.end] == "views and likes"
