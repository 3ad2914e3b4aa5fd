"""Test-only scorers and helpers for the scoring pipeline tests; nothing here ships.

The scorers are deterministic and small, so a test can say exactly what feedback to expect,
make a scorer fail, or count how often it ran.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from prep.celery import app as celery_app
from scoring import registry
from scoring.types import (
    CriterionResult,
    Evidence,
    FailureModeFinding,
    QuestionSpec,
    RubricSpec,
    ScoreResult,
    weighted_overall,
)

# A full answer to the Shop market question, for tests that give it to another question: long
# enough (over 200 words) for the scorer to judge it off topic on a bank question
# (scoring.fit.SHORT_THRESHOLDS) and on an ad-hoc one, where only its words count.
SHOP_MARKET_ANSWER = (
    "I'd open Shop in Brazil this half. 11% of Brazilian users tapped a product link in the last "
    "30 days, against 4% in Germany and 6% in Japan, so intent is already there. I'd launch with "
    "Pix and instalments, because card checkout loses most first-time buyers, and start with "
    "fashion and beauty sellers in Sao Paulo, where most of those taps came from. Germany waits: "
    "its users buy on marketplaces they trust and returns law makes small sellers nervous. Japan "
    "waits too: convenience-store payment and strict listing rules mean a longer build. I'd judge "
    "Brazil on repeat purchases against a holdout of users who never see shoppable videos, with "
    "refund rate and seller response time as guardrails, and expand to a second market only if "
    "repeat purchases clear 25% after eight weeks. Before launch I'd sign up two hundred sellers "
    "by hand, check their stock and delivery promises, and give each a weekly dashboard of orders, "
    "refunds and reviews. Support in Portuguese has to be ready on day one, because a buyer whose "
    "parcel is late blames the app, not the seller. The biggest risk is counterfeit beauty "
    "products, so listings in that category get reviewed before they go live, and any seller with "
    "two refund disputes in a month is paused until support settles them."
)


class FixedScorer:
    """Every criterion 3; a failure mode is found when its key appears in the answer."""

    name = "fixed"
    version = "1"
    calls: list[tuple[RubricSpec, QuestionSpec, str]] = []
    before_score = None  # a test may hook in here to act between "not scored" and "stored"

    def score(self, rubric, question, answer, *, time_used_seconds=None) -> ScoreResult:
        FixedScorer.calls.append((rubric, question, answer))
        if FixedScorer.before_score:
            FixedScorer.before_score()
        findings = []
        for mode in rubric.failure_modes:
            start = answer.find(mode.key)
            if start >= 0:
                quote = Evidence(start=start, end=start + len(mode.key), quote=mode.key)
                findings.append(
                    FailureModeFinding(mode.key, mode.title, [quote], mode.good_rewrite)
                )
        return ScoreResult(
            scorer=self.name,
            version=self.version,
            overall=weighted_overall(rubric, {c.key: 3 for c in rubric.criteria}),
            criteria=[
                CriterionResult(c.key, c.label, 3, f"{c.label}: adequate") for c in rubric.criteria
            ],
            failure_modes=findings,
            raw={"note": "fixed"},
        )


class BrokenScorer(FixedScorer):
    name = "broken"

    def score(self, rubric, question, answer, *, time_used_seconds=None) -> ScoreResult:
        raise ValueError("the scorer has a bug")


class OutOfRangeScorer(FixedScorer):
    name = "out-of-range"

    def score(self, rubric, question, answer, *, time_used_seconds=None) -> ScoreResult:
        result = super().score(rubric, question, answer)
        result.criteria[0].score = 9
        return result


class FlakyScorer(FixedScorer):
    """Fails with a connection error the first `failures` times, like a network scorer."""

    name = "flaky"
    failures = 1

    def score(self, rubric, question, answer, *, time_used_seconds=None) -> ScoreResult:
        if FlakyScorer.failures > 0:
            FlakyScorer.failures -= 1
            raise ConnectionError("connection reset by peer")
        return super().score(rubric, question, answer)


def install_test_scorers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the scorers above for one test (call it from a fixture)."""
    for scorer in (FixedScorer, BrokenScorer, OutOfRangeScorer, FlakyScorer):
        monkeypatch.setitem(registry.SCORERS, scorer.name, f"{__name__}.{scorer.__name__}")
    monkeypatch.setattr(FixedScorer, "calls", [])
    monkeypatch.setattr(FixedScorer, "before_score", None)
    monkeypatch.setattr(FlakyScorer, "failures", 1)


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Publish tasks for real to `url` (not eagerly), then put the app back as it was."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager

    def reset_pools():
        # The app caches its connection and producer pools for the URL it first used.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    conf.broker_url, conf.task_always_eager = url, False
    reset_pools()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        reset_pools()


# Nothing listens on port 1 of the loopback: connections are refused at once.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def make_rubric(slug: str = "gtm-test", kind: str = "gtm"):
    """A small rubric: two weighted criteria and two failure modes (made once per slug)."""
    from rubrics.models import Rubric
    from tests.factories import CriterionFactory, FailureModeFactory, RubricFactory

    if existing := Rubric.objects.filter(slug=slug).first():
        return existing
    modes = [FailureModeFactory(key="premature_scaling"), FailureModeFactory(key="vanity_metrics")]
    rubric = RubricFactory(slug=slug, kind=kind, failure_modes=modes)
    CriterionFactory(rubric=rubric, key="staging", label="Staged launch", weight="0.600", order=1)
    CriterionFactory(rubric=rubric, key="metrics", label="Outcome metrics", weight="0.400", order=2)
    return rubric
