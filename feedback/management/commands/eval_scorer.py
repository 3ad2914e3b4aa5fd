import dataclasses
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from prep.lib.kinds import Kind
from questions.models import Question
from questions.specs import specs_for_question
from rubrics.models import FailureMode, Rubric
from rubrics.specs import default_rubric_spec
from scoring.evaluation import confusion, format_table
from scoring.graded import graded_figures
from scoring.registry import SCORERS, get_scorer
from scoring.types import QuestionSpec, RubricSpec


class Command(BaseCommand):
    help = (
        "Compare a scorer's failure modes with labelled ones. Each line of DATASET is "
        '{"kind", "question", "answer", "failure_modes": [keys]} (optionally "prompt"); '
        "a null question is scored ad hoc with the kind's default rubric. Rows with a "
        '"grade" (1-5) also give graded figures: Spearman(grade, overall), the mean overall '
        "per grade and whether each off-topic answer scores below its question's weak one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", metavar="DATASET.jsonl")
        parser.add_argument(
            "--scorer", choices=sorted(SCORERS), help="Default: the configured scorer."
        )
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")
        parser.add_argument(
            "--show-errors", action="store_true", help="Also list the lines the scorer got wrong."
        )

    def handle(self, *args, **options) -> None:
        try:
            known = set(FailureMode.objects.values_list("key", flat=True))
        except DatabaseError as exc:
            raise CommandError(
                f"cannot read the failure modes ({exc}); set up the database first: "
                "`make setup`, or `manage.py migrate` then `manage.py import_bank`"
            ) from exc
        if not known:
            raise CommandError(
                "the database has no failure modes to compare with: import the bank first "
                "(`make setup`, or `manage.py import_bank`)"
            )
        rows = _read(Path(options["dataset"]), known)
        try:
            scorer = get_scorer(options["scorer"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        specs = _Specs()
        pairs = []
        graded: list[tuple[str, int, float]] = []
        errors: list[str] = []
        off_topic = 0
        for number, row in rows:
            rubric, question = specs.get(number, row)
            result = scorer.score(rubric, question, row["answer"])
            expected, found = set(row["failure_modes"]), {f.key for f in result.failure_modes}
            if row.get("grade") == 1:
                off_topic += 1  # labelled against no question: no failure-mode figures
            else:
                pairs.append((expected, found))
            if "grade" in row:
                graded.append(
                    (row.get("question") or row.get("prompt") or "", row["grade"], result.overall)
                )
            if options["show_errors"] and expected != found:
                missed = ", ".join(sorted(expected - found)) or "-"
                extra = ", ".join(sorted(found - expected)) or "-"
                errors.append(f"line {number}: missed {missed}; extra {extra}")
        per_key, micro = confusion(pairs, sorted(FailureMode.objects.values_list("key", flat=True)))
        figures = graded_figures(graded) if graded else None

        if options["json"]:
            payload = {
                "dataset": options["dataset"],
                "scorer": f"{scorer.name}-{scorer.version}",
                "answers": len(rows),
                "off_topic_left_out_of_failure_modes": off_topic,
                "failure_modes": {k: c.as_dict() for k, c in per_key.items()},
                "micro": micro.as_dict(),
            }
            if figures:
                payload["graded"] = figures.as_dict()
            self.stdout.write(json.dumps(payload, indent=2))
            return
        left_out = f" ({off_topic} off-topic answers left out of these)" if off_topic else ""
        self.stdout.write(
            f"{options['dataset']}: {len(rows)} answers, scorer {scorer.name}-{scorer.version}"
            f"{left_out}\n"
        )
        self.stdout.write(format_table(per_key, micro))
        if figures:
            self.stdout.write("\n" + figures.format())
        if errors:
            self.stdout.write("\n" + "\n".join(errors))


def _read(path: Path, known: set[str]) -> list[tuple[int, dict[str, Any]]]:
    """The dataset's rows with their line numbers; a clear error for the first bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        problem = _problem(row, known)
        if problem:
            raise CommandError(f"{path}:{number}: {problem}")
        rows.append((number, row))
    if not rows:
        raise CommandError(f"{path} has no answers")
    return rows


def _problem(row: Any, known: set[str]) -> str | None:
    if not isinstance(row, dict):
        return "each line must be a JSON object"
    if row.get("kind") not in Kind.values:
        return f"kind must be one of {', '.join(Kind.values)}, not {row.get('kind')!r}"
    if not isinstance(row.get("answer"), str) or not row["answer"].strip():
        return "answer must be a non-empty string"
    if row.get("question") is not None and not isinstance(row["question"], str):
        return "question must be a slug or null"
    grade = row.get("grade")
    if grade is not None and (type(grade) is not int or not 1 <= grade <= 5):
        return "grade must be a whole number from 1 to 5"
    labels = row.get("failure_modes")
    if not isinstance(labels, list) or not all(isinstance(k, str) for k in labels):
        return "failure_modes must be a list of keys"
    unknown = sorted(set(labels) - known)
    if unknown:
        return f"unknown failure mode {', '.join(unknown)}"
    return None


class _Specs:
    """Rubric and question specs, each read from the database once."""

    def __init__(self) -> None:
        self.by_slug: dict[str, tuple[RubricSpec, QuestionSpec]] = {}
        self.by_kind: dict[str, RubricSpec] = {}

    def get(self, number: int, row: dict[str, Any]) -> tuple[RubricSpec, QuestionSpec]:
        slug = row.get("question")
        if slug:
            if slug not in self.by_slug:
                found = Question.objects.select_related("rubric").filter(slug=slug).first()
                if found is None:
                    raise CommandError(f"line {number}: unknown question {slug!r}")
                self.by_slug[slug] = specs_for_question(found)
            rubric, spec = self.by_slug[slug]
            # The answer was written to the row's wording of the question, as in a round.
            if row.get("prompt"):
                spec = dataclasses.replace(spec, prompt=row["prompt"])
            return rubric, spec
        kind = row["kind"]
        if kind not in self.by_kind:
            try:
                self.by_kind[kind] = default_rubric_spec(kind)
            except Rubric.DoesNotExist as exc:
                raise CommandError(
                    f"no default rubric for kind {kind!r}; load fixtures/rubrics.json"
                ) from exc
        return self.by_kind[kind], QuestionSpec(kind=kind, prompt=row.get("prompt") or "")
