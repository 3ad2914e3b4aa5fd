"""What rounds announces to the apps above it, which it cannot import.

`answer_submitted` (keyword `answer`) is sent inside the transaction that submits an answer,
whoever submits it: the candidate, the deadline, or the end of the round. The feedback app
listens and queues the answer's scoring for when that transaction commits.

`round_finished` (keyword `round`) is sent inside the transaction that finishes a round; the
coaching app listens to tell the candidate's coaches.
"""

from django.dispatch import Signal

answer_submitted = Signal()
round_finished = Signal()
