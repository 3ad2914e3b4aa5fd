"""Fit question relevance (scoring/relevance.py) and measure it on authors it was not trained on.

    .venv/bin/python scripts/train_relevance.py            # held-out figures, then fit on
                                                           # everything and write relevance.json

Every answer in tests/data that is about its question is an example of answering it: the
labelled sets (scorer_*), the corpus, the graded sets' answers of grade 2 to 5 and the bank's
exemplary answers. Off-topic answers are the graded sets' grade-1 answers and those in
tests/data/fit/ (answers written to miss the question they were given to, paired on-topic ones,
behavioral stories from other industries). Each file is one author. Sets in UNSEEN are left out
altogether: they were first measured on the shipped relevance.json.

The four readings (P(asked), strays, contrast, and P(asked) from the answer's words other than
the question's own) are computed for each author's answers by models fitted without that author
(authors are split into FOLDS groups, each read by models fitted on the others), and the
combiner that turns them into P(off topic) is fitted on those held-out values; the figures
printed hold each author out of the combiner too. Needs scikit-learn (a dev dependency); the
scorer reads only the JSON this writes.
"""

import json
import os
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: others share this machine
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy.sparse import csr_matrix, hstack  # noqa: E402
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.fit import THRESHOLDS, question_facts, question_fit, with_relevance  # noqa: E402
from scoring.heuristic.fixture_specs import bank_questions, question_spec  # noqa: E402
from scoring.relevance import WEIGHTS, logit, relevance_model  # noqa: E402

DATA = ROOT / "tests" / "data"
# Kept out of training, so that they measure it (the README has the figures). Every set that
# measured an earlier version trains the next: heuristic-15 graded_u to ai and fresh29 to 31,
# heuristic-16 graded_aj to am, heuristic-17 graded_an to aq (and fit/ot7 to ot10, written for
# training), heuristic-18 graded_ar to bc (and fit/ot11 to ot14); graded_bd to bo were written
# after its weights, to measure them; heuristic-22 trains on all of those (and fit/st1 to st8),
# and graded_cn to cu were written after it, to measure it.
UNSEEN = tuple(f"graded_c{c}" for c in "nopqrstu")
UNSEEN += ("st9", "st10", "st11", "st12")  # fit/: short stories written once it was final
KIND = {q["slug"]: q["kind"] for q in bank_questions()}
C = 10.0  # which question (many classes, many examples each: little regularisation)
C_CONTRAST = 3.0
MIN_DOCS = 3  # a word seen in fewer training answers is left out
CUT = 0.2  # smaller question weights are set to 0: the file stays small, the figures do not move
CENTROID_WORDS = 300  # each question's centroid keeps its largest words
FOLDS = 8  # held-out readings: each author is read by models fitted without its group of authors
# Held-out answers are also read cut to their first N words: a short answer says less, so the
# same P(off topic) is weaker evidence (scoring.fit.SHORT_THRESHOLDS raises the bar below 200).
PREFIXES = (40, 60, 90, 120, 150, 175, 200)


def _lines(path: Path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a file still being written
        if isinstance(row, dict) and row.get("answer") and row.get("question"):
            out.append(row | {"off": row.get("grade") == 1})
    return out


def load() -> dict[str, list[dict]]:
    """Answers by author (file), each marked `off` when it does not answer its question."""
    authors: dict[str, list[dict]] = defaultdict(list)
    paths = [*DATA.glob("scorer_*.jsonl"), *DATA.glob("corpus/*.jsonl")]
    paths += [*DATA.glob("graded_*.jsonl"), *DATA.glob("fit/*.jsonl")]
    for path in sorted(p for p in paths if p.stem not in UNSEEN):
        authors[path.stem] += [r for r in _lines(path) if r["question"] in KIND]
    authors["exemplars"] = [
        {"question": q["slug"], "answer": q["exemplary_answer"], "off": False}
        for q in bank_questions()
        if q.get("exemplary_answer", "").strip()
    ]
    return dict(authors)


KINDS = ("behavioral", "execution", "gtm", "product_sense")


def _by_kind(x, kinds: list[str], content: np.ndarray):
    """The answer's content words once per kind of question (zero under the other kinds), and
    the kind itself: what marks an answer as off topic depends on what kind of question it was
    given to (a campaign's segments are on topic for a go-to-market question, not for a story)."""
    blocks = []
    for kind in KINDS:
        mask = np.array([[k == kind] for k in kinds], dtype=float)
        blocks.append(x.multiply(content).multiply(mask))
    blocks.append(csr_matrix(np.array([[k == kind for kind in KINDS] for k in kinds], dtype=float)))
    return hstack(blocks).tocsr()


def question_words(vectorizer: TfidfVectorizer) -> dict[str, list[int]]:
    """Each bank question's own words (prompt and context), as vocabulary columns."""
    vocabulary, analyse = vectorizer.vocabulary_, vectorizer.build_analyzer()
    return {
        q["slug"]: sorted(
            {
                vocabulary[w]
                for w in analyse(f"{q['prompt']} {q.get('context', '')}")
                if w in vocabulary
            }
        )
        for q in bank_questions()
    }


class Readings:
    """The four readings' models, fitted on some answers."""

    def __init__(self, rows: list[dict]) -> None:
        on = [r for r in rows if not r["off"]]
        self.vectorizer = TfidfVectorizer(min_df=MIN_DOCS, sublinear_tf=True)
        x_on = self.vectorizer.fit_transform([r["answer"] for r in on])
        self.which = LogisticRegression(C=C, max_iter=3000)
        self.which.fit(x_on, [r["question"] for r in on])
        self.which.coef_[np.abs(self.which.coef_) < CUT] = 0.0
        self.classes = {q: i for i, q in enumerate(self.which.classes_)}
        # An answer to another question can reuse the asked question's nouns ("watch time per
        # DAU" in a north-star pitch): which question do the answer's *other* words answer?
        self.own_words = question_words(self.vectorizer)
        self.which_rest = LogisticRegression(C=C, max_iter=3000)
        self.which_rest.fit(self.rest(on), [r["question"] for r in on])
        self.which_rest.coef_[np.abs(self.which_rest.coef_) < CUT] = 0.0
        self.centroids = _centroids(x_on, [r["question"] for r in on])
        # Function words say how a writer writes, not what the answer is about: left out.
        vocabulary = self.vectorizer.get_feature_names_out()
        self.content = np.array([w not in ENGLISH_STOP_WORDS for w in vocabulary], dtype=float)
        self.contrast = LogisticRegression(C=C_CONTRAST, class_weight="balanced", max_iter=3000)
        x_all = self.vectorizer.transform([r["answer"] for r in rows])
        self.contrast.fit(
            _by_kind(x_all, [KIND[r["question"]] for r in rows], self.content),
            [r["off"] for r in rows],
        )

    def rest(self, rows: list[dict]):
        """The answers' vectors without their question's own words, normalised again."""
        x = self.vectorizer.transform([r["answer"] for r in rows]).tolil()
        for j, r in enumerate(rows):
            for column in self.own_words[r["question"]]:
                x[j, column] = 0.0
        return normalize(x.tocsr())

    def features(self, rows: list[dict]) -> np.ndarray:
        """Per row: logit P(asked), strays, contrast score, logit P(asked | its other words)."""
        x = self.vectorizer.transform([r["answer"] for r in rows])
        p = self.which.predict_proba(x)
        p_rest = self.which_rest.predict_proba(self.rest(rows))
        contrast = self.contrast.decision_function(
            _by_kind(x, [KIND[r["question"]] for r in rows], self.content)
        )
        out = np.zeros((len(rows), 4))
        for j, r in enumerate(rows):
            column = self.classes[r["question"]]
            centre, mean, sd = self.centroids[r["question"]]
            strays = (float((x[j] @ centre)[0]) - mean) / sd
            asked, asked_rest = float(p[j, column]), float(p_rest[j, column])
            out[j] = (logit(asked), strays, contrast[j], logit(asked_rest))
        return out


def _centroids(x, questions: list[str]) -> dict[str, tuple[np.ndarray, float, float]]:
    """Each question's mean answer (its largest words) and how far its own answers stray."""
    by_question: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(questions):
        by_question[q].append(i)
    out = {}
    for question, index in by_question.items():
        mean = np.asarray(x[index].mean(axis=0)).ravel()
        mean[np.argsort(mean)[:-CENTROID_WORDS]] = 0.0
        mean /= np.linalg.norm(mean)
        similarity = x[index] @ mean
        out[question] = (mean, float(similarity.mean()), float(similarity.std()) or 1.0)
    return out


def _cut(row: dict, words: int) -> dict:
    return row | {"answer": " ".join(row["answer"].split()[:words])}


def held_out(authors: dict[str, list[dict]]) -> tuple[np.ndarray, np.ndarray, list[dict], dict]:
    """The readings of each author's answers by models fitted without that author: authors in
    FOLDS groups, each group read by models fitted on the others; and the same readings of the
    answers cut to each of PREFIXES words."""
    names = sorted(authors)
    features, labels, rows_out = [], [], []
    cut: dict[int, list[np.ndarray]] = {n: [] for n in PREFIXES}
    for i in range(FOLDS):
        group = set(names[i::FOLDS])
        rest = [r for a in names if a not in group for r in authors[a]]
        rows = [r | {"author": a} for a in names if a in group for r in authors[a]]
        readings = Readings(rest)
        features.append(readings.features(rows))
        for n in PREFIXES:
            cut[n].append(readings.features([_cut(r, n) for r in rows]))
        labels += [r["off"] for r in rows]
        rows_out += rows
        print(f"  group {i + 1} of {FOLDS}: read by models fitted without it", file=sys.stderr)
    cut_features = {n: np.vstack(parts) for n, parts in cut.items()}
    return np.vstack(features), np.array(labels), rows_out, cut_features


def combiner(features: np.ndarray, labels: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=1000).fit(features, labels)


def report(
    features: np.ndarray, labels: np.ndarray, rows: list[dict], cut: dict[int, np.ndarray]
) -> None:
    """The verdicts fit.py would give, each author held out of the combiner as well."""
    groups = [r["author"] for r in rows]
    off = np.zeros(len(labels))
    off_cut = {n: np.zeros(len(labels)) for n in cut}
    for author in sorted(set(groups)):
        mask = np.array([g == author for g in groups])
        fitted = combiner(features[~mask], labels[~mask])
        off[mask] = fitted.predict_proba(features[mask])[:, 1]
        for n, x in cut.items():
            off_cut[n][mask] = fitted.predict_proba(x[mask])[:, 1]
    specs = {q["slug"]: question_spec(q) for q in bank_questions()}
    kinds = np.array([KIND[r["question"]] == "behavioral" for r in rows])
    words = [question_fit(replace(specs[r["question"]], slug=None), r["answer"]) for r in rows]
    verdict = np.array(
        [
            with_relevance(w.verdict, float(p), KIND[r["question"]], len(r["answer"].split()))
            for w, p, r in zip(words, off, rows, strict=True)
        ]
    )
    print(
        f"{len(labels)} answers by {len(set(groups))} authors, {labels.sum()} off topic; "
        "each author's answers read by models fitted without that author"
    )
    print("judged off topic                         | on-topic | off-topic")
    judged = [
        (f"P(off topic) >= {t}", off >= t)
        for t in sorted({0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, *THRESHOLDS.values()})
    ]
    judged += [
        ("coverage alone", np.array([w.verdict == "off_topic" for w in words])),
        ("fit.py's verdict", verdict == "off_topic"),
    ]
    for name, hit in judged:
        for part, mask in (("behavioral", kinds), ("other kinds", ~kinds)):
            print(
                f"{name + ', ' + part:<40} | {hit[~labels & mask].mean():8.3f} | "
                f"{hit[labels & mask].mean():9.3f}"
            )
    print("the same answers cut to their first N words: on-topic / off-topic judged off topic")
    bars = (0.15, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
    print(f"{'':<22}" + "".join(f"| P >= {t:<11}" for t in bars))
    for n, p in off_cut.items():
        for part, mask in (("behavioral", kinds), ("other kinds", ~kinds)):
            cells = "".join(
                f"| {(p >= t)[~labels & mask].mean():.3f} {(p >= t)[labels & mask].mean():.3f}  "
                for t in bars
            )
            print(f"{n:>3} words, {part:<11}{cells}")
    # scoring.fit.SHORT_THRESHOLDS: for answers of at least N words (up to the next row), the
    # lowest bar at which on-topic answers cut to N words are judged off topic at most half a
    # point more often than whole ones at the kind's own bar; 1.01 (never) where none does.
    # Under 90 words fit.py keeps 0.95 instead: a short off-topic answer nothing catches
    # outranks the weak one.
    print("bars for answers of at least N words (scoring.fit.SHORT_THRESHOLDS):")
    for part, mask, kind in (("behavioral", kinds, "behavioral"), ("other kinds", ~kinds, "")):
        whole = (off >= THRESHOLDS[kind])[~labels & mask].mean()
        row = []
        for n, p in off_cut.items():
            if n >= 200:
                continue  # whole-answer bars: THRESHOLDS
            ok = [t for t in bars if (p >= t)[~labels & mask].mean() <= whole + 0.005]
            row.append(f"{n}: {ok[0] if ok else 1.01}")
        print(f"  {part} (whole answers {whole:.3f}): " + ", ".join(row))


def _word_weights(model: LogisticRegression, vocabulary: list[str]) -> dict[str, list]:
    """word -> [[class, weight], ...] for its non-zero weights."""
    weights: dict[str, list] = {}
    for j, word in enumerate(vocabulary):
        column = model.coef_[:, j]
        pairs = [[int(i), round(float(column[i]), 3)] for i in np.flatnonzero(column)]
        if pairs:
            weights[word] = pairs
    return weights


def write(readings: Readings, combine: LogisticRegression) -> None:
    vocabulary = [str(w) for w in readings.vectorizer.get_feature_names_out()]
    questions = [str(q) for q in readings.which.classes_]
    asked = {
        q["slug"]: question_facts(q["prompt"], q.get("context", "")).decision
        for q in bank_questions()
    }
    contrast = readings.contrast.coef_[0]
    size = len(vocabulary)
    data = {
        "questions": questions,
        "asks": {q: asked[q] for q in questions},
        "bias": [round(float(b), 4) for b in readings.which.intercept_],
        # Every word's idf, weighted or not: the answer's vector is normalised over all of them.
        "idf": {
            w: round(float(v), 4) for w, v in zip(vocabulary, readings.vectorizer.idf_, strict=True)
        },
        "weights": _word_weights(readings.which, vocabulary),
        # P(asked question | the answer's other words), and each question's own words
        "rest": {
            "bias": [round(float(b), 4) for b in readings.which_rest.intercept_],
            "weights": _word_weights(readings.which_rest, vocabulary),
            "own_words": {q: [vocabulary[j] for j in readings.own_words[q]] for q in questions},
        },
        "centroids": {
            q: {
                "words": {vocabulary[j]: round(float(c[j]), 4) for j in np.flatnonzero(c)},
                "mean": round(mean, 4),
                "sd": round(sd, 4),
            }
            for q, (c, mean, sd) in sorted(readings.centroids.items())
        },
        "kinds": {q: KIND[q] for q in questions},
        "contrast": {
            "bias": round(float(readings.contrast.intercept_[0]), 4),
            "kinds": {
                kind: {
                    "bias": round(float(contrast[len(KINDS) * size + i]), 4),
                    "weights": {
                        vocabulary[j]: round(float(w), 3)
                        for j, w in enumerate(contrast[i * size : (i + 1) * size])
                        if abs(w) >= 0.001
                    },
                }
                for i, kind in enumerate(KINDS)
            },
        },
        "combine": [round(float(v), 4) for v in (*combine.coef_[0], combine.intercept_[0])],
    }
    WEIGHTS.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    size = WEIGHTS.stat().st_size // 1024
    print(f"wrote {WEIGHTS.relative_to(ROOT)}: {len(questions)} questions, {size} KiB")


def check(readings: Readings, combine: LogisticRegression, rows: list[dict]) -> None:
    """The pure-Python reader gives what scikit-learn gives."""
    relevance_model.cache_clear()
    ours = relevance_model()
    assert ours is not None
    theirs = combine.predict_proba(readings.features(rows))[:, 1]
    worst = max(
        abs(ours.relevance(r["question"], r["answer"]).off_topic - t)
        for r, t in zip(rows, theirs, strict=True)
    )
    print(f"pure-Python reader vs scikit-learn on {len(rows)} answers: max difference {worst:.2e}")
    assert worst < 1e-2, worst


def main() -> None:
    authors = load()
    features, labels, held, cut = held_out(authors)
    report(features, labels, held, cut)
    rows = [r for rs in authors.values() for r in rs]
    readings = Readings(rows)
    combine = combiner(features, labels)
    write(readings, combine)
    check(readings, combine, rows[:: max(1, len(rows) // 300)])


if __name__ == "__main__":
    main()
