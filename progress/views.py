from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from prep.lib.once import posted_key
from progress import plan, report, selectors
from progress.charts import count_chart, line_chart
from progress.forms import PlanRoundForm, RecentForm
from rounds import services
from rounds.services import RoundError


@login_required
def progress(request: AuthenticatedRequest) -> HttpResponse:
    """Overall and per-criterion scores by round, and the failure modes of the last N answers."""
    form = RecentForm(request.GET or None)
    n = form.cleaned_data["n"] if form.is_valid() else report.DEFAULT_N
    history = selectors.history(request.user)
    last_rounds = report.last_rounds(history.answers)
    selectors.add_criteria([answer for group in last_rounds for answer in group])
    rounds = report.rounds_over_time(last_rounds)
    modes, out_of = report.mode_frequency(history, n)
    context = {
        "form": form,
        "n": n,
        "rounds": rounds,
        "overall_chart": line_chart([(p.day, p.score) for p in rounds]) if rounds else None,
        "criteria": report.criteria_over_time(last_rounds),
        "modes": modes,
        "out_of": out_of,
        "off_topic": plan.recent_off_topic(history.attempts, n),
        "mode_chart": count_chart([(m.title, m.count) for m in modes], out_of=out_of),
        "next_mode": modes[0] if modes else None,
        "next_question": _question_for(history, modes[0].key) if modes else None,
    }
    return render(request, "progress/progress.html", context, status=422 if form.errors else 200)


def _question_for(history: selectors.History, mode: str):
    question_id = plan.question_for_mode(
        mode,
        traps=selectors.traps(),
        last_answered=plan.last_answered(history.attempts),
        now=timezone.now(),
    )
    return selectors.questions_by_id([question_id]).get(question_id) if question_id else None


@login_required
def plan_page(request: AuthenticatedRequest) -> HttpResponse:
    return _plan(request)


def _plan(request: AuthenticatedRequest, error: str = "") -> HttpResponse:
    """The next round the plan picks, each question with why, and the reviews due later."""
    now = timezone.now()
    history = selectors.history(request.user)
    attempts = history.attempts
    picks = plan.build_plan(
        attempts=attempts, traps=selectors.traps(), titles=history.titles, now=now
    )
    later = [r for r in plan.reviews(attempts) if r.due_at > now][:5]
    questions = selectors.questions_by_id(
        [p.question_id for p in picks] + [r.question_id for r in later]
    )
    context = {
        "picks": [(p, questions[p.question_id]) for p in picks if p.question_id in questions],
        "later": [(r, questions[r.question_id]) for r in later if r.question_id in questions],
        "answered": bool(attempts),
        "error": error,
    }
    return render(request, "progress/plan.html", context, status=422 if error else 200)


@require_POST
@login_required
def start_plan(request: AuthenticatedRequest) -> HttpResponse:
    """Start a round with exactly the questions the plan page showed."""
    form = PlanRoundForm(request.POST)
    if not form.is_valid():
        return _plan(request, error=form.errors["question"][0])
    try:
        round_ = services.start_practice(
            candidate=request.user,
            questions=form.cleaned_data["question"],
            start_key=posted_key(request.POST),
        )
    except RoundError as exc:
        return _plan(request, error=exc.message)
    return redirect(round_)
