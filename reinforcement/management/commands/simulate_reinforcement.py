from django.core.management.base import BaseCommand

from reinforcement.simulation import report, run


class Command(BaseCommand):
    help = "Compare FSRS, fixed 12/24-day intervals and Leitner [1,2,7] on a synthetic cohort."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=300)
        parser.add_argument("--questions", type=int, default=10)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, learners, questions, days, seed, **options):
        self.stdout.write(f"{learners} learners × {questions} questions over {days} days (seed {seed})\n")
        self.stdout.write(report(run(learners=learners, questions=questions, days=days, seed=seed), days))
