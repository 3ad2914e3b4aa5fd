from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prep.lib.sources import anchor
from questions.bank_io import import_bank
from questions.models import Probe, Question, Tag
from rubrics.models import Criterion, FailureMode, Rubric
from tests.bank_files import DOC, SECTION, small_bank
from tests.factories import UserFactory

CRITERION_FIELDS = (
    "key",
    "label",
    "aspect",
    "description",
    "order",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
)


@pytest.fixture
def bank(db, tmp_path):
    import_bank(small_bank(tmp_path))


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def ids() -> dict[str, int]:
    return {
        "growth": Tag.objects.get(slug="growth").pk,
        "gtm": Rubric.objects.get(slug="gtm-strategy").pk,
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/questions/question/", 2),
        ("/admin/questions/question/?kind__exact=gtm", 2),
        ("/admin/questions/question/?kind__exact=execution", 0),
        ("/admin/questions/question/?difficulty__exact=2", 2),
        ("/admin/questions/question/?difficulty__exact=3", 0),
        ("/admin/questions/question/?is_published__exact=0", 0),
        (f"/admin/questions/question/?source_document__exact={DOC}", 2),
        ("/admin/questions/question/?source_document__exact=000_4e59fc754dd692e4.txt", 0),
        ("/admin/questions/question/?tags__id__exact={growth}", 1),
        ("/admin/questions/question/?rubric__id__exact={gtm}", 2),
        ("/admin/questions/question/?q=a-launch", 1),
        ("/admin/questions/tag/", 2),
        ("/admin/questions/tag/?q=grow", 1),
        ("/admin/rubrics/rubric/", 1),
        ("/admin/rubrics/rubric/?kind__exact=gtm", 1),
        ("/admin/rubrics/rubric/?kind__exact=behavioral", 0),
        ("/admin/rubrics/rubric/?is_default__exact=1", 1),
        ("/admin/rubrics/rubric/?q=strategy", 1),
        ("/admin/rubrics/failuremode/", 2),
        ("/admin/rubrics/failuremode/?q=vanity", 1),
        ("/admin/rubrics/failuremode/?q=Title of premature", 1),
        (f"/admin/rubrics/failuremode/?source_document__exact={DOC}", 2),
    ],
)
def test_changelists_filter_and_search(staff, bank, url, expected):
    response = staff.get(url.format(**ids()))

    assert response.status_code == 200
    assert response.context["cl"].result_count == expected


def test_changelists_show_what_curators_need(staff, bank):
    questions = staff.get("/admin/questions/question/").content.decode()
    rubrics = staff.get("/admin/rubrics/rubric/").content.decode()
    tags = staff.get("/admin/questions/tag/").content.decode()

    launch = Question.objects.get(slug="a-launch")
    assert f'href="/admin/questions/question/{launch.pk}/preview/"' in questions
    assert f"{DOC} § {SECTION}" in questions
    assert "staging 0.500, measurement 0.250, outcome 0.250" in rubrics
    assert '<td class="field-total_weight">1.000</td>' in rubrics
    assert '<td class="field-question_count">1</td>' in tags


def add_rows(n: int) -> None:
    """More of every model, each with related rows, to show the changelists do not grow N+1."""
    gtm = Rubric.objects.get(slug="gtm-strategy")
    for i in range(n):
        mode = FailureMode.objects.create(
            key=f"mode_{i}",
            title="t",
            description="d",
            why_rejected="w",
            bad_example="b",
            good_rewrite="g",
            source_document=DOC,
            source_section=SECTION,
        )
        rubric = Rubric.objects.create(slug=f"r-{i}", name="R", kind="execution")
        rubric.failure_modes.add(mode)
        Criterion.objects.create(
            rubric=rubric,
            key="only",
            label="Only",
            weight=1,
            level_1="1",
            level_2="2",
            level_3="3",
            level_4="4",
            level_5="5",
        )
        tag = Tag.objects.create(slug=f"tag-{i}", name=f"Tag {i}")
        question = Question.objects.create(
            slug=f"q-{i}",
            kind="gtm",
            title="Q",
            prompt="p",
            intent="i",
            rubric=gtm,
            source_document=DOC,
            source_section=SECTION,
        )
        question.tags.add(tag)
        Probe.objects.create(question=question, text="Why?")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/questions/question/",
        "/admin/questions/tag/",
        "/admin/rubrics/rubric/",
        "/admin/rubrics/failuremode/",
    ],
)
def test_changelist_queries_do_not_grow_with_rows(staff, bank, url):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(url).status_code == 200
        return len(captured)

    few = queries()
    add_rows(5)
    many = queries()

    assert many == few


@pytest.mark.parametrize(
    "url",
    [
        "/admin/questions/question/add/",
        "/admin/questions/tag/add/",
        "/admin/rubrics/rubric/add/",
        "/admin/rubrics/failuremode/add/",
    ],
)
def test_add_forms_load(staff, db, url):
    assert staff.get(url).status_code == 200


def test_change_forms_load_with_their_inlines(staff, bank):
    launch = Question.objects.get(slug="a-launch")
    gtm = Rubric.objects.get(slug="gtm-strategy")

    question_page = staff.get(f"/admin/questions/question/{launch.pk}/change/")
    rubric_page = staff.get(f"/admin/rubrics/rubric/{gtm.pk}/change/")

    assert question_page.status_code == 200
    assert question_page.context["inline_admin_formsets"][0].formset.initial_form_count() == 2
    assert f'href="/admin/questions/question/{launch.pk}/preview/"' in question_page.text
    assert rubric_page.status_code == 200
    assert rubric_page.context["inline_admin_formsets"][0].formset.initial_form_count() == 3


def test_preview_shows_the_question_as_a_candidate_sees_it(staff, bank):
    launch = Question.objects.get(slug="a-launch")

    response = staff.get(f"/admin/questions/question/{launch.pk}/preview/")

    assert response.status_code == 200
    html = response.text
    assert '<h2 id="question-a-launch-title">Question a-launch</h2>' in html
    assert "How would you launch a new creator tool?" in html
    assert '<section class="context" aria-labelledby="question-a-launch-context">' in html
    assert "The tool lets creators schedule posts." in html
    assert '<time datetime="PT900S">15 minutes</time>' in html
    assert "Go-to-market" in html and "Medium" in html
    assert (
        f'Source: <cite><a href="/questions/sources/#{anchor(DOC, SECTION)}">Preparing for a '
        f"TikTok Product Marketing Manager interview — {SECTION}</a></cite>" in html
    )
    assert 'href="/questions/a-launch/"' in html
    assert "Not published" not in html


def test_preview_warns_when_the_question_is_not_published(staff, bank):
    Question.objects.filter(slug="b-launch").update(is_published=False, context="")
    hidden = Question.objects.get(slug="b-launch")

    html = staff.get(f"/admin/questions/question/{hidden.pk}/preview/").text

    assert "Not published: candidates cannot see this question yet." in html
    assert "<section" not in html.split('class="question-card"')[1]


def test_preview_says_whether_the_off_topic_check_knows_the_question(staff, bank):
    """A question added since relevance.json was fitted is checked on its own words alone."""
    new = Question.objects.get(slug="a-launch")
    Question.objects.filter(slug="b-launch").update(slug="longer-video-format")
    known = Question.objects.get(slug="longer-video-format")

    unknown_html = staff.get(f"/admin/questions/question/{new.pk}/preview/").text
    known_html = staff.get(f"/admin/questions/question/{known.pk}/preview/").text

    assert "the relevance model has no answers to this question" in unknown_html
    assert "scripts/train_relevance.py" in unknown_html
    assert "the relevance model was fitted on answers to this question" in known_html
    assert "has no answers to this question" not in known_html


def test_preview_is_for_staff_only(client, bank, alice):
    url = f"/admin/questions/question/{Question.objects.get(slug='a-launch').pk}/preview/"

    anonymous = client.get(url)
    client.force_login(alice)
    candidate = client.get(url)
    client.force_login(UserFactory(username="sam", is_staff=True))
    staff_without_permission = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    assert candidate.status_code == 302
    assert candidate["Location"].startswith("/admin/login/")
    assert staff_without_permission.status_code == 403


def test_preview_of_a_missing_question_is_404(staff, db):
    assert staff.get("/admin/questions/question/999/preview/").status_code == 404


def rubric_form(rubric: Rubric, weights: dict[str, str], delete: tuple[str, ...] = ()) -> dict:
    criteria = list(rubric.criteria.order_by("order", "key"))
    data = {
        "slug": rubric.slug,
        "name": rubric.name,
        "kind": rubric.kind,
        "description": rubric.description,
        "failure_modes": [mode.pk for mode in rubric.failure_modes.all()],
        "criteria-TOTAL_FORMS": len(criteria),
        "criteria-INITIAL_FORMS": len(criteria),
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
    }
    if rubric.is_default:
        data["is_default"] = "on"
    for i, c in enumerate(criteria):
        data |= {f"criteria-{i}-{name}": getattr(c, name) for name in CRITERION_FIELDS}
        data |= {f"criteria-{i}-id": c.pk, f"criteria-{i}-rubric": rubric.pk}
        data[f"criteria-{i}-weight"] = weights.get(c.key, c.weight)
        if c.key in delete:
            data[f"criteria-{i}-DELETE"] = "on"
    return data


def weights() -> dict[str, Decimal]:
    return dict(Criterion.objects.values_list("key", "weight"))


@pytest.mark.parametrize(
    ("changes", "delete", "total"),
    [
        ({"staging": "0.400"}, (), "0.900"),
        ({"staging": "0.600"}, (), "1.100"),
        ({}, ("outcome",), "0.750"),
    ],
)
def test_criterion_weights_must_sum_to_one(staff, bank, changes, delete, total):
    gtm = Rubric.objects.get(slug="gtm-strategy")
    before = weights()

    response = staff.post(
        f"/admin/rubrics/rubric/{gtm.pk}/change/", rubric_form(gtm, changes, delete)
    )

    assert response.status_code == 200
    assert f"The criterion weights must sum to 1; they sum to {total}" in response.text
    assert weights() == before


def test_criterion_weights_that_sum_to_one_are_saved(staff, bank):
    gtm = Rubric.objects.get(slug="gtm-strategy")

    response = staff.post(
        f"/admin/rubrics/rubric/{gtm.pk}/change/",
        rubric_form(gtm, {"staging": "0.400", "outcome": "0.350"}),
    )

    assert response.status_code == 302
    assert weights() == {
        "staging": Decimal("0.400"),
        "measurement": Decimal("0.250"),
        "outcome": Decimal("0.350"),
    }


def question_form(question: Question, **changes: object) -> dict:
    fields = ("title", "slug", "kind", "difficulty", "prompt", "context", "company")
    data = {name: getattr(question, name) for name in fields}
    data |= {
        "rubric": question.rubric_id,
        "time_limit_seconds": question.time_limit_seconds,
        "intent": question.intent,
        "tags": [tag.pk for tag in question.tags.all()],
        "source_document": question.source_document,
        "source_section": question.source_section,
        "is_published": "on",
        "probes-TOTAL_FORMS": 0,
        "probes-INITIAL_FORMS": 0,
        "probes-MIN_NUM_FORMS": 0,
        "probes-MAX_NUM_FORMS": 1000,
    }
    return data | changes


def test_question_form_saves_a_valid_edit(staff, bank):
    launch = Question.objects.get(slug="b-launch")

    response = staff.post(
        f"/admin/questions/question/{launch.pk}/change/",
        question_form(launch, title="A clearer title", source_section="FAQ"),
    )

    assert response.status_code == 302
    launch.refresh_from_db()
    assert (launch.title, launch.source_section) == ("A clearer title", "FAQ")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source_section": "Not A Heading"}, f"{DOC} has no section &#x27;Not A Heading&#x27;"),
        ({"kind": "execution"}, "gtm-strategy scores Go-to-market questions, not execution."),
        ({"time_limit_seconds": 30}, "Ensure this value is greater than or equal to 60."),
    ],
)
def test_question_form_refuses_bad_edits(staff, bank, changes, message):
    launch = Question.objects.get(slug="b-launch")

    response = staff.post(
        f"/admin/questions/question/{launch.pk}/change/",
        question_form(launch, title="Changed", **changes),
    )

    assert response.status_code == 200
    assert message in response.text
    assert Question.objects.get(slug="b-launch").title == "Question b-launch"
