"""Demo data for `make run`: the demo candidate's scored rounds and a coach's review of one,
so that every page (rounds, summaries, feedback, the coach's queue, agreement) has something
to show. The answers are written for three go-to-market questions of the shipped bank, from
weak to strong, and scored by the heuristic scorer as any answer is.

Seeding is idempotent: a candidate who already has rounds is left as they are.
"""

import dataclasses
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching import services as coaching
from coaching.models import CoachLink, Review
from feedback.services import score_answer
from questions.models import Question
from rounds import services as rounds
from rounds.models import Answer, Round

AVATAR = "ai-avatar-tool-not-ready-for-broad-launch"
BRAND_LOVE = "brand-love-retention-claim-mexico"
SUBSCRIPTIONS = "creator-subscriptions-launch-germany-france"

WEAK_AVATAR = (
    "This is a big opportunity and we should go all in. I would announce the avatar tool "
    "globally at the creator event and launch in every market at once, with a big PR push and "
    "a creator fund so the top creators post avatar videos in the first week.\n\n"
    "Success would be page views on the launch post, likes on avatar videos and app downloads "
    "in the first month. If we get a lot of buzz the product will grow by itself, and we can "
    "fix the unsettling videos later with a better model."
)
WEAK_BRAND_LOVE = (
    "The campaign clearly worked: retention went from 34% to 39% during the campaign, which "
    "is a big jump, and the campaign lead knows the market well. Brand love is real and "
    "people who feel good about the brand stay longer.\n\n"
    "I would fund the larger version across Latin America right away, starting with Brazil "
    "and Argentina at the same time, and keep the same mix of TV, outdoor and in-app. We can "
    "track awareness and follower growth to show it is still working."
)
FAIR_SUBSCRIPTIONS = (
    "I would start with mid-size educational creators in Germany, people with 50k to 500k "
    "followers who teach languages, cooking or exam prep. Gifts pay them little because their "
    "viewers are not in live streams, and a monthly subscription fits a course-like series.\n\n"
    "Fans already pay on three other platforms, so our pitch has to be reach: a subscriber "
    "can discover the creator in the For You feed and pay in two taps. I worry about the 22% "
    "of subscribers who cancel within 30 days and about our 30% share against rivals' 10-30%.\n\n"
    "Plan: invite 300 German education creators for eight weeks, with subscriber-only lessons "
    "and a lower 20% share for the pilot. We will measure sign-ups and the number of "
    "subscribe page views, and then roll out to France."
)
STRONG_AVATAR = (
    "My recommendation is no global launch at the creator event. The beta says the tool is "
    "not ready: only 9% of creators made three or more avatar videos, watch-through is 20% "
    "below their usual videos, and viewers flagged 14% of avatar videos as unsettling or "
    "misleading. Widening it before those numbers move would multiply a trust problem, not "
    "fix it.\n\n"
    "Instead I would narrow the use case to where an avatar helps: dubbing a creator's "
    "existing videos into another language, where the creator's own face and voice make the "
    "translation feel personal. Every avatar video carries a visible label, and viewers can "
    "report it in one tap.\n\n"
    "Stage it: 1,000 Canadian creators who already post in two languages, for six weeks. The "
    "gate to widen is watch-through within 5% of the creator's usual videos, flags under 3% "
    "of avatar videos, and 20% of creators making three or more in a month. If the flag rate "
    "stays above 5% after the fixes, we stop and rework the model.\n\n"
    "At the event we announce the dubbing pilot and the labelling policy, which is true and "
    "gives creators something to sign up for. Marketing and trust and safety write the label "
    "and the pilot story with product from the start, not after launch."
)


@dataclasses.dataclass(frozen=True)
class DemoAnswer:
    question: str  # slug
    text: str
    follow_up: str
    minutes: int  # how long the candidate took


# Oldest first: the avatar question comes back at the end, answered well this time.
DEMO_ROUNDS: list[tuple[int, list[DemoAnswer]]] = [
    (
        9,
        [
            DemoAnswer(
                AVATAR,
                WEAK_AVATAR,
                "I would look at downloads and likes every day after the launch, and if they "
                "are high we know it worked.",
                11,
            ),
            DemoAnswer(
                BRAND_LOVE,
                WEAK_BRAND_LOVE,
                "The retention number went up while the campaign ran, so the campaign caused it.",
                9,
            ),
        ],
    ),
    (
        5,
        [
            DemoAnswer(
                SUBSCRIPTIONS,
                FAIR_SUBSCRIPTIONS,
                "Success in the pilot is median monthly earnings per creator above 200 euros and "
                "60% of subscribers still paying after 60 days; below that we do not go to France.",
                17,
            ),
        ],
    ),
    (
        1,
        [
            DemoAnswer(
                AVATAR,
                STRONG_AVATAR,
                "Yes or no: no global announcement in seven weeks. We announce the labelled "
                "dubbing pilot instead and widen only when the flag rate is under 3%.",
                19,
            ),
        ],
    ),
]
COACH_COMMENT = (
    "Good instinct to move fast, but the beta tells you not to: read the 14% flag rate and the "
    "weak repeat use first, then pick one market and one use case. Redo this with a pilot and "
    "the numbers that would let you widen it."
)
PASSAGE_COMMENT = "Which market first, and what result would make you add the next one?"
PASSAGE = "launch in every market at once"


@dataclasses.dataclass(frozen=True)
class Seeded:
    rounds: int
    answers: int
    reviews: int


def seed_demo_data(
    *, candidate: User, coach: User, admin: User, now: datetime | None = None
) -> Seeded | None:
    """The demo rounds and review; None when the candidate already has rounds (or the bank
    lacks the questions: load it first)."""
    now = now or timezone.now()
    questions = {
        q.slug: q for q in Question.objects.filter(slug__in=[AVATAR, BRAND_LOVE, SUBSCRIPTIONS])
    }
    if len(questions) < 3 or Round.objects.filter(candidate=candidate).exists():
        return None
    # All or nothing, so that a failed run is simply run again.
    with transaction.atomic():
        mains = [
            main
            for days, plan in DEMO_ROUNDS
            for main in _answered_round(
                candidate, [(questions[a.question], a) for a in plan], now - timedelta(days=days)
            )
        ]
        for answer in Answer.objects.filter(round__candidate=candidate):
            score_answer(answer.pk, "heuristic")
        reviews = _review(mains[0], candidate=candidate, coach=coach, admin=admin, now=now)
    return Seeded(rounds=len(DEMO_ROUNDS), answers=len(mains), reviews=reviews)


def _answered_round(
    candidate: User, plan: list[tuple[Question, DemoAnswer]], started: datetime
) -> list[Answer]:
    """A finished round in which the candidate answered each question and its follow-up."""
    round_ = rounds.start_practice(candidate=candidate, questions=[q for q, _ in plan])
    Round.objects.filter(pk=round_.pk).update(created_at=started)
    at = started
    mains = []
    for main, (_, demo) in zip(round_.answers.order_by("position"), plan, strict=True):
        at = _answer(main, demo.text, at, minutes=demo.minutes)
        at = _answer(main.follow_up, demo.follow_up, at, minutes=2)
        mains.append(main)
    rounds.finish_round(round_=round_, now=at)
    return mains


def _answer(answer: Answer, text: str, at: datetime, *, minutes: int) -> datetime:
    rounds.open_answer(answer=answer, now=at)
    done = at + timedelta(minutes=minutes)
    rounds.submit_answer(answer=answer, text=text, now=done)
    answer.refresh_from_db()
    return done + timedelta(minutes=1)


def _review(answer: Answer, *, candidate: User, coach: User, admin: User, now: datetime) -> int:
    """The coach's finished review of the weakest answer: one score changed, a comment on a
    passage and one on the whole answer. The strong retry stays in the queue, to review."""
    if not CoachLink.objects.active().filter(candidate=candidate, coach=coach).exists():
        coaching.assign_coach(candidate=candidate, coach=coach, by=admin, now=now)
    review = coaching.start_review(answer=answer, coach=coach)
    score = review.scores.filter(answer=answer).order_by("order").first()
    if score is not None:
        new = score.scorer_score + 1 if score.scorer_score < 5 else score.scorer_score - 1
        coaching.set_scores(review=review, scores={(answer.pk, score.key): new})
    start = answer.text.find(PASSAGE)
    if start >= 0:
        coaching.add_comment(
            review=review,
            answer_id=answer.pk,
            text=PASSAGE_COMMENT,
            start=start,
            end=start + len(PASSAGE),
            quote=PASSAGE,
        )
    coaching.mark_reviewed(review=review, comment=COACH_COMMENT, now=now)
    return Review.objects.filter(answer__candidate=candidate).count()
