import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.bank_io import Snapshot, validate_bank
from questions.bank_io.files import default_files
from questions.models import Probe, Question, Tag
from rubrics.models import Criterion, FailureMode, Rubric
from tests.bank_files import (
    criterion,
    failure_mode,
    probe,
    question,
    rubric,
    small_bank,
    tag,
    write,
)

MODELS = (FailureMode, Rubric, Criterion, Tag, Question, Probe)

pytestmark = pytest.mark.django_db


def row_counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


def run_import(*paths: Path) -> str:
    out = io.StringIO()
    call_command("import_bank", *map(str, paths), stdout=out)
    return out.getvalue()


def refused(*paths: Path) -> str:
    """Run an import that must fail; return what it printed on stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_bank", *map(str, paths), stderr=err)
    return err.getvalue()


def base_files(tmp_path: Path) -> list[Path]:
    """A valid failure-mode, rubric and tag file for tests that add a bad question file."""
    return small_bank(tmp_path)[:3]


def test_it_imports_a_bank(tmp_path):
    files = small_bank(tmp_path)

    out = run_import(*files)

    assert out.strip() == (
        "Imported 2 failure modes, 1 rubric, 3 criteria, 2 tags, 2 questions, 2 probes "
        "(12 new, 0 updated) from 7 files."
    )
    launch = Question.objects.get(slug="a-launch")
    assert launch.rubric.slug == "gtm-strategy"
    assert sorted(launch.tags.values_list("slug", flat=True)) == ["growth", "launch"]
    assert [(p.order, p.failure_mode_id is not None) for p in launch.probes.all()] == [
        (1, True),
        (2, False),
    ]
    gtm = Rubric.objects.get(slug="gtm-strategy")
    assert sorted(gtm.failure_modes.values_list("key", flat=True)) == [
        "premature_scaling",
        "vanity_metrics",
    ]
    assert sum(c.weight for c in gtm.criteria.all()) == 1


def test_if_empty_loads_an_empty_bank(tmp_path):
    out = io.StringIO()
    call_command("import_bank", *map(str, small_bank(tmp_path)), "--if-empty", stdout=out)
    assert out.getvalue().startswith("Imported 2 failure modes")
    assert Question.objects.count() == 2


def test_if_empty_leaves_a_curated_bank_alone(tmp_path):
    files = small_bank(tmp_path)
    run_import(*files)
    Question.objects.filter(slug="a-launch").update(title="Curated by an admin")

    out = io.StringIO()
    call_command("import_bank", *map(str, files), "--if-empty", stdout=out)

    assert out.getvalue().strip() == "The bank is not empty: nothing imported."
    assert Question.objects.get(slug="a-launch").title == "Curated by an admin"


def test_it_is_idempotent_and_updates_in_place(tmp_path):
    files = small_bank(tmp_path)
    run_import(*files)
    pks = {q.slug: q.pk for q in Question.objects.all()}
    before = row_counts()

    out = run_import(*files)

    assert "(0 new, 12 updated)" in out
    assert row_counts() == before
    # Rows the files no longer mention (b-launch, the probes) stay as they are.
    gtm = write(
        tmp_path / "questions" / "gtm.json",
        [question("a-launch", title="A sharper title", tags=("growth",))],
    )
    run_import(*files[:3], gtm)
    changed = Question.objects.get(slug="a-launch")
    assert changed.pk == pks["a-launch"]
    assert changed.title == "A sharper title"
    assert list(changed.tags.values_list("slug", flat=True)) == ["growth"]
    assert row_counts() == before


def test_it_accepts_references_to_rows_already_in_the_database(tmp_path):
    files = small_bank(tmp_path)
    run_import(*files[:3])

    extra = write(
        tmp_path / "more.json", [question("c-launch", tags=("growth",)), probe("c-launch")]
    )

    assert "1 question, 1 probe (2 new, 0 updated)" in run_import(extra)


def test_it_moves_the_default_rubric_in_one_import(tmp_path):
    files = small_bank(tmp_path)
    run_import(*files)
    rubrics = write(
        tmp_path / "rubrics2.json",
        [
            rubric(is_default=False),
            rubric("gtm-measurement", is_default=True),
            criterion("plan", "1", rubric="gtm-measurement"),
        ],
    )

    run_import(rubrics)

    assert Rubric.objects.get(kind="gtm", is_default=True).slug == "gtm-measurement"


def test_it_reports_malformed_json_with_line_and_column(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('[\n  {"model": "questions.tag",\n   "fields": {"slug": "x" "name": "X"}}\n]\n')

    err = refused(bad)

    assert f"{bad}: malformed JSON at line 3 column 27: Expecting ',' delimiter" in err
    assert row_counts() == (0,) * 6


def test_it_writes_nothing_when_a_valid_file_comes_before_a_bad_one(tmp_path):
    files = base_files(tmp_path)
    bad = write(tmp_path / "questions.json", [question(time_limit_seconds=30)])

    err = refused(*files, bad)

    assert f"{bad}: questions.question 'launch-in-one-market': time limit 30 seconds" in err
    assert row_counts() == (0,) * 6


def test_a_bad_import_leaves_earlier_rows_untouched(tmp_path):
    files = small_bank(tmp_path)
    run_import(*files)
    before = row_counts()
    renamed = write(tmp_path / "tags2.json", [tag("growth", "Renamed")])
    bad = write(tmp_path / "bad.json", [question("z-launch", kind="sales")])

    refused(renamed, bad)

    assert row_counts() == before
    assert Tag.objects.get(slug="growth").name == "Growth"


@pytest.mark.parametrize(
    ("records", "record", "message"),
    [
        (
            [rubric(failure_modes=("vanity_metrics", "hype"))],
            "rubrics.rubric 'gtm-strategy'",
            "unknown failure-mode key 'hype'",
        ),
        (
            [question(), probe(failure_mode="hype")],
            "questions.probe 'launch-in-one-market/1'",
            "unknown failure-mode key 'hype'",
        ),
        (
            [question(rubric="no-such-rubric")],
            "questions.question 'launch-in-one-market'",
            "unknown rubric slug 'no-such-rubric'",
        ),
        (
            [criterion(rubric="no-such-rubric", weight="1")],
            "rubrics.criterion 'no-such-rubric/measurement'",
            "unknown rubric slug 'no-such-rubric'",
        ),
        (
            [question(tags=("launch", "moonshots"))],
            "questions.question 'launch-in-one-market'",
            "unknown tag 'moonshots'",
        ),
        (
            [probe(question="no-such-question")],
            "questions.probe 'no-such-question/1'",
            "unknown question slug 'no-such-question'",
        ),
        (
            [question(kind="sales")],
            "questions.question 'launch-in-one-market'",
            "unknown kind 'sales' (expected one of product_sense, execution, behavioral, gtm)",
        ),
        (
            [question(difficulty=5)],
            "questions.question 'launch-in-one-market'",
            "unknown difficulty 5 (expected 1 easy, 2 medium, 3 hard)",
        ),
        (
            [question(time_limit_seconds=59)],
            "questions.question 'launch-in-one-market'",
            "time limit 59 seconds is out of range (60..3600 seconds)",
        ),
        (
            [question(time_limit_seconds=3601)],
            "questions.question 'launch-in-one-market'",
            "time limit 3601 seconds is out of range (60..3600 seconds)",
        ),
        (
            [question(kind="execution")],
            "questions.question 'launch-in-one-market'",
            "rubric 'gtm-strategy' scores gtm questions, not execution",
        ),
        (
            [{"model": "questions.answer", "fields": {}}],
            "questions.answer #1",
            "unknown model (expected one of rubrics.failuremode, rubrics.rubric",
        ),
        (
            [{**tag(), "pk": 7}],
            "questions.tag 'launch'",
            'records are matched by natural key: remove "pk"',
        ),
        (
            [{"model": "questions.tag", "fields": {"slug": "new", "name": "New", "colour": 1}}],
            "questions.tag 'new'",
            "unknown field 'colour'",
        ),
        (
            [question(rubric="gtm-strategy", tags=("launch",), title="")],
            "questions.question 'launch-in-one-market'",
            "title: This field cannot be blank.",
        ),
        (
            [{"model": "questions.question", "fields": {"kind": "gtm", "title": "T"}}],
            "questions.question #1",
            "missing required field 'slug'",
        ),
        (
            [{**tag(), "fields": {"name": "No slug"}}],
            "questions.tag #1",
            "missing required field 'slug'",
        ),
        (
            [
                {
                    "model": "questions.question",
                    "fields": {**question()["fields"], "tags": ["launch"]},
                }
            ],
            "questions.question 'launch-in-one-market'",
            'tags must be a list of natural keys such as [["slug"]]',
        ),
    ],
)
def test_it_reports_bad_records(tmp_path, records, record, message):
    files = base_files(tmp_path)
    bad = write(tmp_path / "bad.json", records)

    err = refused(*files, bad)

    assert f"{bad}: {record}: {message}" in err
    assert row_counts() == (0,) * 6


def test_it_reports_every_missing_required_field(tmp_path):
    files = base_files(tmp_path)
    record = question()
    for name in ("prompt", "intent", "rubric"):
        del record["fields"][name]
    bad = write(tmp_path / "bad.json", [record])

    err = refused(*files, bad)

    for name in ("prompt", "intent", "rubric"):
        expected = f"{bad}: questions.question 'launch-in-one-market': missing required field"
        assert f"{expected} '{name}'" in err


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"source_document": ""}, "source document is missing"),
        ({"source_document": "999_nowhere.txt"}, "unknown source document '999_nowhere.txt'"),
        (
            {"source_section": "Mistake 9: Not Existing"},
            "003_625c3301e25c3911.txt has no section 'Mistake 9: Not Existing'",
        ),
        ({"source_section": ""}, "source section is missing for 003_625c3301e25c3911.txt"),
    ],
)
def test_it_reports_bad_sources(tmp_path, source, message):
    files = base_files(tmp_path)
    bad_question = write(tmp_path / "q.json", [question(**source)])
    bad_mode = write(tmp_path / "fm.json", [failure_mode("no_diagnosis", **source)])

    err = refused(*files, bad_question, bad_mode)

    assert f"{bad_question}: questions.question 'launch-in-one-market': {message}" in err
    assert f"{bad_mode}: rubrics.failuremode 'no_diagnosis': {message}" in err
    assert row_counts() == (0,) * 6


def test_it_sums_weights_with_decimals(tmp_path):
    # 0.1 + 0.2 + 0.7 is 0.9999999999999999 in floats, exactly 1 in decimals.
    rubrics = write(
        tmp_path / "rubrics.json",
        [
            rubric(failure_modes=()),
            criterion("a", 0.1, order=1),
            criterion("b", 0.2, order=2),
            criterion("c", "0.700", order=3),
        ],
    )

    assert "3 criteria" in run_import(rubrics)


def test_it_refuses_weights_that_do_not_sum_to_one(tmp_path):
    rubrics = write(
        tmp_path / "rubrics.json",
        [
            rubric(failure_modes=()),
            criterion("a", "0.450", order=1),
            criterion("b", "0.450", order=2),
            rubric("gtm-measurement", failure_modes=(), is_default=False),
        ],
    )

    err = refused(rubrics)

    assert (
        f"{rubrics}: rubrics.rubric 'gtm-strategy': criterion weights for rubric "
        "'gtm-strategy' sum to 0.900, not 1 (a 0.450, b 0.450)"
    ) in err
    assert (
        f"{rubrics}: rubrics.rubric 'gtm-measurement': rubric has no criteria; "
        "their weights must sum to 1"
    ) in err
    assert row_counts() == (0,) * 6


def test_weights_count_the_criteria_already_in_the_database(tmp_path):
    run_import(*small_bank(tmp_path)[:2])
    extra = write(tmp_path / "extra.json", [criterion("speed", "0.100", order=4)])

    err = refused(extra)

    assert (
        f"{extra}: rubrics.criterion 'gtm-strategy/speed': criterion weights for rubric "
        "'gtm-strategy' sum to 1.100, not 1"
    ) in err
    assert Criterion.objects.count() == 3


@pytest.mark.parametrize(
    ("record", "what", "copy"),
    [
        ("questions.question 'q'", "question slug 'q'", lambda: question("q", tags=())),
        (
            "rubrics.rubric 'gtm-x'",
            "rubric slug 'gtm-x'",
            lambda: rubric("gtm-x", is_default=False),
        ),
        ("questions.tag 'new'", "tag slug 'new'", lambda: tag("new")),
        (
            "rubrics.failuremode 'no_diagnosis'",
            "failure-mode key 'no_diagnosis'",
            lambda: failure_mode("no_diagnosis"),
        ),
        (
            "rubrics.criterion 'gtm-strategy/extra'",
            "criterion key 'extra' in rubric 'gtm-strategy'",
            lambda: criterion("extra", "0.5"),
        ),
        (
            "questions.probe 'a-launch/3'",
            "probe order 3 for question 'a-launch'",
            lambda: probe("a-launch", 3),
        ),
    ],
)
def test_it_reports_duplicates_within_and_across_files(tmp_path, record, what, copy):
    files = small_bank(tmp_path)
    first = write(tmp_path / "first.json", [copy()])
    second = write(tmp_path / "second.json", [copy()])
    within = write(tmp_path / "within.json", [copy(), copy()])

    across = refused(*files, first, second)
    inside = refused(*files, within)

    assert f"{second}: {record}: duplicate {what} (first in {first} record #1)" in across
    assert f"{within}: {record}: duplicate {what} (first in {within} record #1)" in inside
    assert row_counts() == (0,) * 6


def test_a_row_already_in_the_database_is_not_a_duplicate(tmp_path):
    files = small_bank(tmp_path)
    run_import(*files)

    assert "(0 new, 12 updated)" in run_import(*files)


def test_it_reports_a_second_default_rubric_for_a_kind(tmp_path):
    files = small_bank(tmp_path)
    run_import(*files)
    other = write(
        tmp_path / "r.json", [rubric("gtm-other"), criterion("x", "1", rubric="gtm-other")]
    )

    err = refused(other)

    assert (
        f"{other}: rubrics.rubric 'gtm-other': gtm already has a default rubric 'gtm-strategy'"
        in err
    )
    assert not Rubric.objects.filter(slug="gtm-other").exists()


def test_it_reports_files_that_are_not_a_list_or_missing(tmp_path):
    not_a_list = write(tmp_path / "object.json", {"model": "questions.tag"})
    missing = tmp_path / "missing.json"

    err = refused(not_a_list, missing)

    assert f"{not_a_list}: expected a JSON list of records, not an object" in err
    assert f"{missing}: file not found" in err


def test_validation_writes_nothing_and_reads_a_given_snapshot(tmp_path, django_assert_num_queries):
    files = small_bank(tmp_path)
    extra = write(tmp_path / "extra.json", [question("c", tags=("elsewhere",))])
    known = Snapshot(tags={"elsewhere"}, rubric_kinds={"gtm-strategy": "gtm"})

    with django_assert_num_queries(0):
        problems = validate_bank([*files, extra], snapshot=known)

    assert problems == []


def test_the_real_default_bank_validates_cleanly():
    files = default_files()
    if not all(path.exists() for path in files[:3]):
        pytest.skip("the default fixture files are still being written")

    problems = validate_bank(files, snapshot=Snapshot())

    assert [str(problem) for problem in problems] == []
