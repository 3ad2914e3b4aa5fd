"""Who may see and change what: the one place that answers it, as scoped querysets.

A candidate sees their own rounds; a coach, the rounds of the candidates whose link to them is
accepted and not revoked; an admin, everything. Views look objects up through these querysets,
so anything outside them is a 404, indistinguishable from an object that does not exist.
"""

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.models import Role, User
from coaching.models import CoachLink, Review
from rounds.models import Answer, Round


def _is_admin(user) -> bool:
    return user.is_authenticated and user.is_admin_role


def coached_candidates(user) -> QuerySet[User]:
    """The candidates this user coaches now (none unless the user is a coach)."""
    if not user.is_authenticated or user.role != Role.COACH:
        return User.objects.none()
    return User.objects.filter(
        pk__in=CoachLink.objects.active().filter(coach=user).values("candidate_id")
    )


def _candidate_scope(user, field: str) -> Q:
    """A filter for rows whose `field` (a user) is this user or one of their candidates."""
    return Q(**{field: user}) | Q(**{f"{field}__in": coached_candidates(user).values("pk")})


def rounds_visible_to(user) -> QuerySet[Round]:
    if not user.is_authenticated:
        return Round.objects.none()
    if _is_admin(user):
        return Round.objects.all()
    return Round.objects.filter(_candidate_scope(user, "candidate"))


def answers_visible_to(user) -> QuerySet[Answer]:
    if not user.is_authenticated:
        return Answer.objects.none()
    if _is_admin(user):
        return Answer.objects.all()
    return Answer.objects.filter(_candidate_scope(user, "candidate"))


def answers_reviewable_by(user) -> QuerySet[Answer]:
    """Answers this user may review: a coach their candidates', an admin anyone's."""
    if _is_admin(user):
        return Answer.objects.all()
    return Answer.objects.filter(candidate__in=coached_candidates(user).values("pk"))


def reviews_visible_to(user) -> QuerySet[Review]:
    """A coach sees the reviews they wrote (while they still coach the candidate); a candidate
    sees finished reviews of their own answers; an admin sees all."""
    if not user.is_authenticated:
        return Review.objects.none()
    if _is_admin(user):
        return Review.objects.all()
    mine = Q(coach=user, answer__candidate__in=coached_candidates(user).values("pk"))
    received = Q(answer__candidate=user, status=Review.Status.REVIEWED)
    return Review.objects.filter(mine | received)


def candidates_visible_to(user) -> QuerySet[User]:
    """Whose scores this user may export: themselves, their candidates, or anyone for admins."""
    if not user.is_authenticated:
        return User.objects.none()
    if _is_admin(user):
        return User.objects.all()
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=coached_candidates(user).values("pk")))


def get_visible_or_404[T: Model](queryset: QuerySet[T], **lookup) -> T:
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404("No such page.")
    return obj
