"""Each bank question's exemplary answer: strong under our own scorer, kept by import and export,
annotated with the scorer's own evidence, and shown only after the candidate's attempt."""

import json
import re

import pytest
from django.urls import reverse

from feedback.exemplars import exemplar_for
from questions.bank_io import export_bank, import_bank
from questions.models import Question
from rounds import services
from rounds.models import Answer
from scoring.heuristic import HeuristicScorer
from scoring.heuristic.fixture_specs import bank_questions, question_spec, rubric_specs
from tests.bank_files import question, small_bank, write

BAR = 4.5

QUESTIONS = bank_questions()
WITH_EXEMPLAR = [q for q in QUESTIONS if q.get("exemplary_answer", "").strip()]
RUBRICS = rubric_specs()
SCORER = HeuristicScorer()
SLUG = "multi-guest-live-localization-safety-norms"


def _scored(fields: dict):
    rubric = RUBRICS[fields["rubric"][0]]
    return SCORER.score(rubric, question_spec(fields), fields["exemplary_answer"])


# The bank, without a database


def test_every_question_has_an_exemplary_answer():
    assert [q["slug"] for q in QUESTIONS if not q.get("exemplary_answer", "").strip()] == []


@pytest.mark.parametrize("fields", WITH_EXEMPLAR, ids=lambda f: f["slug"])
def test_each_exemplary_answer_scores_at_least_4_5_with_no_failure_mode(fields):
    result = _scored(fields)

    assert [f.key for f in result.failure_modes] == [], fields["slug"]
    assert result.overall >= BAR, (fields["slug"], result.overall)


def test_the_annotation_is_the_scorers_own_evidence():
    for fields in WITH_EXEMPLAR:
        text = fields["exemplary_answer"]
        for criterion in _scored(fields).criteria:
            # A criterion at full marks says where; every quote is the text at its offsets.
            assert criterion.evidence or criterion.score < 5, (fields["slug"], criterion.key)
            for evidence in criterion.evidence:
                assert text[evidence.start : evidence.end] == evidence.quote


def test_an_off_topic_answer_carries_no_criterion_evidence():
    fields = next(q for q in WITH_EXEMPLAR if q["slug"] == SLUG)
    other = next(q for q in WITH_EXEMPLAR if q["slug"] == "teen-late-night-scrolling")

    result = SCORER.score(
        RUBRICS[fields["rubric"][0]], question_spec(fields), other["exemplary_answer"]
    )

    assert result.fit["verdict"] == "off_topic"
    assert all(c.evidence == [] for c in result.criteria)


# Import and export


@pytest.mark.django_db
def test_import_and_export_keep_it_right_after_intent(tmp_path):
    files = small_bank(tmp_path / "in")
    gtm = tmp_path / "in" / "questions" / "gtm.json"
    records = json.loads(gtm.read_text())
    records[0]["fields"]["exemplary_answer"] = "Start in one market; ship only if it clears 5%."
    write(gtm, records)

    import_bank(files)
    export_bank(directory=tmp_path / "out")

    assert Question.objects.get(slug="a-launch").exemplary_answer.startswith("Start in one")
    exported = tmp_path / "out" / "questions" / "gtm.json"
    assert exported.read_bytes() == gtm.read_bytes()
    names = list(json.loads(exported.read_text())[0]["fields"])
    assert names.index("exemplary_answer") == names.index("intent") + 1


@pytest.mark.django_db
def test_a_question_without_one_still_imports(tmp_path):
    files = small_bank(tmp_path)
    record = question("no-exemplar")
    del record["fields"]["exemplary_answer"]
    files.append(write(tmp_path / "extra.json", [record]))

    import_bank(files)

    assert Question.objects.get(slug="no-exemplar").exemplary_answer == ""


# What the candidate sees, and when


@pytest.fixture
def one_question(gtm_bank):
    """Rounds of the shipped bank draw only the question under test."""
    Question.objects.exclude(slug=SLUG).update(is_published=False)
    return Question.objects.get(slug=SLUG)


def _first_words(question_: Question) -> str:
    return " ".join(question_.exemplary_answer.split()[:5])


def _answered_main(candidate) -> Answer:
    round_ = services.start_round(candidate=candidate, kinds=["gtm"], count=1)
    answer = services.open_answer(answer=round_.answers.get())
    services.submit_answer(answer=answer, text="I would launch in Germany first.")
    return answer


def _feedback(answer: Answer) -> str:
    return reverse("practice:feedback", args=[answer.round_id, answer.pk])


def _transcript(answer: Answer) -> str:
    return reverse("practice:answer", args=[answer.round_id, answer.pk])


def test_it_is_not_shown_before_the_attempt(client, alice, one_question):
    client.force_login(alice)
    exemplar = _first_words(one_question)
    bank = client.get(reverse("questions:bank"))
    detail = client.get(one_question.get_absolute_url())
    assert SLUG in bank.text and one_question.prompt in detail.text
    assert exemplar not in bank.text and exemplar not in detail.text

    round_ = services.start_round(candidate=alice, kinds=["gtm"], count=1)
    answer = services.begin_round(round_=round_)
    page = client.get(_transcript(answer))
    assert one_question.prompt in page.text and "<textarea" in page.text
    assert exemplar not in page.text and "A strong answer to compare with" not in page.text


def test_it_waits_for_the_follow_up_then_shows_on_the_feedback_page(client, alice, one_question):
    client.force_login(alice)
    answer = _answered_main(alice)
    follow_up = Answer.objects.get(follow_up_of=answer)
    exemplar = _first_words(one_question)
    for url in (_feedback(answer), _transcript(answer)):
        assert exemplar not in client.get(url).text  # the follow-up is still to answer

    services.submit_answer(
        answer=services.open_answer(answer=follow_up), text="Reports under 1.2 per 1,000."
    )

    for url in (_feedback(answer), _feedback(follow_up), _transcript(answer)):
        page = client.get(url)
        assert page.status_code == 200
        assert "A strong answer to compare with" in page.text and exemplar in page.text
    page = client.get(_feedback(answer)).text
    # Each criterion is listed with where the answer meets it; the text's marks link to them.
    assert 'class="criteria-met"' in page and "Where: “" in page
    assert re.search(r'<mark class="credit" data-keys="[a-z_ ]*\bprioritization\b', page)
    assert f'<a href="#exemplar-{answer.pk}-audience_focus">' in page
    assert f'id="exemplar-{answer.pk}-prioritization"' in page
    assert '<span class="visually-hidden">criteria </span>' in page


def test_ending_the_round_shows_it_without_the_follow_up(client, alice, one_question):
    client.force_login(alice)
    answer = _answered_main(alice)
    services.finish_round(round_=answer.round)

    assert "A strong answer to compare with" in client.get(_feedback(answer)).text


def test_it_denies_charlie(client, alice, charlie, one_question):
    answer = _answered_main(alice)
    services.finish_round(round_=answer.round)
    client.force_login(charlie)

    assert client.get(_feedback(answer)).status_code == 404
    assert client.get(_transcript(answer)).status_code == 404


def test_a_question_without_one_shows_nothing(client, alice, one_question):
    Question.objects.filter(pk=one_question.pk).update(exemplary_answer="")
    client.force_login(alice)
    answer = _answered_main(alice)
    services.finish_round(round_=answer.round)

    page = client.get(_feedback(answer))

    assert page.status_code == 200 and "A strong answer to compare with" not in page.text


def test_annotating_costs_four_queries_whatever_its_length(one_question, django_assert_num_queries):
    # The question's rubric, then the rubric's spec: the rubric, its criteria, its failure modes.
    with django_assert_num_queries(4):
        exemplar = exemplar_for(one_question, prefix="x")

    assert exemplar is not None and exemplar.overall >= BAR
    assert [c.number for c in exemplar.criteria] == list(range(1, len(exemplar.criteria) + 1))
    assert all(c.quotes for c in exemplar.criteria)
