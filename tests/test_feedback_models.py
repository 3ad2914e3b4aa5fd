import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from feedback.models import CriterionScore, FailureModeHit, Feedback
from rubrics.models import FailureMode
from tests.factories import AnswerFactory, QuestionFactory
from tests.scoring_helpers import install_test_scorers, make_rubric


@pytest.fixture
def answer(db):
    return AnswerFactory(question=QuestionFactory(rubric=make_rubric()))


def feedback_for(answer, **fields):
    values = {"scorer": "heuristic", "scorer_version": "1", "started_at": timezone.now()}
    return Feedback.objects.create(answer=answer, duration_ms=12, **(values | fields))


def test_one_feedback_per_answer_and_scorer_version(answer):
    feedback_for(answer)
    feedback_for(answer, scorer_version="2")
    feedback_for(answer, scorer="llm")

    with pytest.raises(IntegrityError), transaction.atomic():
        feedback_for(answer)

    assert Feedback.objects.count() == 3


@pytest.mark.parametrize("overall", ["0.99", "5.01"])
def test_overall_stays_between_one_and_five(answer, overall):
    with pytest.raises(IntegrityError), transaction.atomic():
        feedback_for(answer, overall=overall)


@pytest.mark.parametrize(("score", "max_score"), [(0, 5), (6, 5), (4, 3)])
def test_criterion_scores_stay_in_range(answer, score, max_score):
    feedback = feedback_for(answer)

    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionScore.objects.create(
            feedback=feedback, key="k", label="K", score=score, max_score=max_score
        )


def test_one_score_per_criterion_and_one_hit_per_failure_mode(answer):
    feedback = feedback_for(answer)
    mode = FailureMode.objects.get(key="premature_scaling")
    CriterionScore.objects.create(feedback=feedback, key="k", label="K", score=3)
    FailureModeHit.objects.create(feedback=feedback, failure_mode=mode)

    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionScore.objects.create(feedback=feedback, key="k", label="K", score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        FailureModeHit.objects.create(feedback=feedback, failure_mode=mode)


def test_feedback_goes_with_its_answer_and_keeps_its_failure_modes(answer):
    feedback = feedback_for(answer)
    mode = FailureMode.objects.get(key="premature_scaling")
    CriterionScore.objects.create(feedback=feedback, key="k", label="K", score=3)
    FailureModeHit.objects.create(feedback=feedback, failure_mode=mode)

    with pytest.raises(ProtectedError):
        mode.delete()
    answer.delete()

    assert not Feedback.objects.exists()
    assert not CriterionScore.objects.exists()
    assert not FailureModeHit.objects.exists()


def test_criterion_scores_outlive_an_edited_rubric(answer):
    feedback = feedback_for(answer)
    criterion = answer.question.rubric.criteria.first()
    CriterionScore.objects.create(
        feedback=feedback, criterion=criterion, key=criterion.key, label="Staged", score=2
    )

    criterion.delete()

    score = CriterionScore.objects.get()
    assert (score.criterion, score.key, score.label) == (None, "staging", "Staged")


@pytest.fixture
def scored(answer, monkeypatch):
    from feedback import services

    install_test_scorers(monkeypatch)
    answer.text = "premature_scaling"
    answer.save()
    return services.score_answer(answer.pk, "fixed")


def test_admin_lists_feedback_filtered_by_failure_mode(client, admin_user, scored):
    mode = FailureMode.objects.get(key="premature_scaling")
    client.force_login(admin_user)

    hit = client.get(
        f"/admin/feedback/feedback/?failure_mode_hits__failure_mode__id__exact={mode.pk}"
    )
    other = FailureMode.objects.get(key="vanity_metrics")
    miss = client.get(
        f"/admin/feedback/feedback/?failure_mode_hits__failure_mode__id__exact={other.pk}"
    )

    assert hit.status_code == 200
    assert list(hit.context["cl"].result_list) == [scored]
    assert list(miss.context["cl"].result_list) == []


def test_admin_shows_feedback_read_only_with_its_rows(client, admin_user, scored):
    client.force_login(admin_user)

    page = client.get(f"/admin/feedback/feedback/{scored.pk}/change/")
    post = client.post(f"/admin/feedback/feedback/{scored.pk}/change/", {"error": "edited"})
    add = client.get("/admin/feedback/feedback/add/")

    assert page.status_code == 200
    assert "Staged launch" in page.text
    assert "What a stronger answer says instead." in page.text
    assert 'name="error"' not in page.text
    assert post.status_code == 403
    assert add.status_code == 403
    scored.refresh_from_db()
    assert scored.error == ""


def test_admin_denies_charlie(client, charlie, scored):
    client.force_login(charlie)

    response = client.get("/admin/feedback/feedback/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
