import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import Question, Tag
from rubrics.models import Rubric

KINDS = ["product_sense", "execution", "behavioral", "gtm"]


def make_bank(n: int) -> list[Question]:
    rubric = Rubric.objects.create(slug="r", name="R", kind="gtm")
    feed = Tag.objects.create(slug="feed", name="For You feed")
    metrics = Tag.objects.create(slug="metrics", name="Metrics")
    questions = Question.objects.bulk_create(
        Question(
            slug=f"q-{i:04d}",
            kind=KINDS[i % 4],
            title=f"Question number {i}",
            prompt=f"Prompt {i} about the feed" if i % 2 else f"Prompt {i} about creators",
            difficulty=1 + i % 3,
            intent="Shows judgement.",
            rubric=rubric,
            source_document="003_625c3301e25c3911.txt",
            source_section="Mistakes to Avoid",
        )
        for i in range(n)
    )
    Question.tags.through.objects.bulk_create(
        [Question.tags.through(question=q, tag=feed) for q in questions]
        + [Question.tags.through(question=q, tag=metrics) for q in questions[::3]]
    )
    return questions


def test_it_lists_questions_with_their_source(client, db):
    make_bank(3)
    response = client.get("/questions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Question number 0" in html and "Question number 2" in html
    assert (
        '<cite><a href="/questions/sources/#s003-mistakes-to-avoid">Preparing for a TikTok '
        "Product Marketing Manager interview — Mistakes to Avoid</a></cite>" in html
    )
    assert "003_625c3301e25c3911.txt" not in html
    assert "3 questions" in html


def test_the_sources_page_names_each_section_and_the_questions_drawn_from_it(client, db):
    make_bank(2)
    Question.objects.filter(slug="q-0001").update(is_published=False)

    response = client.get("/questions/sources/")

    assert response.status_code == 200
    html = response.text
    assert '<h2 id="doc-003_625c3301e25c3911txt">Preparing for a TikTok Product Marketing' in html
    section = html.split('id="s003-mistakes-to-avoid"')[1].split("</section>")[0]
    assert "Mistakes to Avoid</h3>" in section
    assert '<a href="/questions/q-0000/">Question number 0</a>' in section
    assert "Question number 1" not in html  # not published
    assert 'id="s002-key-skills-for-success"' in html
    assert "No question in the bank draws on this section yet." in html


def test_the_sources_page_reads_the_questions_once(client, db, django_assert_num_queries):
    make_bank(30)

    with django_assert_num_queries(1):
        client.get("/questions/sources/")


def test_it_filters_by_kind_difficulty_and_tag(client, db):
    make_bank(24)
    html = client.get("/questions/", {"kind": "gtm"}).content.decode()
    assert "6 questions" in html
    assert "Question number 3<" in html and "Question number 4<" not in html

    html = client.get("/questions/", {"kind": "execution", "difficulty": 2}).content.decode()
    # execution: i % 4 == 1; difficulty 2: i % 3 == 1 -> i in 1, 13
    assert "2 questions" in html

    html = client.get("/questions/", {"tag": "metrics"}).content.decode()
    assert "8 questions" in html


def test_it_searches_titles_and_prompts(client, db):
    make_bank(10)
    html = client.get("/questions/", {"q": "creators"}).content.decode()
    assert "5 questions" in html


def test_it_explains_filters_it_cannot_use(client, db):
    make_bank(4)
    response = client.get("/questions/", {"kind": "astrology", "tag": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "were not understood" in html
    assert "Select a valid choice" in html
    assert "4 questions" in html  # the bad filters are ignored, not applied


def test_it_paginates(client, db):
    make_bank(45)
    first = client.get("/questions/").content.decode()
    assert "Page 1 of 3" in first and 'rel="next"' in first
    last = client.get("/questions/", {"page": 3}).content.decode()
    assert "Question number 9<" not in last and "Page 3 of 3" in last
    # a page number out of range shows the last page rather than an error
    assert client.get("/questions/", {"page": 99}).status_code == 200


def test_it_keeps_filters_in_page_links(client, db):
    make_bank(100)
    html = client.get("/questions/", {"tag": "feed"}).content.decode()
    assert "?tag=feed&amp;page=2" in html


def test_it_renders_a_fragment_for_htmx(client, db):
    make_bank(3)
    response = client.get("/questions/", {"kind": "gtm"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_it_hides_unpublished_questions(client, db):
    questions = make_bank(2)
    Question.objects.filter(pk=questions[0].pk).update(is_published=False)
    html = client.get("/questions/").content.decode()
    assert "1 question<" in html or "1 question\n" in html
    assert client.get(questions[0].get_absolute_url()).status_code == 404
    assert client.get(questions[1].get_absolute_url()).status_code == 200


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/questions/", "/questions/?tag=feed&kind=gtm&page=2"])
def test_it_uses_the_same_few_queries_for_10_and_500_questions(client, db, url):
    make_bank(10)
    small = count_queries(client, url.replace("page=2", "page=1"))
    Question.objects.all().delete()
    Rubric.objects.all().delete()
    Tag.objects.all().delete()
    make_bank(500)
    large = count_queries(client, url)
    assert small == large
    assert large <= 5


def test_the_detail_page_shows_the_question_and_its_source(client, db):
    question = make_bank(1)[0]
    html = client.get(question.get_absolute_url()).content.decode()
    assert question.prompt in html
    assert (
        '<a href="/questions/sources/#s003-mistakes-to-avoid">Preparing for a TikTok Product '
        "Marketing Manager interview — Mistakes to Avoid</a>" in html
    )
