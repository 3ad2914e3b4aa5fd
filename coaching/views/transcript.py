"""A transcript with the scorer's feedback, and the coach's review of it.

Every write looks the transcript up among the answers the user may review (404 otherwise),
answers an htmx request with the section it changed and anything else with a redirect, and on
bad input shows the section's message and changes nothing.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedRequest
from coaching import selectors, services
from coaching.forms import CommentForm, FlagForm, OwnFlagForm, ReviewedForm, parse_scores
from coaching.models import ReviewFlag
from coaching.permissions import (
    answers_visible_to,
    get_visible_or_404,
    reviews_visible_to,
)
from coaching.selectors import Transcript, load_transcript
from rounds.models import Answer

TEMPLATE = "coaching/transcript.html"


def _passage(query: QueryDict, data: Transcript) -> dict | None:
    """The passage a "Comment on this passage" link asked for, if it lies inside the answer."""
    try:
        answer_id, start, end = (int(query.get(k, "")) for k in ("answer", "start", "end"))
    except (KeyError, ValueError):
        return None
    part = next((p for p in data.parts if p.answer.pk == answer_id), None)
    if part is None or not 0 <= start < end <= len(part.answer.text):
        return None
    return {"answer": answer_id, "start": start, "end": end, "quote": part.answer.text[start:end]}


def _context(
    request: AuthenticatedRequest,
    data: Transcript,
    *,
    errors: dict[str, str] | None = None,
    passage: dict | None = None,
    comment_form: CommentForm | None = None,
    read_only: bool = False,
) -> dict:
    can_review = not read_only and selectors.may_review(request.user, data.main)
    if comment_form is None:
        initial = passage or {"answer": data.main.pk}
        comment_form = CommentForm(initial=initial)
    return {
        "t": data,
        "review": data.own_review,
        "editor_parts": data.editor_parts() if can_review else [],
        "score_rows": data.score_rows() if can_review else [],
        "notice": {},
        "can_review": can_review,
        "errors": errors or {},
        "passage": passage,
        "comment_form": comment_form,
        "reviewed_form": ReviewedForm(
            initial={"comment": data.own_review.review.comment if data.own_review else ""}
        ),
    }


@login_required
@vary_on_headers("HX-Request")
def transcript(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    answer = get_visible_or_404(answers_visible_to(request.user), pk=pk)
    if answer.follow_up_of_id:
        return redirect("coaching:transcript", answer.follow_up_of_id)
    data = load_transcript(answer, viewer=request.user)
    passage = _passage(request.GET, data)
    context = _context(request, data, passage=passage)
    if request.htmx and "start" in request.GET:
        return render(request, f"{TEMPLATE}#comments", context)
    return render(request, TEMPLATE, context)


@login_required
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One finished review beside the scorer's feedback: what the candidate is sent to."""
    found = get_visible_or_404(reviews_visible_to(request.user).select_related("answer"), pk=pk)
    data = load_transcript(found.answer, viewer=request.user, only=found)
    return render(request, TEMPLATE, _context(request, data, read_only=True))


def _transcript_to_review(request: AuthenticatedRequest, pk: int) -> Answer:
    return get_visible_or_404(selectors.transcripts_reviewable_by(request.user), pk=pk)


def _answer(
    request: AuthenticatedRequest,
    main: Answer,
    section: str,
    *,
    error: str = "",
    success: str = "",
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    if not error and not request.htmx:
        messages.success(request, success)
        return redirect(f"{reverse('coaching:transcript', args=[main.pk])}#{section}")
    data = load_transcript(main, viewer=request.user)
    context = _context(request, data, errors={section: error}, comment_form=comment_form)
    context["notice"] = {section: success} if success else {}
    if request.htmx:
        # htmx swaps only 2xx answers by default, and the message must reach the screen.
        return render(request, f"{TEMPLATE}#{section}", context)
    return render(request, TEMPLATE, context, status=400)


def _review_for(request: AuthenticatedRequest, main: Answer):
    return services.start_review(answer=main, coach=request.user)


@require_POST
@login_required
def scores(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    main = _transcript_to_review(request, pk)
    try:
        review = _review_for(request, main)
        changed = services.set_scores(review=review, scores=parse_scores(request.POST))
    except ValueError as exc:
        return _answer(request, main, "scores", error=str(exc))
    except services.CoachingError as exc:
        return _answer(request, main, "scores", error=exc.message)
    return _answer(request, main, "scores", success=f"Scores saved ({len(changed)} changed).")


def _first_error(form: forms.Form) -> str:
    field, problems = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else "Form"
    return f"{label or field}: {problems[0]}"


@require_POST
@login_required
def flag(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    main = _transcript_to_review(request, pk)
    form = FlagForm(request.POST)
    if not form.is_valid():
        return _answer(request, main, "flags", error=_first_error(form))
    try:
        review = _review_for(request, main)
        made = services.flag(
            review=review,
            answer_id=form.cleaned_data["answer"],
            failure_mode_key=form.cleaned_data["failure_mode"],
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
        )
    except services.CoachingError as exc:
        return _answer(request, main, "flags", error=exc.message)
    verb = "added" if made.action == ReviewFlag.Action.ADD else "removed"
    return _answer(request, main, "flags", success=f"“{made.label}” {verb}.")


@require_POST
@login_required
def own_flag(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A flag in the coach's own words, beside the failure modes."""
    main = _transcript_to_review(request, pk)
    form = OwnFlagForm(request.POST)
    if not form.is_valid():
        return _answer(request, main, "flags", error=_first_error(form))
    try:
        made = services.add_own_flag(
            review=_review_for(request, main),
            answer_id=form.cleaned_data["answer"],
            title=form.cleaned_data["title"],
            reason=form.cleaned_data["reason"],
        )
    except services.CoachingError as exc:
        return _answer(request, main, "flags", error=exc.message)
    return _answer(request, main, "flags", success=f"“{made.label}” added.")


@require_POST
@login_required
def flag_undo(request: AuthenticatedRequest, pk: int, flag_pk: int) -> HttpResponse:
    main = _transcript_to_review(request, pk)
    found = get_visible_or_404(selectors.own_flags(main, request.user), pk=flag_pk)
    services.undo_flag(flag=found)
    return _answer(request, main, "flags", success="Flag change undone.")


@require_POST
@login_required
def comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    main = _transcript_to_review(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, main, "comments", error="Write the comment first.", comment_form=form
        )
    try:
        review = _review_for(request, main)
        data = form.cleaned_data
        services.add_comment(
            review=review,
            answer_id=data["answer"],
            text=data["text"],
            start=data["start"],
            end=data["end"],
            quote=data["quote"],
        )
    except services.CoachingError as exc:
        return _answer(request, main, "comments", error=exc.message, comment_form=form)
    return _answer(request, main, "comments", success="Comment added.")


@require_POST
@login_required
def comment_delete(request: AuthenticatedRequest, pk: int, comment_pk: int) -> HttpResponse:
    main = _transcript_to_review(request, pk)
    found = get_visible_or_404(selectors.own_comments(main, request.user), pk=comment_pk)
    services.delete_comment(comment=found)
    return _answer(request, main, "comments", success="Comment deleted.")


@require_POST
@login_required
def mark_reviewed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    main = _transcript_to_review(request, pk)
    form = ReviewedForm(request.POST)
    form.is_valid()
    try:
        review = _review_for(request, main)
        services.mark_reviewed(review=review, comment=form.cleaned_data.get("comment", ""))
    except services.CoachingError as exc:
        return _answer(request, main, "status", error=exc.message)
    return _answer(request, main, "status", success=f"Review sent to {main.candidate.username}.")
