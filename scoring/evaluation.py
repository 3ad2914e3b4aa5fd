"""Plain metrics for comparing a scorer's failure modes with labelled ones."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self) | {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def confusion(
    pairs: Iterable[tuple[set[str], set[str]]], keys: Iterable[str]
) -> tuple[dict[str, Counts], Counts]:
    """Per-key counts and their micro total from (expected, predicted) pairs of key sets."""
    per_key = {k: Counts() for k in keys}
    for expected, predicted in pairs:
        for key in expected | predicted:
            counts = per_key.setdefault(key, Counts())
            if key in expected and key in predicted:
                counts.tp += 1
            elif key in predicted:
                counts.fp += 1
            else:
                counts.fn += 1
    micro = Counts(
        tp=sum(c.tp for c in per_key.values()),
        fp=sum(c.fp for c in per_key.values()),
        fn=sum(c.fn for c in per_key.values()),
    )
    return dict(sorted(per_key.items())), micro


def format_table(per_key: dict[str, Counts], micro: Counts) -> str:
    width = max([len(k) for k in per_key] + [len("micro average")])
    head = (
        f"{'failure mode':<{width}}  {'TP':>4} {'FP':>4} {'FN':>4}  "
        f"{'prec':>6} {'recall':>6} {'F1':>6}"
    )
    lines = [head, "-" * len(head)]
    for key, c in [*per_key.items(), ("micro average", micro)]:
        if key == "micro average":
            lines.append("-" * len(head))
        lines.append(
            f"{key:<{width}}  {c.tp:>4} {c.fp:>4} {c.fn:>4}  "
            f"{c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}"
        )
    return "\n".join(lines)
