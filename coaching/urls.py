from django.urls import path, register_converter

from coaching import views


class InviteCodeConverter:
    """Invite codes are URL-safe base64 (coaching.models.new_invite_code); anything else is
    no invite, so a 404 rather than a query with characters the database refuses."""

    regex = "[A-Za-z0-9_-]{1,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(InviteCodeConverter, "invite_code")

app_name = "coaching"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("coaches/", views.my_coaches, name="my_coaches"),
    path("coaches/invite/", views.invite_create, name="invite_create"),
    path("coaches/invite/email/", views.invite_email, name="invite_email"),
    path("coaches/<int:pk>/revoke/", views.link_revoke, name="link_revoke"),
    path("invite/", views.accept_code, name="accept_code"),
    path("invite/<invite_code:code>/", views.accept, name="accept"),
    path("assign/", views.assign, name="assign"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/<int:pk>/emails/", views.round_emails, name="round_emails"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("transcripts/<int:pk>/", views.transcript, name="transcript"),
    path("transcripts/<int:pk>/scores/", views.scores, name="scores"),
    path("transcripts/<int:pk>/flags/", views.flag, name="flag"),
    path("transcripts/<int:pk>/flags/own/", views.own_flag, name="own_flag"),
    path("transcripts/<int:pk>/flags/<int:flag_pk>/undo/", views.flag_undo, name="flag_undo"),
    path("transcripts/<int:pk>/comments/", views.comment, name="comment"),
    path(
        "transcripts/<int:pk>/comments/<int:comment_pk>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
    path("transcripts/<int:pk>/reviewed/", views.mark_reviewed, name="mark_reviewed"),
    path("transcripts/<int:pk>/print/", views.print_transcript, name="print"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("candidates/<int:pk>/scores.csv", views.scores_csv, name="scores_csv"),
    path("notifications/", views.notifications, name="notifications"),
    path("agreement/", views.agreement, name="agreement"),
]
