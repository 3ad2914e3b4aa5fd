"""Figures for a graded set: does the overall score rank answers as an interviewer's grade does?

A graded row carries `grade` (1 off topic .. 5 strong hire, as in shared/LABELING.md); the scorer's
overall for it is compared by rank (Spearman), by mean per grade, and per question: every
off-topic answer (grade 1) should score below the weak answer (grade 2) to the same question.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation (Pearson on average ranks); 0.0 when either side is constant."""
    if len(xs) != len(ys) or len(xs) < 2:
        return 0.0
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = mean(rx), mean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


@dataclass
class GradedFigures:
    answers: int
    spearman: float
    mean_by_grade: dict[int, float]
    # (question, off-topic overall, weak overall) for every question with both grades
    off_topic_vs_weak: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def off_topic_below_weak(self) -> int:
        return sum(1 for _, off, weak in self.off_topic_vs_weak if off < weak)

    def as_dict(self) -> dict:
        return {
            "answers": self.answers,
            "spearman": round(self.spearman, 4),
            "mean_by_grade": {g: round(m, 3) for g, m in sorted(self.mean_by_grade.items())},
            "off_topic_below_weak": self.off_topic_below_weak,
            "off_topic_pairs": len(self.off_topic_vs_weak),
            "off_topic_not_below_weak": [
                {"question": q, "off_topic": off, "weak": weak}
                for q, off, weak in self.off_topic_vs_weak
                if off >= weak
            ],
        }

    def format(self) -> str:
        lines = [
            f"graded answers: {self.answers}",
            f"Spearman(grade, overall): {self.spearman:.3f}",
        ]
        lines.append(
            "mean overall by grade: "
            + ", ".join(f"{g}: {m:.2f}" for g, m in sorted(self.mean_by_grade.items()))
        )
        lines.append(
            f"off-topic below the weak answer: {self.off_topic_below_weak} "
            f"of {len(self.off_topic_vs_weak)} questions"
        )
        for question, off, weak in self.off_topic_vs_weak:
            if off >= weak:
                lines.append(f"  {question}: off topic {off:.2f} >= weak {weak:.2f}")
        return "\n".join(lines)


def graded_figures(rows: Sequence[tuple[str, int, float]]) -> GradedFigures:
    """Figures from (question, grade, overall) triples."""
    by_grade: dict[int, list[float]] = defaultdict(list)
    by_question: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for question, grade, overall in rows:
        by_grade[grade].append(overall)
        by_question[question][grade].append(overall)
    pairs: list[tuple[str, float, float]] = []
    for question, grades in by_question.items():
        if grades.get(1) and grades.get(2):
            weak = min(grades[2])
            pairs.extend((question, off, weak) for off in grades[1])
    return GradedFigures(
        answers=len(rows),
        spearman=spearman([g for _, g, _ in rows], [o for _, _, o in rows]),
        mean_by_grade={g: mean(v) for g, v in by_grade.items()},
        off_topic_vs_weak=pairs,
    )
