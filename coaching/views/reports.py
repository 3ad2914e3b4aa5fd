"""Exports (a printable transcript, a CSV of scores over time) and the agreement page."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.decorators import role_required
from accounts.http import AuthenticatedRequest
from coaching import agreement as figures
from coaching import selectors
from coaching.charts import bar_chart
from coaching.forms import AgreementPeriodForm
from coaching.permissions import answers_visible_to, candidates_visible_to, get_visible_or_404
from coaching.selectors import HistoryRow, agreement_inputs, load_transcript, score_history

MAX_DISAGREEMENTS = 300


@login_required
def print_transcript(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The transcript, feedback and reviews on one page laid out for paper (or Save as PDF)."""
    answer = get_visible_or_404(answers_visible_to(request.user).filter(follow_up_of=None), pk=pk)
    data = load_transcript(answer, viewer=request.user)
    reviews = ([data.own_review] if data.own_review else []) + data.reviews
    return render(request, "coaching/print.html", {"t": data, "reviews": reviews})


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def history_table(rows: list[HistoryRow]) -> list[list[str]]:
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row.scorer_scores if k not in keys]
    header = ["date", "question", "kind", "scorer overall", "coach overall", "reviewed by"]
    header += [f"{key} ({who})" for key in keys for who in ("scorer", "coach")]
    table = [header]
    for row in rows:
        line: list[object] = [
            row.answer.submitted_at.date().isoformat() if row.answer.submitted_at else "",
            row.answer.question.title,
            row.answer.get_kind_display(),
            row.feedback.overall if row.feedback else "",
            row.coach_overall,
            row.review.coach.username if row.review else "",
        ]
        for key in keys:
            line += [row.scorer_scores.get(key), row.coach_scores.get(key)]
        table.append([_cell(value) for value in line])
    return table


@login_required
def scores_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    candidate = get_visible_or_404(candidates_visible_to(request.user), pk=pk)
    rows = score_history(candidate, viewer=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{candidate.username}-scores.csv"'
    csv.writer(response).writerows(history_table(rows))
    return response


@role_required("admin")
def agreement(request: AuthenticatedRequest) -> HttpResponse:
    default = AgreementPeriodForm.default_period()
    form = AgreementPeriodForm(request.GET or None, initial=default)
    period = form.cleaned_data if form.is_bound and form.is_valid() else default
    items, pairs = agreement_inputs(period["since"], period["until"])
    own_flags = selectors.own_flags_between(period["since"], period["until"])
    titles = selectors.failure_mode_titles()
    modes = figures.mode_agreement(items)
    criteria = figures.criterion_agreement(pairs)
    disagreements = figures.disagreements(items, pairs, titles)
    review_ids = {j.review_id for j in items} | {p.review_id for p in pairs}
    review_ids |= {f.review_id for f in own_flags}
    reviewers = selectors.reviewer_names(review_ids)
    shown = disagreements[:MAX_DISAGREEMENTS]
    titles_by_transcript = selectors.question_titles({d.transcript_id for d in shown})
    context = {
        "form": form,
        "period": period,
        "reviews": len(review_ids),
        "modes": [(m, titles.get(m.failure_mode, m.failure_mode)) for m in modes],
        "criteria": criteria,
        "disagreements": shown,
        "transcripts": titles_by_transcript,
        "more_disagreements": max(0, len(disagreements) - MAX_DISAGREEMENTS),
        "own_flags": own_flags,
        "own_transcripts": selectors.question_titles({f.transcript_id for f in own_flags}),
        "reviewers": reviewers,
        "mode_chart": bar_chart(
            [
                (titles.get(m.failure_mode, m.failure_mode), [m.precision, m.recall, m.kappa])
                for m in modes
            ],
            series=["Precision", "Recall", "Cohen's kappa"],
            max_value=1.0,
            ticks=5,
        ),
        "criterion_chart": bar_chart(
            [(c.label, [c.mean_absolute_difference]) for c in criteria],
            series=["Mean absolute difference"],
            max_value=4.0,
        ),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "coaching/agreement.html", context, status=status)
