import contextlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import SIGNED_OUT, login_required_or_401
from accounts.http import AuthenticatedRequest
from coaching.selectors import finished_reviews_of
from feedback import selectors as feedback_selectors
from feedback.exemplars import Exemplar, exemplar_for, exemplar_shown_for
from practice.forms import StartRoundForm
from prep.lib.kinds import Kind
from prep.lib.once import posted_key
from progress import selectors as progress_selectors
from questions.selectors import companies_in_use, tags_in_use
from rounds import autosave, drafts, selectors, services
from rounds.models import FOLLOW_UP_SECONDS, MAX_ANSWER_CHARS, MAX_DRAFT_CHARS, Answer, Round
from rounds.services import RoundError

# Feedback polls once a second; after this many tries it asks the candidate to come back.
MAX_POLLS = 120
# The home page's one-click round: one question of any kind, ten minutes (then its follow-up).
SHORT_ROUND_SECONDS = 10 * 60


def _get_round_for_user(request: AuthenticatedRequest, pk: int) -> Round:
    return get_object_or_404(Round, pk=pk, candidate=request.user)


def _get_answer(round_: Round, pk: int) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related("question", "follow_up_of"), pk=pk, round=round_
    )


def _submit_expired_drafts(round_: Round) -> None:
    # A tab closed at the deadline is handled when the candidate comes back, worker or not.
    if not round_.is_finished:
        services.close_expired_answers(round_id=round_.pk)


def home(request: AuthenticatedRequest) -> HttpResponse:
    """What Prep is, and a first round in one click (signed out: sign up first, then here)."""
    return render(request, "practice/home.html", _home_context(request))


def _home_context(request: AuthenticatedRequest, error: str = "") -> dict:
    in_progress = None
    if request.user.is_authenticated:
        in_progress = selectors.rounds_for(request.user).filter(finished_at__isnull=True).first()
    return {
        "in_progress": in_progress,
        "short_seconds": SHORT_ROUND_SECONDS,
        "follow_up_seconds": FOLLOW_UP_SECONDS,
        "error": error,
    }


@require_POST
@login_required
def quick_start(request: AuthenticatedRequest) -> HttpResponse:
    """The home page's "Start a short round": the round is made, its clock not yet started."""
    try:
        round_ = services.start_round(
            candidate=request.user,
            kinds=list(Kind.values),
            count=1,
            time_per_question_seconds=SHORT_ROUND_SECONDS,
            start_key=posted_key(request.POST),
        )
    except RoundError as exc:
        context = _home_context(request, exc.message)
        return render(request, "practice/home.html", context, status=422)
    return redirect("practice:ready", round_.pk)


@login_required
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    rounds = list(selectors.rounds_for(request.user))
    scores = progress_selectors.round_scores(request.user)
    context = {
        "rounds": rounds,
        "rows": [(r, scores.get(r.pk, progress_selectors.NOT_SCORED)) for r in rounds],
    }
    return render(request, "practice/list.html", context)


@login_required
def new(request: AuthenticatedRequest) -> HttpResponse:
    form = StartRoundForm(
        request.POST or None,
        tags=[(tag.slug, tag.name) for tag in tags_in_use()],
        companies=companies_in_use(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.start_round(
                candidate=request.user, **form.round_options(), start_key=posted_key(request.POST)
            )
        except RoundError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("practice:ready", round_.pk)
    return render(request, "practice/new.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def detail(request: AuthenticatedRequest, round_pk: int) -> HttpResponse:
    """Go on with the round (services.advance: it submits expired drafts and finishes a round
    with nothing left): to the open question or follow-up, else the summary."""
    round_ = _get_round_for_user(request, round_pk)
    if step := services.advance(round_):
        if step.started_at is None and not selectors.has_begun(round_):
            return redirect("practice:ready", round_.pk)
        return redirect(step)
    return redirect("practice:summary", round_.pk)


@login_required
def ready(request: AuthenticatedRequest, round_pk: int) -> HttpResponse:
    """Before the clock starts: how many questions, how long, and what will happen."""
    round_ = _get_round_for_user(request, round_pk)
    if round_.is_finished or selectors.has_begun(round_):
        return redirect(round_)
    questions = list(round_.answers.filter(follow_up_of__isnull=True).order_by("position"))
    limits = {a.time_limit_seconds for a in questions}
    context = {
        "round": round_,
        "questions": questions,
        "same_limit": limits.pop() if len(limits) == 1 else None,
        "follow_up_seconds": FOLLOW_UP_SECONDS,
        "total_seconds": sum((a.time_limit_seconds or 0) + FOLLOW_UP_SECONDS for a in questions),
    }
    return render(request, "practice/ready.html", context)


@require_POST
@login_required
def begin(request: AuthenticatedRequest, round_pk: int) -> HttpResponse:
    """ "Start the clock": the first question opens and its deadline is set now, by the server."""
    round_ = _get_round_for_user(request, round_pk)
    if step := services.begin_round(round_=round_):
        return redirect(step)
    return redirect("practice:summary", round_.pk)


@login_required
def answer(request: AuthenticatedRequest, round_pk: int, answer_pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, round_pk)
    _submit_expired_drafts(round_)
    answer = _get_answer(round_, answer_pk)
    if answer.is_submitted or round_.is_finished:
        return _transcript(request, round_, answer)
    if selectors.current_step(round_) != answer:
        return redirect(round_)  # questions open in order, one at a time
    if answer.started_at is None and not selectors.has_begun(round_):
        return redirect("practice:ready", round_.pk)  # the clock starts on the ready screen
    services.open_answer(answer=answer)
    return render(request, "practice/answer.html", _answer_context(request, answer))


def _timed_out(answer: Answer | None) -> bool:
    """Submitted by the server at the deadline, or by the page itself when its timer hit zero."""
    if answer is None or answer.submitted_at is None:
        return False
    return answer.auto_submitted or bool(answer.deadline and answer.submitted_at >= answer.deadline)


def _answer_context(
    request: AuthenticatedRequest, answer: Answer, *, text: str | None = None, error: str = ""
) -> dict:
    return {
        "autosave_token": autosave.token_for(request, answer.pk),
        "previous_timed_out": _timed_out(selectors.previous_step(answer)),
        "round": answer.round,
        "answer": answer,
        "question": answer.question,
        "question_count": selectors.question_count(answer.round_id),
        "text": answer.draft if text is None else text,
        "seconds_left": answer.seconds_left(),
        "saved_at": answer.draft_saved_at,
        "error": error,
        "max_chars": MAX_ANSWER_CHARS,
        "max_draft_chars": MAX_DRAFT_CHARS,
        "save_pause_ms": settings.AUTOSAVE_PAUSE_MS,
        "retry_ms": ",".join(str(ms) for ms in settings.AUTOSAVE_RETRY_MS),
    }


def _transcript(request: AuthenticatedRequest, round_: Round, answer: Answer) -> HttpResponse:
    """A question once answered: prompt, answer, probe, probe's answer, and their feedback."""
    main = answer.follow_up_of or answer
    follow_up = getattr(main, "follow_up", None)
    pair = [feedback_selectors.answer_with_feedback(a) for a in (main, follow_up) if a]
    context = {
        "round": round_,
        "question": main.question,
        "main": feedback_selectors.feedback_for(pair[0]),
        "follow_up": feedback_selectors.feedback_for(pair[1]) if len(pair) > 1 else None,
        "step": None if round_.is_finished else selectors.current_step(round_),
        "reviews": finished_reviews_of(request.user, main),
        "exemplar": _exemplar(round_, main),
    }
    return render(request, "practice/transcript.html", context)


def _exemplar(round_: Round, answer: Answer) -> Exemplar | None:
    """The question's strong answer, once the candidate's attempt at it is over; else None."""
    if not exemplar_shown_for(answer, round_finished=round_.is_finished):
        return None
    return exemplar_for(answer.question, prefix=f"exemplar-{answer.pk}")


@csrf_exempt
@require_POST
def draft(request: AuthenticatedRequest, round_pk: int, answer_pk: int) -> HttpResponse:
    """Autosave. With the page's token the happy path is one UPDATE, the session and the user
    never loaded (rounds/autosave.py); everything else goes the signed-in way. The token, tied
    to the session and sent in the body, is what a CSRF token is, so only that way checks one."""
    if signed := autosave.session_candidate(request, answer_pk):
        candidate_id, session_key = signed
        try:
            saved_at = drafts.save_draft_for_session(
                candidate_id=candidate_id,
                session_key=session_key,
                round_id=round_pk,
                answer_id=answer_pk,
                text=request.POST.get("text", ""),
                sequence=_sequence(request),
            )
        except RoundError as exc:
            return _draft_status(error=exc.message, status=exc.status)
        if saved_at is not None:
            return _draft_status(saved_at=saved_at)
    return _draft_signed_in(request, round_pk, answer_pk)


@csrf_protect
def _draft_signed_in(request: AuthenticatedRequest, round_pk: int, answer_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _draft_status(error=SIGNED_OUT, status=401)
    try:
        saved_at = drafts.save_draft(
            candidate=request.user,
            round_id=round_pk,
            answer_id=answer_pk,
            text=request.POST.get("text", ""),
            sequence=_sequence(request),
        )
    except Answer.DoesNotExist:
        raise Http404("No such answer") from None
    except RoundError as exc:
        return _draft_status(error=exc.message, status=exc.status)
    return _draft_status(saved_at=saved_at)


def _draft_status(status: int = 200, **kwargs) -> HttpResponse:
    return HttpResponse(autosave.draft_status(**kwargs), status=status)


def _sequence(request: AuthenticatedRequest) -> int | None:
    """The page's number for this save (round.js); RoundError when it is not one."""
    value = request.POST.get("sequence", "")
    if not value:
        return None
    if not value.isdigit() or int(value) >= 2**62:
        raise RoundError("This save carried a bad sequence number; reload the page.")
    return int(value)


@require_POST
@login_required_or_401
def submit(request: AuthenticatedRequest, round_pk: int, answer_pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, round_pk)
    answer = _get_answer(round_, answer_pk)
    if request.POST.get("question", str(answer.question_id)) != str(answer.question_id):
        raise Http404("This answer belongs to another question")
    text = request.POST.get("text", "")
    try:
        if request.POST.get("action") == "save":  # the no-JavaScript "Save draft" button
            drafts.save_draft(
                candidate=request.user, round_id=round_.pk, answer_id=answer.pk, text=text
            )
            return redirect(answer)
        services.submit_answer(answer=answer, text=text)
    except RoundError as exc:
        answer.refresh_from_db()
        template = "practice/answer.html#answer-form" if request.htmx else "practice/answer.html"
        context = _answer_context(request, answer, text=text, error=exc.message)
        return render(request, template, context, status=exc.status)
    # After the main answer comes its follow-up; after the follow-up, the question's feedback.
    next_url = (answer.follow_up_of or round_).get_absolute_url()
    if request.htmx:
        return HttpResponseClientRedirect(next_url)
    return redirect(next_url)


@login_required_or_401
@vary_on_headers("HX-Request")
def feedback(request: AuthenticatedRequest, round_pk: int, answer_pk: int) -> HttpResponse:
    """An answer's feedback; while scoring runs, a fragment that polls itself."""
    round_ = _get_round_for_user(request, round_pk)
    answer = feedback_selectors.answer_with_feedback(_get_answer(round_, answer_pk))
    try:
        tries = max(0, int(request.GET.get("try", 0)))
    except ValueError:
        tries = 0
    context = {
        "round": round_,
        "fb": feedback_selectors.feedback_for(answer),
        "next_try": tries + 1,
        "gave_up": tries >= MAX_POLLS,
    }
    if request.htmx:  # the polled fragment; the strong answer sits outside it
        return render(request, "practice/feedback.html#feedback", context)
    context["exemplar"] = _exemplar(round_, answer)
    return render(request, "practice/feedback.html", context)


@login_required_or_401
@vary_on_headers("HX-Request")
def summary(request: AuthenticatedRequest, round_pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, round_pk)
    _submit_expired_drafts(round_)
    context = {"round": round_, "summary": feedback_selectors.round_summary(round_)}
    template = "practice/summary.html#results" if request.htmx else "practice/summary.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@login_required
def finish(request: AuthenticatedRequest, round_pk: int) -> HttpResponse:
    """End the round early, once confirmed: GET asks, POST ends it. Opened drafts are
    submitted, unopened questions stay unanswered. The answer page's dialog also sends the
    text in the box, so words typed since the last autosave are kept."""
    round_ = _get_round_for_user(request, round_pk)
    if round_.is_finished:
        return redirect("practice:summary", round_.pk)
    if request.method == "GET":
        _submit_expired_drafts(round_)
        context = {
            "round": round_,
            "step": selectors.current_step(round_),
            "unopened": round_.answers.filter(
                started_at__isnull=True, follow_up_of__isnull=True
            ).count(),
        }
        return render(request, "practice/finish.html", context)
    if "text" in request.POST and (answer_id := request.POST.get("answer", "")).isdigit():
        # Not an open answer of this round: there is no draft to keep.
        with contextlib.suppress(Answer.DoesNotExist, RoundError):
            drafts.save_draft(
                candidate=request.user,
                round_id=round_.pk,
                answer_id=int(answer_id),
                text=request.POST["text"],
            )
    services.finish_round(round_=round_)
    return redirect("practice:summary", round_.pk)
