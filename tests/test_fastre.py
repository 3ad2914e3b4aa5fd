"""fastre gives exactly the spans of re.finditer: every cue and feature pattern, over every
labelled answer (its speed-up is only allowed because it changes no result)."""

import pytest

from scoring.heuristic import text as text_module
from scoring.heuristic.detect import compile_detector
from scoring.heuristic.fastre import Doc, Finder, FinderSet
from scoring.heuristic.features import FEATURES
from scoring.heuristic.fixture_specs import failure_mode_specs
from tests.scorer_sets import load_rows, set_names


def _finders() -> dict[str, Finder]:
    finders = {f"feature:{f.name}": f.finder for f in FEATURES}
    for key, spec in failure_mode_specs().items():
        cues = compile_detector(spec).cues
        if cues is not None:
            finders[f"cues:{key}"] = cues
    for name in dir(text_module):
        value = getattr(text_module, name)
        if isinstance(value, Finder):
            finders[f"text:{name}"] = value
    return finders


FINDERS = _finders()


@pytest.mark.parametrize("name", set_names())
def test_the_same_spans_as_re_finditer_on_every_labelled_answer(name):
    together = FinderSet(FINDERS)
    for number, row in enumerate(load_rows(name), start=1):
        answer = row["answer"]
        doc = Doc(answer)
        found = together.finditer(doc)
        for key, finder in FINDERS.items():
            expected = [m.span() for m in finder.regex.finditer(answer)]
            assert [m.span() for m in found[key]] == expected, f"{name}:{number} {key}"


def test_the_first_alternative_wins_as_in_re():
    finder = Finder(r"\bgo\b|\bgo global\b|\bglobal launch\b")
    doc = Doc("We go global launch.")
    assert [m.group() for m in finder.finditer(doc)] == ["go", "global launch"]
