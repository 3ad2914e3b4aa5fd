"""Practising chosen questions, retrying one, comparing attempts and fix-it drills: views.

Scored by the shipped heuristic scorer on the shipped go-to-market bank (`gtm_bank`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attempts.models import Drill
from coaching import services as coaching_services
from feedback import services as feedback_services
from feedback.models import Feedback
from questions.models import Question
from rounds import services
from rounds.models import Answer, Round
from tests.coaching_helpers import link
from tests.scoring_helpers import SHOP_MARKET_ANSWER

pytestmark = pytest.mark.usefixtures("gtm_bank")

SLUG = "creator-subscriptions-launch-germany-france"
OTHER = "live-shopping-uk-small-sellers"
OPENING = (
    "The users are independent creators in Germany and France who already have loyal fans "
    "and want recurring income."
)
CLOSING = (
    " Success is the share of subscribers who renew after the first month, and we stop if "
    "renewal is under 40%. My recommendation is to launch."
)
FLAGGED = " We launch creator subscriptions in every market at once with a big PR push."
STAGED = (
    " We launch creator subscriptions to 500 mid-size creators in Germany only for six weeks, "
    "and expand to France only if renewal holds."
)
FIRST = OPENING + FLAGGED + CLOSING
RETRY = OPENING + STAGED + CLOSING
HTMX = {"HX-Request": "true"}
SCALING = "Scaling before the value is validated"  # premature_scaling's title


def answered(candidate, text: str, slug: str = SLUG) -> Answer:
    """A practice round of one question, answered and scored."""
    round_ = services.start_practice(
        candidate=candidate, questions=[Question.objects.get(slug=slug)]
    )
    answer = services.open_answer(answer=round_.answers.get())
    services.submit_answer(answer=answer, text=text)
    feedback_services.score_answer(answer.pk, "heuristic")
    return answer


def modes_of(answer: Answer) -> set[str]:
    feedback = Feedback.objects.get(answer=answer)
    return set(feedback.failure_mode_hits.values_list("failure_mode__key", flat=True))


# Practise chosen questions


def test_practise_one_question_starts_a_round_of_it(client, alice):
    client.force_login(alice)
    response = client.post(reverse("attempts:practise"), {"questions": SLUG})

    round_ = Round.objects.get(candidate=alice)
    assert response.status_code == 302 and response["Location"] == round_.get_absolute_url()
    answer = round_.answers.get()
    assert answer.question.slug == SLUG and answer.started_at is None
    assert round_.kinds == ["gtm"] and not round_.full_loop
    # The round goes on the usual way: its page shows the ready screen, the clock not started.
    ready = reverse("practice:ready", args=[round_.pk])
    assert client.get(response["Location"])["Location"] == ready


def test_practise_several_keeps_the_order_chosen_and_each_once(client, alice):
    client.force_login(alice)
    client.post(reverse("attempts:practise"), {"questions": [OTHER, SLUG, OTHER]})

    round_ = Round.objects.get(candidate=alice)
    assert list(round_.answers.values_list("question__slug", flat=True)) == [OTHER, SLUG]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose at least one question to practise."),
        ({"questions": ["  "]}, "Choose at least one question to practise."),
        ({"questions": [SLUG, "no-such-question"]}, "Not in the question bank: no-such-question"),
        ({"questions": ["unpublished"]}, "Not in the question bank: unpublished"),
    ],
)
def test_practise_validates_and_creates_nothing(client, alice, data, message):
    Question.objects.filter(slug=OTHER).update(slug="unpublished", is_published=False)
    client.force_login(alice)
    response = client.post(reverse("attempts:practise"), data)

    assert response.status_code == 422
    assert message in response.text and "Nothing was started" in response.text
    assert not Round.objects.exists() and not Answer.objects.exists()


def test_practise_refuses_more_questions_than_a_round_holds(client, alice):
    client.force_login(alice)
    slugs = list(Question.objects.values_list("slug", flat=True)[:9])
    response = client.post(reverse("attempts:practise"), {"questions": slugs})
    assert response.status_code == 422 and "at most 8 questions" in response.text
    assert not Round.objects.exists()


def test_practise_needs_a_signed_in_post(client, alice):
    response = client.post(reverse("attempts:practise"), {"questions": SLUG})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(alice)
    assert client.get(reverse("attempts:practise")).status_code == 405
    assert not Round.objects.exists()


def test_the_question_page_and_the_bank_offer_practice_to_the_signed_in(client, alice):
    detail = reverse("questions:detail", args=[SLUG])
    assert "Practise this question" not in client.get(detail).text
    assert 'name="questions"' not in client.get(reverse("questions:bank")).text

    client.force_login(alice)
    page = client.get(detail).text
    assert "Practise this question" in page and reverse("attempts:practise") in page
    assert reverse("attempts:history", args=[SLUG]) in page
    bank = client.get(reverse("questions:bank")).text
    assert f'name="questions" value="{SLUG}"' in bank and "Practise these" in bank


# Retry and compare


def test_retry_starts_a_round_of_the_same_question(client, alice):
    first = answered(alice, FIRST)
    client.force_login(alice)

    page = client.get(reverse("attempts:retry", args=[first.pk]))
    assert page.status_code == 200 and "Start the retry" in page.text and "Attempt 1" in page.text
    response = client.post(reverse("attempts:retry", args=[first.pk]))

    new_round = Round.objects.exclude(pk=first.round_id).get()
    assert response["Location"] == new_round.get_absolute_url()
    assert new_round.answers.get().question_id == first.question_id
    first.refresh_from_db()
    assert first.text == FIRST  # the answer retried is not touched


def test_retry_denies_charlie_and_follow_ups(client, alice, charlie):
    first = answered(alice, FIRST)
    follow_up = Answer.objects.get(follow_up_of=first)
    client.force_login(charlie)
    assert client.get(reverse("attempts:retry", args=[first.pk])).status_code == 404
    assert client.post(reverse("attempts:retry", args=[first.pk])).status_code == 404
    client.force_login(alice)
    assert client.post(reverse("attempts:retry", args=[follow_up.pk])).status_code == 404
    assert Round.objects.count() == 1


def test_retry_of_a_question_taken_out_of_the_bank_is_refused(client, alice):
    first = answered(alice, FIRST)
    Question.objects.filter(slug=SLUG).update(is_published=False)
    client.force_login(alice)
    response = client.post(reverse("attempts:retry", args=[first.pk]))
    assert response.status_code == 422 and "No longer in the question bank" in response.text
    assert Round.objects.count() == 1


def test_the_feedback_offers_a_retry_and_loads_the_comparison(client, alice):
    first = answered(alice, FIRST)
    client.force_login(alice)
    page = client.get(reverse("practice:feedback", args=[first.round_id, first.pk])).text
    assert reverse("attempts:retry", args=[first.pk]) in page
    assert f'hx-get="{reverse("attempts:compare", args=[first.pk])}"' in page
    assert reverse("attempts:drill", args=[first.pk, "premature_scaling"]) in page


def test_the_retry_shows_what_was_fixed_beside_the_first_attempt(client, alice):
    first = answered(alice, FIRST)
    retry = answered(alice, RETRY)
    assert {"premature_scaling", "no_prioritization"} <= modes_of(first)
    assert not {"premature_scaling", "no_prioritization"} & modes_of(retry)
    client.force_login(alice)

    response = client.get(reverse("attempts:compare", args=[retry.pk]))

    c = response.context["c"]
    assert c.previous.answer == first and c.current.answer == retry
    assert SCALING in c.fixed and c.new == []
    text = response.text
    assert f'<span class="change-label">Fixed</span> {SCALING}' in text
    assert "Scores by criterion, attempt 1 and this one" in text
    assert "[removed: </span>every market at once with a big PR push." in text
    assert "[added: </span>Germany only for six weeks" in text
    prioritisation = next(r for r in c.rows if r.key == "prioritization")
    assert prioritisation.after > prioritisation.before
    assert "Attempt 1" in text and "Attempt 2" in text and "(this one)" in text


ANOTHER_QUESTIONS_ANSWER = SHOP_MARKET_ANSWER  # given to the creator-subscriptions question


def test_an_answer_to_another_question_fixes_nothing(client, alice):
    """It has no failure modes because none were judged: the comparison must not call the
    first attempt's ones fixed, nor the next attempt's new."""
    first = answered(alice, FIRST)
    off = answered(alice, ANOTHER_QUESTIONS_ANSWER)
    assert modes_of(first) and not modes_of(off)
    client.force_login(alice)

    response = client.get(reverse("attempts:compare", args=[off.pk]))

    c = response.context["c"]
    assert c.current.off_topic and c.fixed == [] and c.new == []
    assert "Fixed</span>" not in response.text
    assert "This attempt does not answer the question asked" in response.text
    assert "Scores by criterion, attempt 1 and this one" in response.text
    assert "overall <strong>" in response.text and "does not answer the question" in response.text

    retry = answered(alice, RETRY)
    later = client.get(reverse("attempts:compare", args=[retry.pk]), {"against": off.pk})
    assert later.context["c"].previous.answer == off and later.context["c"].new == []
    assert "Attempt 2 did not answer the question asked" in later.text


def test_compare_with_an_earlier_attempt_of_my_choice(client, alice, charlie):
    first = answered(alice, FIRST)
    second = answered(alice, RETRY)
    third = answered(alice, RETRY)
    theirs = answered(charlie, FIRST)
    client.force_login(alice)
    url = reverse("attempts:compare", args=[third.pk])

    latest = client.get(url).context["c"]
    assert latest.previous.answer == second and latest.fixed == []
    assert f"{url}?against={first.pk}" in client.get(url).text
    chosen = client.get(url, {"against": first.pk}, headers=HTMX).context["c"]
    assert chosen.previous.answer == first and SCALING in chosen.fixed
    # Not an earlier attempt of mine: the latest one stands.
    for against in (third.pk, theirs.pk, "x"):
        assert client.get(url, {"against": against}).context["c"].previous.answer == second


def test_a_first_attempt_has_nothing_to_compare_with(client, alice):
    first = answered(alice, FIRST)
    client.force_login(alice)
    response = client.get(reverse("attempts:compare", args=[first.pk]), headers=HTMX)
    assert "This is your first scored attempt" in response.text
    assert "<html" not in response.text  # the fragment the feedback page loads


def test_compare_denies_charlie(client, alice, charlie):
    first = answered(alice, FIRST)
    answered(charlie, RETRY)
    client.force_login(charlie)
    assert client.get(reverse("attempts:compare", args=[first.pk])).status_code == 404


def test_compare_compares_only_my_own_attempts(client, alice, charlie):
    answered(charlie, FIRST)
    mine = answered(alice, RETRY)
    client.force_login(alice)
    c = client.get(reverse("attempts:compare", args=[mine.pk])).context["c"]
    assert c.previous is None and [a.answer for a in c.attempts] == [mine]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_compare_and_history_queries_do_not_grow_with_attempts(client, alice):
    first = answered(alice, FIRST)
    latest = answered(alice, RETRY)
    client.force_login(alice)
    setup = reverse("attempts:drill", args=[first.pk, "premature_scaling"])
    client.post(setup, {"rewrite": STAGED.strip(), "passage": 0})
    compare = reverse("attempts:compare", args=[latest.pk])
    history = reverse("attempts:history", args=[SLUG])
    few = queries_for(client, compare), queries_for(client, history)

    for text in (FIRST, RETRY, FIRST):
        latest = answered(alice, text)
        client.post(setup, {"rewrite": STAGED.strip(), "passage": 0})
    compare = reverse("attempts:compare", args=[latest.pk])
    assert (queries_for(client, compare), queries_for(client, history)) == few


def test_history_lists_my_attempts_and_drills_only(
    client, alice, charlie, django_assert_num_queries
):
    first = answered(alice, FIRST)
    answered(alice, RETRY)
    answered(charlie, FIRST)
    client.force_login(alice)
    client.post(
        reverse("attempts:drill", args=[first.pk, "premature_scaling"]),
        {"rewrite": STAGED.strip(), "passage": 0},
    )
    # session, user, question, answers, feedback, criterion scores, hits, drills
    with django_assert_num_queries(8):
        response = client.get(reverse("attempts:history", args=[SLUG]), headers=HTMX)
    attempts = response.context["attempts"]
    assert [a.answer.candidate for a in attempts] == [alice, alice]
    assert f"Fix-it drill on {SCALING}" in response.text and "cleared" in response.text

    client.force_login(charlie)
    assert len(client.get(reverse("attempts:history", args=[SLUG])).context["attempts"]) == 1


def test_a_coach_comment_offers_the_candidate_a_redo(client, alice, bob):
    first = answered(alice, FIRST)
    link(alice, bob)
    review = coaching_services.start_review(answer=first, coach=bob)
    coaching_services.mark_reviewed(review=review, comment="Redo this with a 10% holdout.")
    client.force_login(alice)

    page = client.get(reverse("coaching:review", args=[review.pk])).text
    assert "Redo this" in page and reverse("attempts:retry", args=[first.pk]) in page
    transcript = client.get(first.get_absolute_url()).text
    assert "Redo this" in transcript
    client.force_login(bob)
    assert (
        reverse("attempts:retry", args=[first.pk])
        not in client.get(reverse("coaching:review", args=[review.pk])).text
    )


# Fix-it drills


def drill_url(answer: Answer, mode: str = "premature_scaling") -> str:
    return reverse("attempts:drill", args=[answer.pk, mode])


def test_the_drill_form_holds_the_flagged_sentence_and_the_rest_read_only(client, alice):
    first = answered(alice, FIRST)
    client.force_login(alice)
    response = client.get(drill_url(first), headers=HTMX)

    assert response.status_code == 200 and "<html" not in response.text
    setup = response.context["s"]
    assert setup.passage == FLAGGED.strip()
    assert setup.before == OPENING + " " and setup.after == CLOSING
    assert f">{FLAGGED.strip()}</textarea>" in response.text
    assert "autofocus" in response.text and "Rescore my answer" in response.text


def test_a_drill_that_stages_the_launch_clears_the_finding(client, alice):
    first = answered(alice, FIRST)
    feedback = Feedback.objects.get(answer=first)
    client.force_login(alice)

    response = client.post(drill_url(first), {"rewrite": STAGED, "passage": 0}, headers=HTMX)

    assert response.status_code == 200
    drill = Drill.objects.get()
    assert drill.cleared and drill.failure_mode.key == "premature_scaling"
    assert drill.text == RETRY and drill.passage == FLAGGED.strip()
    assert drill.overall > feedback.overall
    assert "premature_scaling" not in drill.failure_modes
    assert f"Cleared: {SCALING} is no longer found." in response.text
    assert 'role="status"' in response.text
    # The answer and its feedback stay as they were.
    first.refresh_from_db()
    assert first.text == FIRST
    assert Feedback.objects.get(answer=first).overall == feedback.overall
    assert modes_of(first) >= {"premature_scaling"}


def test_a_drill_that_keeps_the_problem_says_so(client, alice):
    first = answered(alice, FIRST)
    client.force_login(alice)
    rewrite = "We launch creator subscriptions everywhere at once with a huge PR push."
    response = client.post(drill_url(first), {"rewrite": rewrite, "passage": 0})
    assert response.status_code == 200 and f"Still found: {SCALING}" in response.text
    assert not Drill.objects.get().cleared


@pytest.mark.parametrize(
    "rewrite, message",
    [
        ("   ", "Write your version of the passage first."),
        (FLAGGED, "That is the passage as it was"),
        ("x" * 3001, "at most 3000 characters"),
    ],
)
def test_a_drill_validates_and_stores_nothing(client, alice, rewrite, message):
    first = answered(alice, FIRST)
    client.force_login(alice)
    response = client.post(drill_url(first), {"rewrite": rewrite, "passage": 0})
    assert response.status_code == 422 and message in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Drill.objects.exists()
    htmx = client.post(drill_url(first), {"rewrite": rewrite, "passage": 0}, headers=HTMX)
    assert htmx.status_code == 200 and message in htmx.text  # htmx swaps only 2xx


def test_a_drill_denies_charlie_and_unknown_findings(client, alice, charlie):
    first = answered(alice, FIRST)
    client.force_login(charlie)
    assert client.get(drill_url(first)).status_code == 404
    assert client.post(drill_url(first), {"rewrite": STAGED}).status_code == 404
    client.force_login(alice)
    assert client.get(drill_url(first, "vanity_metrics")).status_code == 404
    assert client.get(drill_url(first) + "?passage=5").status_code == 404
    assert client.get(drill_url(first) + "?passage=x").status_code == 404
    assert not Drill.objects.exists()
