"""Agreement figures on a small set whose answers are worked out by hand below."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from coaching import agreement, services
from coaching.selectors import agreement_inputs
from tests.coaching_helpers import link, transcript

DAY = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
P, V, N = "premature_scaling", "vanity_metrics", "no_measurement_plan"
QUOTE = {P: "We launch worldwide on day one", V: "views and likes"}


def reviewed(candidate, coach, *, found, scores, coach_scores, add=(), remove=(), when=DAY):
    main = transcript(
        candidate,
        follow_up=False,
        hits={key: [QUOTE[key]] for key in found},
        scores=scores,
    )
    review = services.start_review(answer=main, coach=coach)
    services.set_scores(review=review, scores={(main.pk, k): v for k, v in coach_scores.items()})
    for key in add:
        services.flag(
            review=review,
            answer_id=main.pk,
            failure_mode_key=key,
            action="add",
            reason=f"missed {key}",
        )
    for key in remove:
        services.flag(
            review=review,
            answer_id=main.pk,
            failure_mode_key=key,
            action="remove",
            reason=f"wrong {key}",
        )
    services.mark_reviewed(review=review, comment="", now=when)
    return main


@pytest.fixture
def known_set(alice, bob):
    """Four reviewed answers; every rubric has the three failure modes P, V and N.

    answer  scorer found  coach changed        coach's final  staging s/c  metrics s/c
    T1      P, V          -V, +N               P, N           2 / 1        3 / 3
    T2      V             nothing              V              4 / 4        4 / 2
    T3      nothing       +P                   P              3 / 3        3 / 3
    T4      P             nothing              P              5 / 3        1 / 1
    """
    link(alice, bob)
    t1 = reviewed(
        alice,
        bob,
        found=[P, V],
        scores={"staging": 2, "metrics": 3},
        coach_scores={"staging": 1},
        add=[N],
        remove=[V],
    )
    t2 = reviewed(
        alice, bob, found=[V], scores={"staging": 4, "metrics": 4}, coach_scores={"metrics": 2}
    )
    t3 = reviewed(
        alice, bob, found=[], scores={"staging": 3, "metrics": 3}, coach_scores={}, add=[P]
    )
    t4 = reviewed(
        alice, bob, found=[P], scores={"staging": 5, "metrics": 1}, coach_scores={"staging": 3}
    )
    # Neither of these counts: one is still a draft, one was finished before the period.
    draft = transcript(alice, follow_up=False)
    services.flag(
        review=services.start_review(answer=draft, coach=bob),
        answer_id=draft.pk,
        failure_mode_key=N,
        action="add",
        reason="draft",
    )
    reviewed(
        alice,
        bob,
        found=[P],
        scores={"staging": 1, "metrics": 1},
        coach_scores={"staging": 5},
        remove=[P],
        when=DAY - timedelta(days=40),
    )
    return t1, t2, t3, t4


PERIOD = (date(2026, 3, 1), date(2026, 3, 31))


def test_failure_mode_figures_match_the_hand_count(known_set):
    items, _ = agreement_inputs(*PERIOD)
    figures = {m.failure_mode: m for m in agreement.mode_agreement(items)}

    # P: T1 both, T2 neither, T3 only the coach, T4 both.
    p = figures[P]
    assert (p.tp, p.fp, p.fn, p.tn) == (2, 0, 1, 1)
    assert p.precision == 1.0
    assert p.recall == pytest.approx(2 / 3)
    # observed 3/4; chance 2/4 * 3/4 + 2/4 * 1/4 = 1/2; kappa (3/4 - 1/2) / (1 - 1/2)
    assert p.kappa == pytest.approx(0.5)

    # V: T1 only the scorer, T2 both, T3 and T4 neither.
    v = figures[V]
    assert (v.tp, v.fp, v.fn, v.tn) == (1, 1, 0, 2)
    assert (v.precision, v.recall) == (0.5, 1.0)
    # observed 3/4; chance 2/4 * 1/4 + 2/4 * 3/4 = 1/2
    assert v.kappa == pytest.approx(0.5)

    # N: only the coach found it, once; the scorer never did, so precision is undefined.
    n = figures[N]
    assert (n.tp, n.fp, n.fn, n.tn) == (0, 0, 1, 3)
    assert n.precision is None and n.recall == 0.0
    # observed 3/4; chance 0 * 1/4 + 1 * 3/4 = 3/4; kappa 0: no better than chance
    assert n.kappa == pytest.approx(0.0)


def test_criterion_figures_match_the_hand_count(known_set):
    _, pairs = agreement_inputs(*PERIOD)
    figures = {c.criterion: c for c in agreement.criterion_agreement(pairs)}
    # staging: |2-1| + |4-4| + |3-3| + |5-3| = 3 over 4 answers
    assert figures["staging"].mean_absolute_difference == pytest.approx(0.75)
    assert (figures["staging"].n, figures["staging"].changed) == (4, 2)
    # metrics: |3-3| + |4-2| + |3-3| + |1-1| = 2 over 4
    assert figures["metrics"].mean_absolute_difference == pytest.approx(0.5)
    assert (figures["metrics"].n, figures["metrics"].changed) == (4, 1)


def test_disagreements_point_at_their_transcripts(known_set):
    t1, t2, t3, t4 = known_set
    items, pairs = agreement_inputs(*PERIOD)
    found = {
        (d.transcript_id, d.what, d.key, d.scorer, d.coach, d.reason)
        for d in agreement.disagreements(items, pairs, {})
    }
    assert found == {
        (t1.pk, "failure_mode", V, "found", "not found", f"wrong {V}"),
        (t1.pk, "failure_mode", N, "not found", "found", f"missed {N}"),
        (t3.pk, "failure_mode", P, "not found", "found", f"missed {P}"),
        (t1.pk, "criterion", "staging", "2", "1", ""),
        (t2.pk, "criterion", "metrics", "4", "2", ""),
        (t4.pk, "criterion", "staging", "5", "3", ""),
    }


def test_kappa_on_a_textbook_table():
    # 50 items: both yes 20, both no 15, only the first rater 5, only the second 10.
    # observed 0.7; chance 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa 0.2 / 0.5
    assert agreement.cohen_kappa(tp=20, fp=5, fn=10, tn=15) == pytest.approx(0.4)
    assert agreement.cohen_kappa(tp=3, fp=0, fn=0, tn=3) == pytest.approx(1.0)
    assert agreement.cohen_kappa(tp=0, fp=3, fn=3, tn=0) == pytest.approx(-1.0)
    assert agreement.cohen_kappa(tp=0, fp=0, fn=0, tn=4) is None  # both always said no
    assert agreement.cohen_kappa(0, 0, 0, 0) is None


def test_follow_ups_are_judged_as_answers_of_their_own(alice, bob):
    link(alice, bob)
    main = transcript(alice, hits={}, follow_up_hits={V: ["impressions every week"]})
    review = services.start_review(answer=main, coach=bob)
    services.flag(
        review=review,
        answer_id=main.follow_up.pk,
        failure_mode_key=V,
        action="remove",
        reason="It is a diagnostic here.",
    )
    services.mark_reviewed(review=review, comment="", now=DAY)
    items, pairs = agreement_inputs(*PERIOD)
    by_answer = {(j.answer_id, j.failure_mode): (j.scorer, j.coach) for j in items}
    assert by_answer[(main.follow_up.pk, V)] == (True, False)
    assert by_answer[(main.pk, V)] == (False, False)
    assert len(items) == 6 and len(pairs) == 4  # 3 modes and 2 criteria on each answer


def test_the_page_shows_table_chart_and_links(client, admin_user, known_set):
    t1 = known_set[0]
    client.force_login(admin_user)
    response = client.get(
        reverse("coaching:agreement"), {"since": "2026-03-01", "until": "2026-03-31"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>4</strong> finished reviews" in html
    assert 'role="img"' in html and '<title id="mode-chart-title">' in html
    assert "<td>2</td><td>0</td><td>1</td><td>1</td>" in html  # P's counts
    assert "<td>0.67</td>" in html and "<td>0.75</td>" in html  # P's recall, staging MAE
    assert f'href="{reverse("coaching:transcript", args=[t1.pk])}"' in html


def test_the_page_refuses_a_backwards_period(client, admin_user, known_set):
    client.force_login(admin_user)
    response = client.get(
        reverse("coaching:agreement"), {"since": "2026-03-31", "until": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "start date must be on or before the end date" in response.content.decode()
