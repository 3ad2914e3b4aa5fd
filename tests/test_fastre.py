"""fastre gives exactly the spans of re.finditer: every cue and feature pattern, over every
labelled answer in tests/data (its speed-up is only allowed because it changes no result).

re's spans are the slow half (about 0.4 ms a pattern an answer), so tests/data/fastre_reference.json
keeps a digest of them per set and pattern, keyed by the answers' and the pattern's own digests.
A pattern or a set that changed since the file was written is compared with re.finditer here and
now; `python -m tests.test_fastre` writes the file again, from re alone."""

import hashlib
import json
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from scoring.heuristic import learned as learned_module
from scoring.heuristic import reading as reading_module
from scoring.heuristic import text as text_module
from scoring.heuristic.detect import compile_detector
from scoring.heuristic.fastre import Doc, Finder, FinderSet
from scoring.heuristic.features import FEATURES
from scoring.heuristic.fixture_specs import failure_mode_specs

DATA = Path(__file__).parent / "data"
REFERENCE = DATA / "fastre_reference.json"
# re's behaviour is the language's: a reference written under another Python is not used.
PYTHON = "{}.{}".format(*sys.version_info[:2])


def _finders() -> dict[str, Finder]:
    finders = {f"feature:{f.name}": f.finder for f in FEATURES}
    for key, spec in failure_mode_specs().items():
        cues = compile_detector(spec).cues
        if cues is not None:
            finders[f"cues:{key}"] = cues
    for module in (text_module, reading_module, learned_module):
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, Finder):
                finders[f"{module.__name__.rsplit('.', 1)[1]}:{name}"] = value
    return finders


FINDERS = _finders()


def labelled_sets() -> dict[str, Path]:
    """Every labelled file in tests/data, named by its path without the suffix."""
    paths = [*DATA.glob("*.jsonl"), *DATA.glob("*/*.jsonl")]
    return {str(p.relative_to(DATA).with_suffix("")): p for p in sorted(paths)}


def answers(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["answer"] for line in lines if line.strip()]


def _digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:16]


def pattern_digest(finder: Finder) -> str:
    return _digest([finder.regex.pattern, str(finder.regex.flags)])


def spans_digest(spans: Iterable[list[tuple[int, int]]]) -> str:
    return _digest(json.dumps(s) for s in spans)


def re_spans(finder: Finder, texts: list[str]) -> list[list[tuple[int, int]]]:
    return [[m.span() for m in finder.regex.finditer(text)] for text in texts]


@cache
def reference() -> dict:
    stored = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else {}
    return stored if stored.get("python") == PYTHON else {}


def write_reference() -> None:
    """Digests of re.finditer's spans (never fastre's) for every set and pattern."""
    sets = {}
    for name, path in labelled_sets().items():
        texts = answers(path)
        sets[name] = {
            "answers": _digest(texts),
            "patterns": {
                key: [pattern_digest(finder), spans_digest(re_spans(finder, texts))]
                for key, finder in FINDERS.items()
            },
        }
    compact = {"separators": (",", ":")}
    lines = ",\n".join(f"{json.dumps(n)}: {json.dumps(v, **compact)}" for n, v in sets.items())
    REFERENCE.write_text(f'{{"python": "{PYTHON}", "sets": {{\n{lines}\n}}}}\n')


@pytest.mark.parametrize(("name", "path"), labelled_sets().items(), ids=labelled_sets())
def test_the_same_spans_as_re_finditer_on_every_labelled_answer(name, path):
    texts = answers(path)
    together = FinderSet(FINDERS)
    found = [together.finditer(Doc(text)) for text in texts]
    stored = reference().get("sets", {}).get(name, {})
    known = stored.get("patterns", {}) if stored.get("answers") == _digest(texts) else {}
    for key, finder in FINDERS.items():
        fast = [[m.span() for m in f[key]] for f in found]
        pattern, spans = known.get(key, (None, None))
        if pattern == pattern_digest(finder) and spans_digest(fast) == spans:
            continue
        # New or changed since the reference was written, or different: compare with re itself.
        expected = re_spans(finder, texts)
        for number, (got, want) in enumerate(zip(fast, expected, strict=True), start=1):
            assert got == want, f"{name}:{number} {key}"


def test_the_first_alternative_wins_as_in_re():
    finder = Finder(r"\bgo\b|\bgo global\b|\bglobal launch\b")
    doc = Doc("We go global launch.")
    assert [m.group() for m in finder.finditer(doc)] == ["go", "global launch"]


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        # a group after a word and a space: tried only where one of its words follows
        (r"\bthe (?:cause|culprit) is\b", "The cause is X; the culprit is Y; the cat is Z."),
        # a short literal and a digit: "d7", "w12", not "day" or "d"
        (r"\bd\d{1,2}\b|\bw\d{1,2}\b", "D7 and w12 beat d, day, d123 and wd7."),
        # an apostrophe straight after a short word
        (r"\b(?:i[’\x27]m|i am) (?:really )?torn\b", "I’m torn. I'm really torn. Im torn."),
        # whole words against longer ones and underscores
        (r"\buser\b|\busers?_id\b", "user users user_id usership User"),
        # a capitalised word (case-sensitive inside) at a line or clause start
        (r"(?:^|(?<=\n))(?-i:[A-Z][\w-]+) first\b", "Canada first\nbrazil first\nJapan-only first"),
        # the same word in different cases; letters re takes for ASCII ones (İ, ı, ſ, K), and
        # a pattern's own non-ASCII letter
        (r"\bretent\w*|\bistanbul\b|\bask\b", "Retention RETENTION İstanbul ıstanbul aſK"),
        (r"\bİstanbul\b|\bnaïve\b", "İstanbul istanbul naïve NAÏVE naive"),
        # alternatives re cannot index (a lookbehind first) next to ones it can
        (r"(?<=\$)\d+|\bbudget\b", "a $40 budget, budgets and $5"),
    ],
)
def test_the_same_spans_as_re_on_cases_the_word_index_must_get_right(pattern, text):
    finder = Finder(pattern)
    assert [m.span() for m in finder.finditer(Doc(text))] == [
        m.span() for m in finder.regex.finditer(text)
    ]
    assert finder.regex.findall(text)  # each case matches something: the check is not empty


if __name__ == "__main__":
    write_reference()
    print(f"wrote {REFERENCE.relative_to(Path.cwd())}")
