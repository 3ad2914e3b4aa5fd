"""What rounds announces to the apps above it, which it cannot import.

`answer_submitted` (keyword `answer`) is sent inside the transaction that submits an answer,
whoever submits it: the candidate, the deadline, or the end of the round. The feedback app
listens and queues the answer's scoring for when that transaction commits.
"""

from django.dispatch import Signal

answer_submitted = Signal()
