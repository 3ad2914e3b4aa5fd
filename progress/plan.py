"""The plan behind "Next round for me": plain functions of a candidate's scored attempts and
the time, with no database in them.

Two sources of questions, in this order:

- **Due again.** A question whose latest attempt was weak (overall below 3, or any failure
  mode) comes back after a spaced interval counted from that attempt: 1 day after the first
  weak attempt in a row, 3 after the second, then 7, 14 and 30 days. An attempt without a
  failure mode and at 3 or above retires it.
- **Your traps.** The failure modes of the last ten answers about their question, most
  frequent first, take turns to pick a question whose typical trap (a probe of the question
  targets the mode) is that mode, never answered first, then the least recently answered; one
  answered in the last 14 days only when nothing else is left.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

INTERVALS = (timedelta(days=1), timedelta(days=3), timedelta(days=7), timedelta(days=14))
LONGEST = timedelta(days=30)
WEAK_BELOW = 3.0
RECENT_ANSWERS = 10
PLAN_SIZE = 3
FRESH = timedelta(days=14)


@dataclass(frozen=True)
class Attempt:
    """One scored main answer: its question, when it was submitted, its overall and the keys of
    the failure modes found in it. An answer to another question (`off_topic`) has no failure
    modes because none were judged, not because it avoided them."""

    question_id: int
    submitted_at: datetime
    overall: float
    modes: tuple[str, ...] = ()
    off_topic: bool = False

    @property
    def weak(self) -> bool:
        return self.overall < WEAK_BELOW or bool(self.modes)


@dataclass(frozen=True)
class Review:
    question_id: int
    last: Attempt
    weak_in_a_row: int
    due_at: datetime


@dataclass(frozen=True)
class Pick:
    question_id: int
    reason: str
    mode: str = ""
    review: Review | None = None


def interval(weak_in_a_row: int) -> timedelta:
    """How long after a weak attempt the question comes back: 1, 3, 7, 14, then 30 days."""
    if weak_in_a_row <= len(INTERVALS):
        return INTERVALS[max(weak_in_a_row, 1) - 1]
    return LONGEST


def reviews(attempts: Iterable[Attempt]) -> list[Review]:
    """Every question whose latest attempt was weak, with when it is due; soonest due first."""
    by_question: dict[int, list[Attempt]] = {}
    for attempt in sorted(attempts, key=lambda a: a.submitted_at):
        by_question.setdefault(attempt.question_id, []).append(attempt)
    found = []
    for question_id, history in by_question.items():
        streak = 0
        for attempt in reversed(history):
            if not attempt.weak:
                break
            streak += 1
        if streak:
            last = history[-1]
            due_at = last.submitted_at + interval(streak)
            found.append(Review(question_id, last, streak, due_at))
    return sorted(found, key=lambda r: (r.due_at, r.question_id))


def recent_modes(attempts: Iterable[Attempt], last: int = RECENT_ANSWERS) -> tuple[Counter, int]:
    """How many of the `last` newest attempts that answered their question showed each failure
    mode, and how many there were. Off-topic ones are left out: counted, they would make "no
    failure mode in your last answers" out of answers nobody judged."""
    newest = _newest([a for a in attempts if not a.off_topic], last)
    return Counter(mode for a in newest for mode in set(a.modes)), len(newest)


def recent_off_topic(attempts: Iterable[Attempt], last: int = RECENT_ANSWERS) -> int:
    """How many of the `last` newest attempts answered another question."""
    return sum(a.off_topic for a in _newest(attempts, last))


def _newest(attempts: Iterable[Attempt], last: int) -> list[Attempt]:
    return sorted(attempts, key=lambda a: a.submitted_at)[-last:] if last > 0 else []


def ranked_modes(counts: Counter) -> list[str]:
    """Most frequent first; ties by key so the same history gives the same plan."""
    return [mode for mode, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n]


def last_answered(attempts: Iterable[Attempt]) -> dict[int, datetime]:
    """When each question was last answered."""
    found: dict[int, datetime] = {}
    for attempt in attempts:
        seen = found.get(attempt.question_id)
        found[attempt.question_id] = max(seen or attempt.submitted_at, attempt.submitted_at)
    return found


def question_for_mode(
    mode: str,
    *,
    traps: Mapping[int, Mapping[str, int]],
    last_answered: Mapping[int, datetime],
    now: datetime,
    exclude: Iterable[int] = (),
) -> int | None:
    """A question whose typical trap is `mode`: never answered first, then the least recently
    answered; one answered in the last FRESH days comes last. Ties: the question whose probe
    for the mode comes earliest, then the lowest id. `traps` maps question id to
    {failure mode key: probe order} for the questions that may be asked."""
    excluded = set(exclude)

    def order(question_id: int) -> tuple:
        last = last_answered.get(question_id)
        recent = last is not None and last > now - FRESH
        return (recent, last is not None, last or now, traps[question_id][mode], question_id)

    fits = [q for q, modes in traps.items() if mode in modes and q not in excluded]
    return min(fits, key=order, default=None)


def _days(delta: timedelta) -> str:
    days = max(delta.days, 0)
    return "1 day" if days == 1 else f"{days} days"


def _named(keys: Iterable[str], titles: Mapping[str, str]) -> str:
    names = [f"“{titles.get(key, key)}”" for key in keys]
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def review_reason(review: Review, titles: Mapping[str, str], now: datetime) -> str:
    """ "Due again: 3 days since you scored 2.1 on it with “No way to tell whether it worked”." """
    text = f"Due again: {_days(now - review.last.submitted_at)} since you scored "
    text += f"{review.last.overall:.1f} on it"
    if review.last.modes:
        text += f" with {_named(sorted(review.last.modes), titles)}"
    return text + "."


def trap_reason(mode: str, count: int, out_of: int, titles: Mapping[str, str]) -> str:
    """ "“Scaling before the value is validated” showed up in 3 of your last 10 answers; it is
    this question's typical trap." """
    times = f"{count} of your last {out_of} answers" if out_of > 1 else "your last answer"
    return f"{_named([mode], titles)} showed up in {times}; it is this question's typical trap."


def build_plan(
    *,
    attempts: list[Attempt],
    traps: Mapping[int, Mapping[str, int]],
    titles: Mapping[str, str],
    now: datetime,
    size: int = PLAN_SIZE,
) -> list[Pick]:
    """Up to `size` questions for the candidate's next round, each with the line saying why.

    Due reviews come first, most overdue first, but leave at least one place to a trap
    question while the recent answers show a failure mode. Only questions in `traps` (the
    published ones, each with the modes its probes target, maybe none) are picked.
    """
    counts, out_of = recent_modes(attempts)
    modes = ranked_modes(counts)
    answered = last_answered(attempts)

    picks: list[Pick] = []
    due = [r for r in reviews(attempts) if r.due_at <= now and r.question_id in traps]
    for review in due[: size - 1 if modes else size]:
        picks.append(Pick(review.question_id, review_reason(review, titles, now), review=review))

    taken = {p.question_id for p in picks}
    while modes and len(picks) < size:
        for mode in list(modes):
            if len(picks) >= size:
                break
            question_id = question_for_mode(
                mode, traps=traps, last_answered=answered, now=now, exclude=taken
            )
            if question_id is None:
                modes.remove(mode)  # every question with this trap is in the plan already
                continue
            taken.add(question_id)
            reason = trap_reason(mode, counts[mode], out_of, titles)
            picks.append(Pick(question_id, reason, mode=mode))
    for review in due:  # places no trap question could fill go to the reviews still waiting
        if len(picks) >= size:
            break
        if review.question_id not in taken:
            taken.add(review.question_id)
            picks.append(
                Pick(review.question_id, review_reason(review, titles, now), review=review)
            )
    return picks
