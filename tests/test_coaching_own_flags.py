"""Flags in the coach's own words: added and undone like the others, shown to the candidate,
kept out of the agreement figures and listed beside them; and the candidate's summary of a
review, which names every change."""

from datetime import date

import pytest
from django.urls import reverse

from coaching import services
from coaching.models import ReviewFlag
from coaching.selectors import agreement_inputs, own_flags_between
from tests.coaching_helpers import link, transcript
from tests.test_coaching_agreement import DAY, known_set, reviewed  # noqa: F401  (fixture)

TITLE = "No guardrail on team-goal pressure"
REASON = "Nothing stops the team from gaming the launch target."


@pytest.fixture
def main(alice, bob):
    link(alice, bob)
    return transcript(alice)


def own_flag_url(main) -> str:
    return reverse("coaching:own_flag", args=[main.pk])


def test_a_coach_adds_a_flag_in_their_own_words(client, bob, main):
    client.force_login(bob)
    response = client.post(
        own_flag_url(main), {"answer": main.pk, "title": f"  {TITLE} ", "reason": REASON}
    )
    assert response.status_code == 302
    made = ReviewFlag.objects.get()
    assert made.is_own and made.failure_mode is None and made.title == TITLE
    assert made.action == "add" and made.reason == REASON
    html = client.get(reverse("coaching:transcript", args=[main.pk])).content.decode()
    assert f"<strong>{TITLE}</strong>" in html and "in your own words" in html
    assert f"Undo adding “{TITLE}” to the answer" in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "reason": REASON}, "Give the flag a short title."),
        ({"title": TITLE, "reason": ""}, "Give a reason"),
        ({"title": "x" * 81, "reason": REASON}, "at most 80 characters"),
        ({"title": "vanity METRICS", "reason": REASON}, "choose it from the list"),
    ],
)
def test_an_own_flag_needs_a_title_and_a_reason(client, bob, main, data, message):
    client.force_login(bob)
    response = client.post(own_flag_url(main), {"answer": main.pk, **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReviewFlag.objects.exists()


def test_the_same_own_flag_twice_is_refused(client, bob, main):
    client.force_login(bob)
    data = {"answer": main.pk, "title": TITLE, "reason": REASON}
    client.post(own_flag_url(main), data)
    again = client.post(own_flag_url(main), data | {"title": TITLE.upper()})
    assert again.status_code == 400 and "already flagged" in again.content.decode()
    assert ReviewFlag.objects.count() == 1


def test_an_own_flag_as_an_htmx_fragment(client, bob, main):
    client.force_login(bob)
    data = {"answer": main.pk, "title": TITLE, "reason": REASON}
    response = client.post(own_flag_url(main), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="flags"')
    assert f"“{TITLE}” added." in html


def test_outsiders_cannot_add_own_flags(client, alice, charlie, main):
    data = {"answer": main.pk, "title": TITLE, "reason": REASON}
    for who in (charlie, alice):  # another candidate, and the candidate herself
        client.force_login(who)
        assert client.post(own_flag_url(main), data).status_code == 404
    other = transcript(charlie)
    client.force_login(main.candidate.coach_links.get().coach)
    assert client.post(own_flag_url(other), data | {"answer": other.pk}).status_code == 404
    assert not ReviewFlag.objects.exists()


def test_the_candidate_sees_the_own_flag_and_every_change_in_the_summary(client, alice, bob, main):
    follow_up = main.follow_up
    review = services.start_review(answer=main, coach=bob)
    services.set_scores(review=review, scores={(main.pk, "staging"): 4})
    services.add_own_flag(review=review, answer_id=main.pk, title=TITLE, reason=REASON)
    services.flag(
        review=review,
        answer_id=follow_up.pk,
        failure_mode_key="vanity_metrics",
        action="remove",
        reason="Impressions are a fair early read here.",
    )
    services.add_comment(review=review, answer_id=follow_up.pk, text="Name the threshold.")
    services.mark_reviewed(review=review, comment="Good start.")

    client.force_login(alice)
    page = client.get(reverse("practice:answer", args=[main.round_id, main.pk]))
    html = page.content.decode()
    assert "1 score changed, 1 flag added, 1 flag removed, 1 comment." in html
    answer_part, follow_up_part = html.split("On your answer")[1].split("On your follow-up")
    assert (
        "Staged launch: the coach scores it <strong>4</strong> out of 5, where the scorer gave 2"
        in answer_part
    )
    assert f"Flag added: <strong>{TITLE}</strong>" in answer_part
    assert "(in the coach's words)" in answer_part
    assert "Flag removed: <strong>Vanity metrics</strong>" in follow_up_part
    assert "1 comment: read it beside the passage" in follow_up_part

    full = client.get(reverse("coaching:review", args=[review.pk])).content.decode()
    assert f"<strong>{TITLE}</strong>: flagged by the coach." in full


def test_a_review_that_changed_nothing_says_the_coach_agreed(client, alice, bob, main):
    review = services.start_review(answer=main, coach=bob)
    services.mark_reviewed(review=review, comment="")
    client.force_login(alice)
    html = client.get(reverse("practice:answer", args=[main.round_id, main.pk])).content.decode()
    assert "The coach agreed with the automatic feedback." in html


PERIOD = (date(2026, 3, 1), date(2026, 3, 31))


def test_own_flags_stay_out_of_the_agreement_figures(known_set, alice, bob):  # noqa: F811
    before = agreement_inputs(*PERIOD)
    t5 = reviewed(alice, bob, found=[], scores={"staging": 3, "metrics": 3}, coach_scores={})
    review = t5.reviews.get()
    services.add_own_flag(review=review, answer_id=t5.pk, title=TITLE, reason=REASON)
    items, pairs = agreement_inputs(*PERIOD)
    # The new review adds its judgements (nothing found, nothing added) and no others.
    added = [j for j in items if j.transcript_id == t5.pk]
    assert added and not any(j.scorer or j.coach for j in added)
    assert [j for j in items if j.transcript_id != t5.pk] == before[0]
    [own] = own_flags_between(*PERIOD)
    assert (own.title, own.reason, own.transcript_id) == (TITLE, REASON, t5.pk)


def test_the_agreement_page_lists_own_flags_apart(client, admin_user, alice, bob):
    t = reviewed(alice, bob, found=[], scores={"staging": 3, "metrics": 3}, coach_scores={})
    services.add_own_flag(review=t.reviews.get(), answer_id=t.pk, title=TITLE, reason=REASON)
    client.force_login(admin_user)
    html = client.get(
        reverse("coaching:agreement"), {"since": "2026-03-01", "until": "2026-03-31"}
    ).content.decode()
    section = html.split("Flags in coaches' own words")[1]
    assert f'<th scope="row">{TITLE}</th>' in section and REASON in section
    assert "not counted in the figures above" in section
    assert TITLE not in html.split("Flags in coaches' own words")[0]
