from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        # rounds sits below feedback and cannot import it: it announces each submission, and
        # this queues the answer's scoring once that submission commits.
        from feedback import tasks
        from rounds.signals import answer_submitted

        answer_submitted.connect(tasks.on_answer_submitted, dispatch_uid="feedback.score")
