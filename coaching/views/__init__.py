from coaching.views.links import accept, accept_code, assign, invite_create, link_revoke, my_coaches
from coaching.views.queue import notifications, queue, round_detail
from coaching.views.reports import agreement, print_transcript, scores_csv
from coaching.views.transcript import (
    comment,
    comment_delete,
    flag,
    flag_undo,
    mark_reviewed,
    review,
    scores,
    transcript,
)

__all__ = [
    "accept",
    "accept_code",
    "agreement",
    "assign",
    "comment",
    "comment_delete",
    "flag",
    "flag_undo",
    "invite_create",
    "link_revoke",
    "mark_reviewed",
    "my_coaches",
    "notifications",
    "print_transcript",
    "queue",
    "review",
    "round_detail",
    "scores",
    "scores_csv",
    "transcript",
]
