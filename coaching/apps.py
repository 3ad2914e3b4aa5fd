from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        # rounds sits below coaching and cannot import it: it announces each finished round,
        # and this tells the candidate's coaches once that round commits.
        from coaching import tasks
        from rounds.signals import round_finished

        round_finished.connect(tasks.on_round_finished, dispatch_uid="coaching.round_finished")
