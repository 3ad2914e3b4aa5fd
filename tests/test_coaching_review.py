import pytest
from django.core import serializers
from django.db.models import F
from django.urls import reverse

from coaching import services
from coaching.models import Notification, Review, ReviewComment, ReviewFlag, ReviewScore
from feedback.models import CriterionScore, FailureModeHit, Feedback
from rounds.models import Answer
from tests.coaching_helpers import MAIN_TEXT, feedback, link, transcript
from tests.factories import AnswerFactory


@pytest.fixture
def main(alice, bob):
    link(alice, bob)
    return transcript(alice)


def follow_up_of(main: Answer) -> Answer:
    return Answer.objects.get(follow_up_of=main)


def feedback_snapshot() -> str:
    """Every scorer row, serialised: a review must leave this byte-for-byte as it was."""
    rows = [
        *Feedback.objects.order_by("pk"),
        *CriterionScore.objects.order_by("pk"),
        *FailureModeHit.objects.order_by("pk"),
    ]
    return serializers.serialize("json", rows)


def url(name: str, *args) -> str:
    return reverse(f"coaching:{name}", args=args)


def test_it_shows_the_transcript_with_evidence_marked_and_controls_to_comment(client, bob, main):
    client.force_login(bob)
    response = client.get(url("transcript", main.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Launch in a new market" in html and main.prompt in html
    assert "How would you know it worked?" in html  # the follow-up's prompt
    assert "Time used: 07:00 of 10:00" in html
    start = MAIN_TEXT.index("views and likes")
    assert f'data-start="{start}" data-end="{start + len("views and likes")}"' in html
    assert '<mark class="evidence"' in html and "Comment on this passage: views and likes" in html
    assert "Advice on premature_scaling." in html
    assert f'for="score-{main.pk}-staging"' in html
    assert "Mark reviewed" in html


def test_it_marks_late_answers(client, alice, bob):
    link(alice, bob)
    main = transcript(alice, late=True)
    client.force_login(bob)
    html = client.get(url("transcript", main.pk)).content.decode()
    assert "Time used: 10:40 of 10:00" in html and ">Late<" in html


def test_a_review_changes_scores_and_flags_while_the_feedback_stays_intact(client, bob, main):
    follow_up = follow_up_of(main)
    before = feedback_snapshot()
    client.force_login(bob)

    response = client.post(
        url("scores", main.pk),
        {
            f"score-{main.pk}-staging": "1",
            f"score-{main.pk}-metrics": "3",
            f"score-{follow_up.pk}-metrics": "2",
        },
    )
    assert response.status_code == 302
    client.post(
        url("flag", main.pk),
        {
            "answer": main.pk,
            "action": "remove",
            "failure_mode": "vanity_metrics",
            "reason": "Views are a side note; retention is the goal.",
        },
    )
    client.post(
        url("flag", main.pk),
        {
            "answer": main.pk,
            "action": "add",
            "failure_mode": "no_measurement_plan",
            "reason": "No baseline, no holdout.",
        },
    )
    client.post(url("mark_reviewed", main.pk), {"comment": "Stage it: one market first."})

    review = Review.objects.get(answer=main, coach=bob)
    assert review.is_reviewed and review.comment == "Stage it: one market first."
    scores = {(s.answer_id, s.key): (s.scorer_score, s.score) for s in review.scores.all()}
    assert scores == {
        (main.pk, "staging"): (2, 1),
        (main.pk, "metrics"): (3, 3),  # unchanged agreements are kept too
        (follow_up.pk, "staging"): (3, 3),
        (follow_up.pk, "metrics"): (1, 2),
    }
    flags = {(f.failure_mode.key, f.action) for f in review.flags.all()}
    assert flags == {("vanity_metrics", "remove"), ("no_measurement_plan", "add")}
    assert review.scorer_flags == {
        str(main.pk): ["premature_scaling", "vanity_metrics"],
        str(follow_up.pk): ["vanity_metrics"],
    }
    assert feedback_snapshot() == before

    # Both stay visible: the scorer's score and advice beside the coach's correction.
    html = client.get(url("review", review.pk)).content.decode()
    assert "Advice on vanity_metrics." in html
    assert "Views are a side note; retention is the goal." in html
    assert "<td>2</td><td>1</td>" in html  # staging: scorer 2, coach 1


def test_scores_refuse_bad_values_and_change_nothing(client, bob, main):
    client.force_login(bob)
    for bad in (
        {f"score-{main.pk}-staging": "6"},
        {f"score-{main.pk}-staging": "high"},
        {f"score-{main.pk}-nonsense": "3"},
        {},
    ):
        response = client.post(url("scores", main.pk), bad)
        assert response.status_code == 400
        assert 'class="section-error" role="alert"' in response.content.decode()
    assert not ReviewScore.objects.exclude(score=F("scorer_score")).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"action": "add", "failure_mode": "premature_scaling", "reason": "x"},
            "The scorer already found",
        ),
        (
            {"action": "remove", "failure_mode": "no_measurement_plan", "reason": "x"},
            "did not find",
        ),
        (
            {"action": "add", "failure_mode": "no_measurement_plan", "reason": "   "},
            "Give a reason",
        ),
        ({"action": "add", "failure_mode": "astrology", "reason": "x"}, "Choose a failure mode"),
        ({"action": "flip", "failure_mode": "vanity_metrics", "reason": "x"}, "Select a valid"),
    ],
)
def test_flags_need_a_reason_and_must_fit_what_the_scorer_said(client, bob, main, data, message):
    client.force_login(bob)
    response = client.post(url("flag", main.pk), {"answer": main.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReviewFlag.objects.exists()


def test_a_flag_on_an_answer_outside_the_transcript_is_refused(client, alice, bob, main):
    other = transcript(alice, title="Another question")
    client.force_login(bob)
    response = client.post(
        url("flag", main.pk),
        {"answer": other.pk, "action": "add", "failure_mode": "no_measurement_plan", "reason": "x"},
    )
    assert response.status_code == 400
    assert "not part of this transcript" in response.content.decode()
    assert not ReviewFlag.objects.exists()


def test_a_flag_change_can_be_undone(client, bob, main):
    client.force_login(bob)
    client.post(
        url("flag", main.pk),
        {
            "answer": main.pk,
            "action": "remove",
            "failure_mode": "vanity_metrics",
            "reason": "Not here.",
        },
    )
    made = ReviewFlag.objects.get()
    response = client.post(url("flag_undo", main.pk, made.pk))
    assert response.status_code == 302
    assert not ReviewFlag.objects.exists()


def test_a_comment_on_a_highlighted_passage_keeps_its_quote(client, bob, main):
    start = MAIN_TEXT.index("views and likes")
    client.force_login(bob)
    # Without JavaScript the passage link reloads the page with the passage in the form.
    page = client.get(
        url("transcript", main.pk), {"answer": main.pk, "start": start, "end": start + 15}
    )
    assert 'Commenting on: <q id="passage-quote">views and likes</q>' in page.content.decode()
    response = client.post(
        url("comment", main.pk),
        {
            "answer": main.pk,
            "start": start,
            "end": start + 15,
            "quote": "views and likes",
            "text": "Which behaviour would these views change?",
        },
    )
    assert response.status_code == 302
    comment = ReviewComment.objects.get()
    assert (comment.start, comment.end, comment.quote) == (start, start + 15, "views and likes")
    assert comment.is_on_passage


@pytest.mark.parametrize(
    ("passage", "message"),
    [
        ({"start": 0, "end": 9, "quote": "something"}, "does not match"),
        ({"start": 0, "end": 10_000, "quote": MAIN_TEXT}, "not inside the answer"),
        ({"start": 5, "end": 5, "quote": ""}, "not inside the answer"),
        ({"start": 3, "quote": "x"}, "both its start and its end"),
        ({"start": -1, "end": 2, "quote": "We"}, "Write the comment"),
    ],
)
def test_a_passage_comment_must_match_the_answer_text(client, bob, main, passage, message):
    client.force_login(bob)
    response = client.post(url("comment", main.pk), {"answer": main.pk, "text": "Hm.", **passage})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_the_model_validates_a_passage_too(bob, main):
    review = services.start_review(answer=main, coach=bob)
    comment = ReviewComment(review=review, answer=main, start=0, end=2, quote="Wx", text="Hm")
    with pytest.raises(Exception, match="does not match"):
        comment.full_clean()
    comment.quote = "We"
    comment.full_clean()


def test_a_comment_on_the_whole_follow_up(client, bob, main):
    follow_up = follow_up_of(main)
    client.force_login(bob)
    client.post(url("comment", main.pk), {"answer": follow_up.pk, "text": "Name the metric."})
    comment = ReviewComment.objects.get()
    assert comment.answer == follow_up and not comment.is_on_passage and comment.quote == ""
    html = client.get(url("transcript", main.pk)).content.decode()
    assert "On the whole follow-up" in html and "Name the metric." in html
    assert "celebrate the buzz." in html  # the follow-up's text is shown as it was


def test_htmx_forms_answer_with_their_section(client, bob, main):
    client.force_login(bob)
    response = client.post(
        url("comment", main.pk),
        {"answer": main.pk, "text": "Good start."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comments"')
    assert "Good start." in html and "Comment added." in html and "<html" not in html

    response = client.post(
        url("scores", main.pk), {f"score-{main.pk}-staging": "9"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200  # htmx only swaps 2xx; the message is in the fragment
    assert response.content.decode().lstrip().startswith('<section id="scores"')
    assert "Scores go from 1 to 5" in response.content.decode()

    passage = client.get(
        url("transcript", main.pk),
        {"answer": main.pk, "start": 0, "end": 2},
        headers={"HX-Request": "true"},
    )
    assert passage.content.decode().lstrip().startswith('<section id="comments"')


def test_marking_reviewed_notifies_the_candidate_once(client, alice, bob, main):
    client.force_login(bob)
    client.post(url("mark_reviewed", main.pk), {"comment": "Nice."})
    client.post(url("mark_reviewed", main.pk), {"comment": "Nice, and one more thing."})
    review = Review.objects.get()
    note = Notification.objects.get(user=alice)
    assert note.url == url("review", review.pk) and "bob reviewed your answer" in note.text
    assert review.comment == "Nice, and one more thing."

    client.force_login(alice)
    page = client.get("/questions/").content.decode()
    assert "Notifications, 1 unread" in page
    listing = client.get(url("notifications")).content.decode()
    assert "bob reviewed your answer" in listing and ">New<" in listing
    assert Notification.objects.unread().count() == 0
    assert "Notifications, 1 unread" not in client.get("/questions/").content.decode()


def test_the_candidate_sees_the_review_beside_the_automatic_feedback(client, alice, bob, main):
    start = MAIN_TEXT.index("views and likes")
    review = services.start_review(answer=main, coach=bob)
    services.add_comment(
        review=review,
        answer_id=main.pk,
        text="Say which behaviour.",
        start=start,
        end=start + 15,
        quote="views and likes",
    )
    client.force_login(alice)
    # A draft review stays with the coach.
    assert client.get(url("review", review.pk)).status_code == 404
    assert "Say which behaviour." not in client.get(url("transcript", main.pk)).content.decode()

    services.mark_reviewed(review=review, comment="Good structure.")
    html = client.get(url("transcript", main.pk)).content.decode()
    assert "Automatic feedback" in html and "Advice on premature_scaling." in html
    assert "Review by bob" in html and "Good structure." in html
    assert "Say which behaviour." in html and "<blockquote>views and likes</blockquote>" in html
    assert "Mark reviewed" not in html  # the candidate reads; only coaches write

    # And on the candidate's own answer page in the rounds app, through the include hook.
    page = client.get(reverse("practice:answer", args=[main.round_id, main.pk])).content.decode()
    assert "Good structure." in page and url("review", review.pk) in page


def test_reviewing_needs_a_scored_answer(client, alice, bob):
    link(alice, bob)
    main = transcript(alice, scored=False)
    client.force_login(bob)
    response = client.post(url("mark_reviewed", main.pk), {"comment": "x"})
    assert response.status_code == 400
    assert "not been scored yet" in response.content.decode()
    assert not Review.objects.exists()


def test_a_follow_up_scored_after_the_review_began_joins_the_review(bob, alice):
    link(alice, bob)
    main = transcript(alice, follow_up=False)
    review = services.start_review(answer=main, coach=bob)
    assert list(review.scorer_flags) == [str(main.pk)]
    second = AnswerFactory(
        candidate=alice,
        round=main.round,
        question=main.question,
        follow_up_of=main,
        text="Retention of the cohort.",
    )
    feedback(second, scores={"staging": 4, "metrics": 4}, hits={})
    services.mark_reviewed(review=review, comment="")
    review.refresh_from_db()
    assert review.scorer_flags[str(second.pk)] == []
    assert review.scores.filter(answer=second).count() == 2
