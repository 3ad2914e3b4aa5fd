"""Each criterion names its aspect; renaming its label never changes how it is scored."""

import dataclasses
import json

from scoring.heuristic import HeuristicScorer
from scoring.heuristic.criteria import BY_NAME
from scoring.heuristic.fixture_specs import FIXTURES, rubric_specs
from scoring.types import QuestionSpec


def test_every_fixture_criterion_names_a_known_aspect():
    records = json.loads((FIXTURES / "rubrics.json").read_text(encoding="utf-8"))
    for record in records:
        if record["model"] == "rubrics.criterion":
            assert record["fields"]["aspect"] in BY_NAME, record["fields"]["key"]


def test_renaming_a_label_does_not_change_the_score():
    rubric = rubric_specs()["default:gtm"]
    renamed = dataclasses.replace(
        rubric,
        criteria=tuple(dataclasses.replace(c, label="Vibes and feelings") for c in rubric.criteria),
    )
    question = QuestionSpec(kind="gtm", prompt="How would you launch it?")
    answer = (
        "We launch to every market at once and judge success on views. Marketing gets the "
        "finished product and runs the campaign."
    )
    scorer = HeuristicScorer()
    before = scorer.score(rubric, question, answer)
    after = scorer.score(renamed, question, answer)
    assert [c.score for c in after.criteria] == [c.score for c in before.criteria]
    assert after.overall == before.overall
