"""The answer page's autosave token.

Every open answer page saves its draft every few seconds, so autosave is the busiest request
the site serves. Loading the session and then the user for each one cost most of its time (see
scripts/bench_autosave.py), so the page carries a token instead: it names the candidate and the
answer and is signed for the session cookie the page was rendered under. With it, a save is one
UPDATE that also checks that this session is still alive and the candidate still active
(`services.save_draft_for_session`). A missing or stale token costs nothing but speed: the view
then goes the ordinary signed-in way.

What the token does not see: a password changed on another device ends this session only when
the session is next loaded, so until the answer's deadline a token from before the change keeps
saving drafts to that one answer, the only thing it can do.
"""

from datetime import datetime

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

SALT = "rounds.autosave"
# The session table is what says a session is alive; other engines keep no such row.
ENGINES = {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}


def _signer(session_key: str) -> Signer:
    return Signer(salt=f"{SALT}:{session_key}")


def token_for(request: HttpRequest, answer_id: int) -> str:
    """The token for the signed-in candidate's answer, or "" where it cannot work."""
    session_key = request.session.session_key
    if settings.SESSION_ENGINE not in ENGINES or not session_key:
        return ""
    return sign(session_key, request.user.pk, answer_id)  # type: ignore[arg-type]


def sign(session_key: str, candidate_id: int, answer_id: int) -> str:
    return _signer(session_key).sign(f"{candidate_id}.{answer_id}")


def session_candidate(request: HttpRequest, answer_id: int) -> tuple[int, str] | None:
    """(candidate id, session key) when the request carries a good token for this answer."""
    token = request.POST.get("autosave_token", "")
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not token or not session_key or settings.SESSION_ENGINE not in ENGINES:
        return None
    try:
        candidate, _, answer = _signer(session_key).unsign(token).partition(".")
    except BadSignature:
        return None
    if answer != str(answer_id) or not candidate.isdigit():
        return None
    return int(candidate), session_key


def draft_status(saved_at: datetime | None = None, error: str = "") -> SafeString:
    """The "Saved at" line under the answer box, on the page and as each autosave's reply.
    Built here rather than in a template, which took about a fifth of autosave's profile."""
    if error:
        inner = format_html('<span class="draft-error" role="alert">{}</span>', error)
    elif saved_at:
        saved_at = localtime(saved_at)
        inner = format_html(
            'Saved at <time datetime="{}">{}</time>',
            saved_at.isoformat(),
            saved_at.strftime("%H:%M:%S"),
        )
    else:
        inner = format_html("{}", "Not saved yet")
    return format_html('<p id="draft-status" class="draft-status">{}</p>', inner)
