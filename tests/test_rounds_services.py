import random
from datetime import timedelta

import pytest
from django.core.management import call_command

from feedback.models import Feedback
from questions.models import Probe
from rounds import drafts, probes, selectors, services
from rounds.models import FOLLOW_UP_SECONDS, GRACE, MAX_ANSWER_CHARS, Answer, Round
from rounds.services import RoundError
from rounds.tasks import close_expired_answers_task
from rubrics.models import Rubric
from tests.factories import AnswerFactory, QuestionFactory
from tests.rounds_helpers import T0, make_question, opened, start
from tests.scoring_helpers import FixedScorer

pytestmark = pytest.mark.usefixtures("fixed_scorers")


def kinds_of(round_):
    return list(round_.answers.order_by("position").values_list("kind", flat=True))


# Starting a round


def test_start_round_orders_kinds_as_interview_stages(alice):
    for kind in ("gtm", "product_sense", "execution"):
        make_question(kind, time_limit_seconds=600)
        make_question(kind, time_limit_seconds=600)

    round_ = services.start_round(candidate=alice, kinds=["gtm", "product_sense"], count=3)

    assert round_.kinds == ["product_sense", "gtm"]
    assert kinds_of(round_) == ["product_sense", "product_sense", "gtm"]
    answers = list(round_.answers.order_by("position"))
    assert [a.position for a in answers] == [1, 2, 3]
    assert all(a.prompt == a.question.prompt and a.time_limit_seconds == 600 for a in answers)
    assert all(a.started_at is None and a.candidate == alice for a in answers)


def test_full_loop_asks_one_question_of_each_kind_in_order(alice):
    for kind in ("gtm", "behavioral", "execution", "product_sense"):
        make_question(kind)
        make_question(kind)

    round_ = services.start_round(candidate=alice, kinds=[], count=8, full_loop=True)

    assert round_.full_loop
    assert kinds_of(round_) == ["product_sense", "execution", "behavioral", "gtm"]


def test_full_loop_names_the_kind_it_cannot_fill(alice):
    for kind in ("product_sense", "execution", "behavioral"):
        make_question(kind)

    with pytest.raises(RoundError, match="none matches these filters for: Go-to-market"):
        services.start_round(candidate=alice, kinds=[], count=4, full_loop=True)
    assert not Round.objects.exists()


def test_unseen_questions_come_first_then_least_recently_answered(alice, charlie, clock):
    yesterday, recent, old = (make_question(slug=s) for s in ("yesterday", "recent", "old"))
    fresh = make_question(slug="fresh")
    AnswerFactory(candidate=alice, question=yesterday, submitted_at=T0 - timedelta(days=1))
    AnswerFactory(candidate=alice, question=recent, submitted_at=T0 - timedelta(days=10))
    AnswerFactory(candidate=alice, question=old, submitted_at=T0 - timedelta(days=45))
    AnswerFactory(candidate=charlie, question=fresh, submitted_at=T0)  # not alice's history

    for seed in range(5):
        picked = selectors.pick_questions(
            candidate=alice, kinds=["gtm"], count=3, rng=random.Random(seed)
        )
        assert {q.slug for q in picked[:2]} == {"old", "fresh"}
        assert picked[2].slug == "recent"  # answered 10 days ago, before "yesterday"


def test_ties_are_broken_at_random(alice):
    for n in range(6):
        make_question(slug=f"q{n}")

    firsts = {
        selectors.pick_questions(candidate=alice, kinds=["gtm"], count=1, rng=random.Random(s))[
            0
        ].slug
        for s in range(20)
    }

    assert len(firsts) > 1


def test_tag_and_company_filters_narrow_the_pick(alice):
    make_question(slug="tagged", tags=["launch"], company="TikTok")
    make_question(slug="other-company", tags=["launch"], company="Spotify")
    make_question(slug="untagged", company="TikTok")

    round_ = services.start_round(
        candidate=alice, kinds=["gtm"], count=1, tag="launch", company="tiktok"
    )

    assert round_.answers.get().question.slug == "tagged"
    assert (round_.tag, round_.company) == ("launch", "tiktok")


def test_too_few_questions_is_a_clear_message(alice):
    make_question(slug="only", tags=["launch"])
    make_question(slug="unpublished", tags=["launch"], is_published=False)

    with pytest.raises(RoundError, match="Only 1 question match these filters: choose 1 or fewer"):
        services.start_round(candidate=alice, kinds=["gtm"], count=2, tag="launch")
    with pytest.raises(RoundError, match="No published questions match"):
        services.start_round(candidate=alice, kinds=["gtm"], count=1, tag="nope")
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kinds": [], "count": 1}, "Choose at least one kind"),
        ({"kinds": ["gtm", "poetry"], "count": 1}, "Unknown kind: poetry"),
        ({"kinds": ["gtm"], "count": 0}, "between 1 and 8 questions"),
        ({"kinds": ["gtm"], "count": 9}, "between 1 and 8 questions"),
        ({"kinds": ["gtm"], "count": 1, "time_per_question_seconds": 30}, "1 and 60 minutes"),
        ({"kinds": ["gtm"], "count": 1, "time_per_question_seconds": 3660}, "1 and 60 minutes"),
    ],
)
def test_start_round_validates(alice, options, message):
    make_question()

    with pytest.raises(RoundError, match=message):
        services.start_round(candidate=alice, **options)
    assert not Round.objects.exists()


def test_time_per_question_overrides_each_question_limit(alice):
    make_question(time_limit_seconds=900)

    round_ = services.start_round(
        candidate=alice, kinds=["gtm"], count=1, time_per_question_seconds=300
    )

    assert round_.answers.get().time_limit_seconds == 300


# The clock


def test_start_practice_asks_exactly_the_chosen_questions_in_order(alice):
    gtm, sense = make_question("gtm", time_limit_seconds=600), make_question("product_sense")

    round_ = services.start_practice(candidate=alice, questions=[gtm, sense, gtm])

    assert round_.kinds == ["product_sense", "gtm"] and not round_.full_loop
    answers = list(round_.answers.order_by("position"))
    assert [a.question for a in answers] == [gtm, sense]
    assert answers[0].time_limit_seconds == 600 and answers[0].prompt == gtm.prompt
    timed = services.start_practice(
        candidate=alice, questions=[sense], time_per_question_seconds=300
    )
    assert timed.answers.get().time_limit_seconds == 300


@pytest.mark.parametrize(
    "count, published, seconds, message",
    [
        (0, True, None, "Choose at least one question to practise."),
        (9, True, None, "A round has at most 8 questions; you chose 9."),
        (1, False, None, "No longer in the question bank"),
        (1, True, 30, "Time per question must be between 1 and 60 minutes."),
    ],
)
def test_start_practice_validates_and_creates_nothing(alice, count, published, seconds, message):
    questions = [make_question(is_published=published) for _ in range(count)]
    with pytest.raises(RoundError, match=message):
        services.start_practice(
            candidate=alice, questions=questions, time_per_question_seconds=seconds
        )
    assert not Round.objects.exists() and not Answer.objects.exists()


def test_opening_starts_the_clock_once(alice, clock):
    round_ = start(alice, [make_question(time_limit_seconds=600)])

    answer = opened(round_)
    clock.shift(timedelta(minutes=3))
    again = services.open_answer(answer=Answer.objects.get(pk=answer.pk))

    assert again.started_at == T0
    assert again.deadline == T0 + timedelta(minutes=10)
    assert again.seconds_left() == 7 * 60


def test_draft_is_saved_and_restored(alice, clock):
    round_ = start(alice, [make_question()])
    answer = opened(round_)
    clock.shift(timedelta(seconds=40))

    saved_at = drafts.save_draft(
        candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="First\r\nthoughts"
    )

    answer.refresh_from_db()
    assert (answer.draft, answer.draft_saved_at) == ("First\nthoughts", saved_at)
    assert saved_at == T0 + timedelta(seconds=40)
    assert not answer.is_submitted


def test_draft_of_someone_elses_answer_does_not_exist(alice, charlie):
    round_ = start(alice, [make_question()])
    answer = opened(round_)

    with pytest.raises(Answer.DoesNotExist):
        drafts.save_draft(candidate=charlie, round_id=round_.pk, answer_id=answer.pk, text="x")
    answer.refresh_from_db()
    assert answer.draft == ""


def test_draft_is_refused_once_submitted(alice):
    round_ = start(alice, [make_question()])
    answer = opened(round_)
    services.submit_answer(answer=answer, text="My answer.")

    with pytest.raises(RoundError, match="already been submitted") as refused:
        drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="new")

    assert refused.value.status == 409
    answer.refresh_from_db()
    assert (answer.draft, answer.text) == ("My answer.", "My answer.")


def test_draft_is_refused_before_opening_and_after_the_round(alice):
    round_ = start(alice, [make_question(), make_question()])
    first = opened(round_)
    second = round_.answers.get(position=2)

    with pytest.raises(RoundError, match="not been opened"):
        drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=second.pk, text="x")
    services.finish_round(round_=round_)
    with pytest.raises(RoundError, match="round is finished"):
        drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=first.pk, text="x")


def test_oversized_draft_is_refused_and_the_old_one_kept(alice):
    round_ = start(alice, [make_question()])
    answer = opened(round_)
    drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="kept")

    with pytest.raises(RoundError, match="drafts are limited to 40,000") as refused:
        drafts.save_draft(
            candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="x" * 40_001
        )

    assert refused.value.status == 422
    answer.refresh_from_db()
    assert answer.draft == "kept"


def test_late_draft_is_refused_and_the_saved_draft_submitted(alice, clock):
    round_ = start(alice, [make_question(time_limit_seconds=600)])
    answer = opened(round_)
    drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="in time")
    clock.shift(timedelta(minutes=10) + GRACE + timedelta(seconds=1))

    with pytest.raises(RoundError, match="Time is up"):
        drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="late")

    answer.refresh_from_db()
    assert (answer.text, answer.auto_submitted, answer.is_submitted) == ("in time", True, True)


# Submitting


def test_submit_on_time_records_time_creates_the_follow_up_and_scores(
    alice, clock, django_capture_on_commit_callbacks
):
    round_ = start(alice, [make_question(time_limit_seconds=600)])
    answer = opened(round_)
    clock.shift(timedelta(minutes=4, seconds=30))

    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submit_answer(answer=answer, text="Launch in one market first.")

    answer.refresh_from_db()
    assert submission.created and not submission.late
    assert answer.text == "Launch in one market first."
    assert answer.submitted_at == T0 + timedelta(minutes=4, seconds=30)
    assert answer.time_used_seconds == 270
    assert not (answer.is_late or answer.auto_submitted)
    follow_up = answer.follow_up
    assert (follow_up.position, follow_up.time_limit_seconds) == (1, FOLLOW_UP_SECONDS)
    assert follow_up.started_at is None and follow_up.round == round_
    assert Feedback.objects.get(answer=answer).scorer == "fixed"


def test_submit_within_the_grace_is_on_time(alice, clock):
    round_ = start(alice, [make_question(time_limit_seconds=600)])
    answer = opened(round_)
    clock.shift(timedelta(minutes=10) + GRACE)

    submission = services.submit_answer(answer=answer, text="Just in time.")

    assert not submission.late
    assert not Answer.objects.get(pk=answer.pk).is_late


def test_submit_after_the_deadline_and_grace_is_stored_and_marked_late(alice, clock):
    round_ = start(alice, [make_question(time_limit_seconds=600)])
    answer = opened(round_)
    clock.shift(timedelta(minutes=12))

    submission = services.submit_answer(answer=answer, text="Better late than never.")

    answer.refresh_from_db()
    assert submission.late
    assert (answer.text, answer.is_late, answer.auto_submitted) == (
        "Better late than never.",
        True,
        False,
    )
    assert answer.time_used_seconds == 12 * 60


def test_text_arriving_after_the_server_submitted_the_draft_is_kept_as_late(
    alice, clock, django_capture_on_commit_callbacks
):
    round_ = start(alice, [make_question(time_limit_seconds=600)])
    answer = opened(round_)
    drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="Draft.")
    clock.shift(timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_expired_answers() == 1

    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submit_answer(answer=answer, text="Draft. And a last thought.")
        again = services.submit_answer(answer=answer, text="Something else entirely.")

    answer.refresh_from_db()
    assert not submission.created and submission.late and not again.created
    assert (answer.text, answer.late_text) == ("Draft.", "Draft. And a last thought.")
    assert answer.is_late and answer.auto_submitted
    assert Feedback.objects.filter(answer=answer).count() == 1


def test_double_submit_is_idempotent(alice, django_capture_on_commit_callbacks):
    round_ = start(alice, [make_question()])
    answer = opened(round_)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit_answer(answer=answer, text="Once.")
        second = services.submit_answer(answer=answer, text="Once.")

    assert first.created and not second.created
    assert Feedback.objects.filter(answer=answer).count() == 1
    assert len(FixedScorer.calls) == 2  # the quick pass and one scoring, not a second of each
    assert Answer.objects.filter(follow_up_of=answer).count() == 1


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_answer_is_refused_and_nothing_submitted(alice, text):
    round_ = start(alice, [make_question()])
    answer = opened(round_)

    with pytest.raises(RoundError, match="Your answer is empty") as refused:
        services.submit_answer(answer=answer, text=text)

    assert refused.value.status == 422
    answer.refresh_from_db()
    assert not answer.is_submitted
    assert not Answer.objects.filter(follow_up_of=answer).exists()


def test_empty_answer_when_time_is_up_submits_the_saved_draft(alice, clock):
    round_ = start(alice, [make_question(time_limit_seconds=600)])
    answer = opened(round_)
    drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=answer.pk, text="Draft.")
    clock.shift(timedelta(minutes=10))

    services.submit_answer(answer=answer, text="")

    answer.refresh_from_db()
    assert (answer.text, answer.auto_submitted, answer.time_used_seconds) == ("Draft.", True, 600)


def test_oversized_answer_is_kept_as_the_draft_and_not_submitted(alice, clock):
    round_ = start(alice, [make_question()])
    answer = opened(round_)
    text = "word " * 4_001  # 20,005 characters

    with pytest.raises(RoundError) as refused:
        services.submit_answer(answer=answer, text=text)

    assert refused.value.message == (
        f"Your answer is 20,005 characters; the limit is {MAX_ANSWER_CHARS:,}. "
        "It is saved as your draft: shorten it and submit again."
    )
    answer.refresh_from_db()
    assert answer.draft == text and answer.draft_saved_at == T0
    assert not answer.is_submitted and answer.text == ""


def test_answer_to_a_finished_round_changes_nothing(alice):
    round_ = start(alice, [make_question(), make_question()])
    opened(round_)
    services.finish_round(round_=round_)
    second = round_.answers.get(position=2)

    with pytest.raises(RoundError, match="round is finished") as refused:
        services.submit_answer(answer=second, text="Too late to the party.")

    assert refused.value.status == 409
    second.refresh_from_db()
    assert not second.is_submitted and second.text == ""


def test_unopened_answer_cannot_be_submitted(alice):
    round_ = start(alice, [make_question()])
    answer = round_.answers.get()

    with pytest.raises(RoundError, match="not been opened"):
        services.submit_answer(answer=answer, text="Skipping ahead.")


# The server closes expired answers


def test_close_expired_answers_submits_drafts_of_closed_tabs(
    alice, bob, clock, django_capture_on_commit_callbacks
):
    expired_round = start(alice, [make_question(slug="a", time_limit_seconds=600)])
    expired = opened(expired_round)
    drafts.save_draft(
        candidate=alice, round_id=expired_round.pk, answer_id=expired.pk, text="premature_scaling"
    )
    clock.shift(timedelta(minutes=5, seconds=2))
    in_grace = opened(start(bob, [make_question(slug="b", time_limit_seconds=300)]))
    # Now T0 + 10:11: a is 11 s past its deadline, b 9 s past its own, still within the grace.
    clock.shift(timedelta(minutes=5, seconds=9))

    with django_capture_on_commit_callbacks(execute=True):
        closed = services.close_expired_answers()

    assert closed == 1
    expired.refresh_from_db()
    assert (expired.text, expired.auto_submitted, expired.is_late) == (
        "premature_scaling",
        True,
        False,
    )
    assert expired.time_used_seconds == 600
    assert expired.follow_up.prompt.endswith("What would you validate first, and where?")
    assert Feedback.objects.filter(answer=expired).exists()
    in_grace.refresh_from_db()
    assert not in_grace.is_submitted
    assert services.close_expired_answers() == 0


def test_close_expired_answers_leaves_unopened_and_finished_rounds(alice, clock):
    unopened = start(alice, [make_question(slug="a")]).answers.get()
    finished_round = start(alice, [make_question(slug="b", time_limit_seconds=60)])
    abandoned = opened(finished_round)
    services.finish_round(round_=finished_round)
    clock.shift(timedelta(hours=2))

    assert services.close_expired_answers() == 0
    assert not Answer.objects.get(pk=unopened.pk).is_submitted
    assert not Answer.objects.get(pk=abandoned.pk).is_submitted


def test_the_task_closes_expired_answers(alice, clock):
    answer = opened(start(alice, [make_question(time_limit_seconds=60)]))
    clock.shift(timedelta(minutes=2))

    assert close_expired_answers_task.delay().get() == 1
    assert Answer.objects.get(pk=answer.pk).auto_submitted


# The follow-up


def test_probe_written_for_a_found_failure_mode_comes_first(db):
    question = make_question()
    Probe.objects.create(question=question, order=1, text="General push.")
    Probe.objects.create(
        question=question,
        order=2,
        text="Which single market, and what result unlocks the next?",
        failure_mode_id=question.rubric.failure_modes.get(key="premature_scaling").pk,
    )

    choice = probes.choose_probe(question, ["no_measurement_plan", "premature_scaling"])

    assert choice == probes.ProbeChoice(
        "Which single market, and what result unlocks the next?", "premature_scaling"
    )


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        (["no_measurement_plan"], "How would you know it worked?"),
        (["premature_scaling", "no_measurement_plan"], "What would you validate first, and where?"),
        ([], "General push."),
    ],
)
def test_probe_falls_back_to_the_failure_mode_then_the_general_probe(db, keys, text):
    question = make_question()
    Probe.objects.create(question=question, order=1, text="General push.")

    assert probes.choose_probe(question, keys).text == text


def test_the_most_pressing_failure_mode_is_probed_first(db):
    question = make_question()

    choice = probes.choose_probe(question, ["vanity_metrics", "premature_scaling"])

    assert choice.failure_mode == "premature_scaling"


@pytest.mark.parametrize(
    ("text", "probe"),
    [
        (
            "We launch globally in every market at once with a massive PR push and a big "
            "creator event. Everyone gets it on day one.",
            "What would you validate first, and where?",
        ),
        (
            "My recommendation is to launch duets with a creator campaign. We would partner with "
            "30 mid-size creators in Canada who struggle to find collaborators, give them early "
            "access for a month, and feature their duets in the For You feed.",
            "How would you know it worked?",
        ),
    ],
)
def test_the_real_heuristic_picks_the_interviewers_push(alice, monkeypatch, text, probe):
    monkeypatch.setattr(probes, "QUICK_SCORER", "heuristic")
    call_command("loaddata", "fixtures/failure_modes.json", "fixtures/rubrics.json", verbosity=0)
    question = QuestionFactory(
        rubric=Rubric.objects.get(slug="gtm-strategy"),
        kind="gtm",
        prompt="How would you bring the duet feature to market?",
    )
    answer = opened(start(alice, [question]))

    services.submit_answer(answer=answer, text=text)

    # The probe quotes the candidate's own sentence that prompted it, then asks.
    assert answer.follow_up.prompt.startswith("You said: “")
    assert answer.follow_up.prompt.endswith(probe)


def test_probe_without_any_probe_or_finding_is_the_default(db):
    assert probes.choose_probe(make_question(), []).text == probes.DEFAULT_PROBE


def test_follow_up_is_chosen_from_the_quick_pass(alice):
    round_ = start(alice, [make_question()])
    answer = opened(round_)

    services.submit_answer(answer=answer, text="We ship it; no_measurement_plan needed.")

    assert answer.follow_up.prompt.endswith("How would you know it worked?")
    assert answer.follow_up.kind == answer.kind


def test_a_broken_quick_pass_still_asks_a_follow_up(alice, monkeypatch):
    monkeypatch.setattr(probes, "QUICK_SCORER", "broken")
    answer = opened(start(alice, [make_question()]))

    services.submit_answer(answer=answer, text="An answer.")

    assert answer.follow_up.prompt == probes.DEFAULT_PROBE


def test_both_answers_are_scored(alice, django_capture_on_commit_callbacks):
    round_ = start(alice, [make_question()])
    main = opened(round_)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_answer(answer=main, text="We go global at once: premature_scaling.")
    follow_up = opened(round_)
    assert follow_up.follow_up_of == main

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_answer(answer=follow_up, text="Canada first, for six weeks.")

    assert set(Feedback.objects.values_list("answer", flat=True)) == {main.pk, follow_up.pk}
    assert selectors.current_step(round_) is None


# Finishing and the summary


def test_current_step_walks_questions_and_follow_ups_in_order(alice):
    round_ = start(alice, [make_question("product_sense"), make_question("gtm")])
    steps = []
    while step := selectors.current_step(round_):
        steps.append((step.position, step.is_follow_up))
        services.submit_answer(answer=services.open_answer(answer=step), text="An answer.")

    assert steps == [(1, False), (1, True), (2, False), (2, True)]


def test_finish_round_submits_opened_drafts_and_leaves_the_rest(alice, clock):
    round_ = start(alice, [make_question(), make_question()])
    first = opened(round_)
    drafts.save_draft(candidate=alice, round_id=round_.pk, answer_id=first.pk, text="Half.")
    clock.shift(timedelta(minutes=2))

    finished = services.finish_round(round_=round_)
    services.finish_round(round_=round_)

    first.refresh_from_db()
    assert finished.finished_at == T0 + timedelta(minutes=2)
    assert (first.text, first.auto_submitted, first.time_used_seconds) == ("Half.", True, 120)
    assert not Answer.objects.filter(follow_up_of=first).exists()
    assert not round_.answers.get(position=2).is_submitted
