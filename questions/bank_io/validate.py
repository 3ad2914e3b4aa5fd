"""Check the bank's fixture files before anything is written.

`validate_bank` reads the files and returns every problem it finds, each naming the file, the
record and what is wrong. It only reads the database (to know the tags, rubrics, failure modes
and questions that are already there), so a file may refer to rows imported earlier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from prep.lib.kinds import Difficulty, Kind
from prep.lib.sources import source_problem
from questions.bank_io.records import Problem, Record, natural_key, read_records
from questions.models import MAX_TIME_LIMIT, MIN_TIME_LIMIT, Question, Tag
from rubrics.models import Criterion, FailureMode, Rubric

KEY_NAMES = {
    "rubrics.failuremode": "failure-mode key",
    "rubrics.rubric": "rubric slug",
    "questions.tag": "tag slug",
    "questions.question": "question slug",
}

# Checked together, by prep.lib.sources.source_problem.
SOURCE_FIELDS = ("source_document", "source_section")

ONE = Decimal(1)


@dataclass
class Snapshot:
    """What the database already holds that bank files may refer to."""

    tags: set[str] = field(default_factory=set)
    failure_modes: set[str] = field(default_factory=set)
    questions: set[str] = field(default_factory=set)
    rubric_kinds: dict[str, str] = field(default_factory=dict)
    default_rubrics: dict[str, str] = field(default_factory=dict)
    criteria: dict[str, dict[str, Decimal]] = field(default_factory=dict)

    @classmethod
    def from_db(cls) -> Snapshot:
        snapshot = cls(
            tags=set(Tag.objects.values_list("slug", flat=True)),
            failure_modes=set(FailureMode.objects.values_list("key", flat=True)),
            questions=set(Question.objects.values_list("slug", flat=True)),
        )
        for slug, kind, is_default in Rubric.objects.values_list("slug", "kind", "is_default"):
            snapshot.rubric_kinds[slug] = kind
            if is_default:
                snapshot.default_rubrics[kind] = slug
        for rubric, key, weight in Criterion.objects.values_list("rubric__slug", "key", "weight"):
            snapshot.criteria.setdefault(rubric, {})[key] = weight
        return snapshot


def validate_bank(paths: Sequence[Path | str], snapshot: Snapshot | None = None) -> list[Problem]:
    """Every problem in these fixture files, read as one import; empty when they can be loaded."""
    records, problems = read_records(paths)
    if snapshot is None:
        snapshot = Snapshot.from_db()
    return problems + check_records(records, snapshot)


def check_records(records: Sequence[Record], snapshot: Snapshot) -> list[Problem]:
    problems: list[Problem] = []
    for record in records:
        problems += _check_fields(record)
    problems += _check_duplicates(records)
    problems += _check_references(records, snapshot)
    problems += _check_defaults(records, snapshot)
    problems += _check_weights(records, snapshot)
    return problems


def fixture_fields(model: type[models.Model]) -> dict[str, Any]:
    """The fields a fixture record may set: every editable column and many-to-many."""
    return {
        f.name: f
        for f in model._meta.get_fields()
        if not f.auto_created
        and (f.concrete or f.many_to_many)
        and not getattr(f, "primary_key", False)
    }


def _check_fields(record: Record) -> list[Problem]:
    allowed = fixture_fields(apps.get_model(record.model))
    problems = [
        record.problem(f"unknown field {name!r}") for name in record.fields if name not in allowed
    ]
    for name, model_field in allowed.items():
        if name in SOURCE_FIELDS:
            continue
        if name not in record.fields:
            if _required(model_field):
                problems.append(record.problem(f"missing required field {name!r}"))
            continue
        message = _field_problem(model_field, record.fields[name])
        if message:
            problems.append(record.problem(message))
    if all(name in allowed for name in SOURCE_FIELDS):
        document, section = (record.fields.get(name) or "" for name in SOURCE_FIELDS)
        if not isinstance(document, str) or not isinstance(section, str):
            problems.append(record.problem("source_document and source_section must be text"))
        elif message := source_problem(document, section):
            problems.append(record.problem(message))
    return problems


def _required(model_field: models.Field) -> bool:
    if isinstance(model_field, models.ManyToManyField):
        return False
    return not (model_field.has_default() or model_field.blank or model_field.null)


def _field_problem(model_field: models.Field, value: Any) -> str | None:
    name = model_field.name
    if isinstance(model_field, models.ManyToManyField):
        if not isinstance(value, list) or any(natural_key(item) is None for item in value):
            return f'{name} must be a list of natural keys such as [["slug"]], not {value!r}'
        return None
    if isinstance(model_field, models.ForeignKey):
        if value is None and model_field.null:
            return None
        if natural_key(value) is None:
            return f'{name} must be a natural key such as ["slug"], not {value!r}'
        return None
    if name == "kind":
        if value not in Kind.values:
            return f"unknown kind {value!r} (expected one of {', '.join(Kind.values)})"
        return None
    if name == "difficulty":
        if isinstance(value, bool) or value not in Difficulty.values:
            choices = ", ".join(f"{d.value} {d.label.lower()}" for d in Difficulty)
            return f"unknown difficulty {value!r} (expected {choices})"
        return None
    if name == "time_limit_seconds":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"time limit must be a whole number of seconds, not {value!r}"
        if not MIN_TIME_LIMIT <= value <= MAX_TIME_LIMIT:
            return (
                f"time limit {value} seconds is out of range "
                f"({MIN_TIME_LIMIT}..{MAX_TIME_LIMIT} seconds)"
            )
        return None
    if isinstance(model_field, models.DecimalField) and isinstance(value, float):
        value = _decimal(value)  # DecimalField would round the float to max_digits first
    try:
        model_field.clean(value, None)
    except ValidationError as exc:
        return f"{name}: {' '.join(exc.messages)}"
    return None


def _check_duplicates(records: Iterable[Record]) -> list[Problem]:
    seen: dict[tuple[str, Any], Record] = {}
    problems = []
    for record in records:
        key = record.key
        if key is None:
            continue
        first = seen.setdefault((record.model, key), record)
        if first is record:
            continue
        if record.model == "rubrics.criterion":
            what = f"criterion key {key[1]!r} in rubric {key[0]!r}"
        elif record.model == "questions.probe":
            what = f"probe order {key[1]} for question {key[0]!r}"
        else:
            what = f"{KEY_NAMES[record.model]} {key!r}"
        problems.append(record.problem(f"duplicate {what} (first in {first.where})"))
    return problems


def _by_model(records: Iterable[Record], model: str) -> list[Record]:
    return [record for record in records if record.model == model]


def _check_references(records: Sequence[Record], snapshot: Snapshot) -> list[Problem]:
    def keys(model: str) -> set:
        return {r.key for r in _by_model(records, model) if r.key is not None}

    tags = snapshot.tags | keys("questions.tag")
    failure_modes = snapshot.failure_modes | keys("rubrics.failuremode")
    questions = snapshot.questions | keys("questions.question")
    rubric_kinds: dict[Any, Any] = dict(snapshot.rubric_kinds)
    for rubric in _by_model(records, "rubrics.rubric"):
        if rubric.key is not None:
            rubric_kinds[rubric.key] = rubric.fields.get("kind")

    problems = []
    for record in records:
        fields = record.fields
        if record.model == "questions.question":
            problems += [
                record.problem(f"unknown tag {slug!r}")
                for slug in _many(fields.get("tags"))
                if slug not in tags
            ]
            slug, kind = natural_key(fields.get("rubric")), fields.get("kind")
            if slug is not None and slug not in rubric_kinds:
                problems.append(record.problem(f"unknown rubric slug {slug!r}"))
            elif slug is not None and kind in Kind.values and rubric_kinds[slug] != kind:
                scores = rubric_kinds[slug]
                problems.append(
                    record.problem(f"rubric {slug!r} scores {scores} questions, not {kind}")
                )
        elif record.model == "rubrics.rubric":
            problems += [
                record.problem(f"unknown failure-mode key {key!r}")
                for key in _many(fields.get("failure_modes"))
                if key not in failure_modes
            ]
        elif record.model == "rubrics.criterion":
            slug = natural_key(fields.get("rubric"))
            if slug is not None and slug not in rubric_kinds:
                problems.append(record.problem(f"unknown rubric slug {slug!r}"))
        elif record.model == "questions.probe":
            question_slug = natural_key(fields.get("question"))
            if question_slug is not None and question_slug not in questions:
                problems.append(record.problem(f"unknown question slug {question_slug!r}"))
            key = natural_key(fields.get("failure_mode"))
            if key is not None and key not in failure_modes:
                problems.append(record.problem(f"unknown failure-mode key {key!r}"))
    return problems


def _many(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [key for key in map(natural_key, value) if key is not None]


def _check_defaults(records: Sequence[Record], snapshot: Snapshot) -> list[Problem]:
    """At most one default rubric per kind, counting rubrics already in the database."""
    in_files = {r.key for r in _by_model(records, "rubrics.rubric")}
    defaults: dict[Any, Any] = {
        kind: slug for kind, slug in snapshot.default_rubrics.items() if slug not in in_files
    }
    problems = []
    for record in _by_model(records, "rubrics.rubric"):
        kind = record.fields.get("kind")
        if record.fields.get("is_default") is not True or record.key is None:
            continue
        other = defaults.setdefault(kind, record.key)
        if other != record.key:
            problems.append(
                record.problem(f"{kind} already has a default rubric {other!r}; only one may be")
            )
    return problems


def _check_weights(records: Sequence[Record], snapshot: Snapshot) -> list[Problem]:
    """The criteria of every rubric the files touch must weigh 1 in total once imported."""
    owners: dict[Any, Record] = {}
    for record in _by_model(records, "rubrics.rubric"):
        if record.key is not None:
            owners.setdefault(record.key, record)
    weights: dict[str, dict[str, Decimal | None]] = defaultdict(dict)
    for record in _by_model(records, "rubrics.criterion"):
        if record.key is None:
            continue
        rubric, key = record.key  # type: ignore[str-unpack]  # a criterion's key is (rubric, key)
        owners.setdefault(rubric, record)
        weights[rubric].setdefault(str(key), _decimal(record.fields.get("weight")))

    problems = []
    for rubric, owner in owners.items():
        merged: dict[str, Decimal | None] = dict(snapshot.criteria.get(rubric, {}))
        merged.update(weights.get(rubric, {}))
        if any(weight is None for weight in merged.values()):
            continue  # a weight that is not a number is reported on its own record
        if not merged:
            problems.append(owner.problem("rubric has no criteria; their weights must sum to 1"))
            continue
        total = sum((w for w in merged.values() if w is not None), Decimal(0))
        if total != ONE:
            parts = ", ".join(f"{key} {weight}" for key, weight in sorted(merged.items()))
            problems.append(
                owner.problem(
                    f"criterion weights for rubric {rubric!r} sum to {total}, not 1 ({parts})"
                )
            )
    return problems


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        # repr gives a float's shortest form: 0.35 stays 0.35, not 0.34999...
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
