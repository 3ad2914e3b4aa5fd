"""Read bank fixture files into records, reporting files and records that cannot be read."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from questions.bank_io.files import display_path

# The models a bank file may hold, in the order they must be loaded.
LOAD_ORDER = (
    "rubrics.failuremode",
    "rubrics.rubric",
    "rubrics.criterion",
    "questions.tag",
    "questions.question",
    "questions.probe",
)


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    model: str = ""
    record: str = ""

    def __str__(self) -> str:
        where = f"{self.model} {self.record}".strip()
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


@dataclass
class Record:
    file: str
    index: int
    model: str
    fields: dict[str, Any]

    @property
    def key(self) -> str | tuple[str, Any] | None:
        """The natural key, or None when the record lacks the fields that make it up."""
        if self.model == "rubrics.criterion":
            rubric, key = natural_key(self.fields.get("rubric")), self.fields.get("key")
            return (rubric, key) if rubric and isinstance(key, str) and key else None
        if self.model == "questions.probe":
            question, order = natural_key(self.fields.get("question")), self.fields.get("order", 1)
            valid_order = isinstance(order, int) and not isinstance(order, bool)
            return (question, order) if question and valid_order else None
        value = self.fields.get("key" if self.model == "rubrics.failuremode" else "slug")
        return value if isinstance(value, str) and value else None

    @property
    def label(self) -> str:
        key = self.key
        if key is None:
            return f"#{self.index}"
        if isinstance(key, tuple):
            return "'" + "/".join(str(part) for part in key) + "'"
        return f"'{key}'"

    def problem(self, message: str) -> Problem:
        return Problem(self.file, message, self.model, self.label)

    @property
    def where(self) -> str:
        return f"{self.file} record #{self.index}"


def natural_key(value: Any) -> str | None:
    """The slug in a one-part natural key such as ["product-sense"], else None."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str) and value[0]:
        return value[0]
    return None


def read_records(paths: Sequence[Path | str]) -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for path in paths:
        name = display_path(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(Problem(name, "file not found"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, f"cannot read the file: {exc}"))
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(
                Problem(name, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
            )
            continue
        if not isinstance(data, list):
            found = _json_type(data)
            problems.append(Problem(name, f"expected a JSON list of records, not {found}"))
            continue
        for index, item in enumerate(data, start=1):
            record, problem = _read_record(name, index, item)
            if problem:
                problems.append(problem)
            if record:
                records.append(record)
    return records, problems


def _read_record(name: str, index: int, item: Any) -> tuple[Record | None, Problem | None]:
    where = f"#{index}"
    if not isinstance(item, dict):
        return None, Problem(name, f"expected an object, not {_json_type(item)}", record=where)
    model = item.get("model")
    if not isinstance(model, str) or not model:
        return None, Problem(name, 'missing "model"', record=where)
    model = model.lower()
    if model not in LOAD_ORDER:
        expected = ", ".join(LOAD_ORDER)
        return None, Problem(name, f"unknown model (expected one of {expected})", model, where)
    fields = item.get("fields")
    if not isinstance(fields, dict):
        return None, Problem(name, 'missing "fields" object', model, where)
    record = Record(name, index, model, fields)
    if "pk" in item:
        # A pk would clash with rows numbered differently in another database.
        return record, record.problem('records are matched by natural key: remove "pk"')
    return record, None


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")
