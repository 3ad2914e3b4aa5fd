import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rubrics.models import FailureMode, Rubric
from scoring.evaluation import Counts, confusion, format_table
from tests.factories import QuestionFactory

VANITY = "I'd run a hashtag challenge with creators. Success is ten million views and likes."
STAGED = (
    "Mid-size creators in Lima struggle to earn, so I'd start with a beta in one city, judged on "
    "repeat purchases against a holdout with a 5% bar; my recommendation is to go ahead."
)
BLAME = (
    "It's probably just the ranking model that shipped Monday, the timing lines up. I'd roll it "
    "back today."
)


def test_counts_give_precision_recall_and_f1():
    c = Counts(tp=3, fp=1, fn=2)
    assert (c.precision, c.recall) == (0.75, 0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Counts().f1 == 0.0 and Counts().precision == 0.0


def test_confusion_counts_each_key_and_the_micro_total():
    pairs = [({"a"}, {"a"}), ({"a", "b"}, {"b", "c"}), (set(), {"c"}), ({"b"}, set())]
    per_key, micro = confusion(pairs, ["a", "b", "c", "d"])
    assert (per_key["a"].tp, per_key["a"].fp, per_key["a"].fn) == (1, 0, 1)
    assert (per_key["b"].tp, per_key["b"].fp, per_key["b"].fn) == (1, 0, 1)
    assert (per_key["c"].tp, per_key["c"].fp, per_key["c"].fn) == (0, 2, 0)
    assert (per_key["d"].tp, per_key["d"].fp, per_key["d"].fn) == (0, 0, 0)
    assert (micro.tp, micro.fp, micro.fn) == (2, 2, 2)
    table = format_table(per_key, micro)
    assert table.splitlines()[0].split() == [
        "failure",
        "mode",
        "TP",
        "FP",
        "FN",
        "prec",
        "recall",
        "F1",
    ]
    assert "micro average" in table.splitlines()[-1]


@pytest.fixture
def rubrics(db):
    call_command("loaddata", "fixtures/failure_modes.json", "fixtures/rubrics.json", verbosity=0)


def write(tmp_path, rows) -> str:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return str(path)


def evaluate(path, *args) -> str:
    out = io.StringIO()
    call_command("eval_scorer", path, *args, stdout=out)
    return out.getvalue()


def row(answer, labels, kind="gtm", question=None, prompt="Launch Shop in Peru."):
    return {
        "kind": kind,
        "question": question,
        "prompt": prompt,
        "answer": answer,
        "failure_modes": labels,
    }


def test_it_prints_a_table_per_failure_mode_and_the_micro_average(rubrics, tmp_path):
    path = write(
        tmp_path,
        [
            row(VANITY, ["vanity_metrics"]),
            row(STAGED, []),
            row(STAGED, ["siloed_marketing"]),  # a label the scorer will miss
        ],
    )
    lines = evaluate(path, "--scorer", "heuristic").splitlines()
    assert lines[0].startswith(f"{path}: 3 answers, scorer heuristic-")
    by_key = {line.split()[0]: line.split()[1:] for line in lines[2:] if line[:1].isalpha()}
    assert by_key["vanity_metrics"][:3] == ["1", "0", "0"]
    assert by_key["siloed_marketing"][:6] == ["0", "0", "1", "0.000", "0.000", "0.000"]
    assert len(by_key) == 10 + 1  # every failure mode, then the micro row ("micro average")


def test_json_output_and_the_errors_list(rubrics, tmp_path):
    path = write(tmp_path, [row(VANITY, ["vanity_metrics"]), row(STAGED, ["siloed_marketing"])])
    data = json.loads(evaluate(path, "--json"))
    assert data["answers"] == 2
    assert data["failure_modes"]["vanity_metrics"] == {
        "tp": 1,
        "fp": 0,
        "fn": 0,
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
    }
    assert data["micro"]["fn"] == 1
    assert "line 2: missed siloed_marketing; extra -" in evaluate(path, "--show-errors")


def test_a_bank_question_is_scored_with_its_own_rubric(rubrics, tmp_path):
    narrow = Rubric.objects.get(slug="execution-diagnosis")
    narrow.failure_modes.remove(FailureMode.objects.get(key="no_diagnosis"))
    QuestionFactory(
        slug="uploads-drop",
        rubric=narrow,
        prompt="Uploads dropped 9% this week. What do you do?",
    )
    ad_hoc = row(BLAME, ["no_diagnosis"], kind="execution", prompt="Uploads dropped 9%.")
    banked = dict(ad_hoc, question="uploads-drop")
    # The default execution rubric lists no_diagnosis; this bank question's rubric does not.
    assert json.loads(evaluate(write(tmp_path, [ad_hoc]), "--json"))["micro"]["tp"] == 1
    assert json.loads(evaluate(write(tmp_path, [banked]), "--json"))["micro"]["tp"] == 0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "set.jsonl:2: not JSON"),
        ('["a list"]', "each line must be a JSON object"),
        (json.dumps(row(VANITY, [], kind="sales")), "kind must be one of"),
        (json.dumps(row("  ", [])), "answer must be a non-empty string"),
        (json.dumps(row(VANITY, "vanity_metrics")), "failure_modes must be a list"),
        (json.dumps(row(VANITY, ["buzzwords"])), "unknown failure mode buzzwords"),
        (json.dumps(row(VANITY, [], question="no-such-slug")), "unknown question 'no-such-slug'"),
    ],
)
def test_bad_lines_are_reported_with_their_number(rubrics, tmp_path, line, message):
    path = write(tmp_path, [row(STAGED, []), line])
    with pytest.raises(CommandError, match=message):
        evaluate(path)


def test_an_empty_or_missing_dataset_is_refused(rubrics, tmp_path):
    with pytest.raises(CommandError, match="has no answers"):
        evaluate(write(tmp_path, [""]))
    with pytest.raises(CommandError, match="cannot read"):
        evaluate(str(tmp_path / "missing.jsonl"))


@pytest.mark.django_db
def test_without_failure_modes_in_the_database_it_says_to_set_up_first(tmp_path):
    with pytest.raises(CommandError, match="import the bank first"):
        evaluate(write(tmp_path, [{"kind": "gtm", "answer": "A.", "failure_modes": []}]))


def test_on_a_database_never_migrated_it_says_to_set_up_first(tmp_path):
    """Run as a user would, on a fresh SQLite file: a message, not a traceback."""
    import subprocess
    import sys

    dataset = write(tmp_path, [{"kind": "gtm", "answer": "A.", "failure_modes": []}])
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "manage.py", "eval_scorer", dataset, "--scorer", "heuristic"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    assert "set up the database first" in done.stderr and "Traceback" not in done.stderr


def test_spearman_uses_average_ranks_for_ties():
    from scoring.graded import spearman

    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 1, 2, 2], [1.0, 1.0, 2.0, 2.0]) == pytest.approx(1.0)
    assert spearman([1, 2, 3], [5, 5, 5]) == 0.0


def test_graded_figures_compare_off_topic_with_the_same_questions_weak_answer():
    from scoring.graded import graded_figures

    rows = [("q1", 5, 4.6), ("q1", 2, 2.2), ("q1", 1, 1.2), ("q2", 5, 4.4), ("q2", 2, 2.0)]
    rows.append(("q2", 1, 3.0))
    figures = graded_figures(rows)
    assert figures.mean_by_grade == {5: pytest.approx(4.5), 2: pytest.approx(2.1), 1: 2.1}
    assert figures.off_topic_below_weak == 1 and len(figures.off_topic_vs_weak) == 2
    assert figures.as_dict()["off_topic_not_below_weak"] == [
        {"question": "q2", "off_topic": 3.0, "weak": 2.0}
    ]


def test_it_prints_graded_figures_for_rows_with_a_grade(rubrics, tmp_path):
    rows = [
        {"kind": "gtm", "question": None, "answer": STAGED, "failure_modes": [], "grade": 5},
        {"kind": "gtm", "question": None, "answer": VANITY, "failure_modes": [], "grade": 2},
    ]
    out = io.StringIO()
    call_command(
        "eval_scorer", write(tmp_path, rows), "--scorer", "heuristic", "--json", stdout=out
    )
    graded = json.loads(out.getvalue())["graded"]
    assert graded["answers"] == 2 and set(graded["mean_by_grade"]) == {"2", "5"}
    out = io.StringIO()
    call_command("eval_scorer", write(tmp_path, rows), "--scorer", "heuristic", stdout=out)
    assert "Spearman(grade, overall)" in out.getvalue()


def test_off_topic_answers_are_left_out_of_the_failure_mode_figures(rubrics, tmp_path):
    # An off-topic answer is labelled against no question (LABELING.md), so what the scorer
    # finds in it is neither right nor wrong.
    rows = [
        {"kind": "gtm", "question": None, "answer": VANITY, "failure_modes": [], "grade": 1},
        {"kind": "gtm", "question": None, "answer": VANITY, "failure_modes": [], "grade": 2},
    ]
    out = io.StringIO()
    call_command(
        "eval_scorer", write(tmp_path, rows), "--scorer", "heuristic", "--json", stdout=out
    )
    payload = json.loads(out.getvalue())
    assert payload["off_topic_left_out_of_failure_modes"] == 1
    assert payload["micro"]["fp"] == 1  # the grade-2 answer's vanity finding alone
    assert payload["graded"]["answers"] == 2


def test_it_refuses_a_grade_outside_one_to_five(rubrics, tmp_path):
    row = {"kind": "gtm", "question": None, "answer": STAGED, "failure_modes": [], "grade": 7}
    with pytest.raises(CommandError, match="grade must be"):
        call_command("eval_scorer", write(tmp_path, [row]), "--scorer", "heuristic")
