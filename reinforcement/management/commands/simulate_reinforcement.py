import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from reinforcement.simulation import ALL_TRUTHS, draw, report, run


class Command(BaseCommand):
    help = (
        "Replay the shipped spacing policy and fixed, ladder and Leitner baselines against four memory "
        "models (ACT-R, half-life regression, a power law, FSRS); print the table and draw the frontiers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sellers", type=int, default=150, help="Sellers per cohort (two cohorts).")
        parser.add_argument("--questions", type=int, default=12)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--workers", type=int, default=2, help="Processes (one ground truth each).")
        parser.add_argument(
            "--truth", action="append", choices=[t.name for t in ALL_TRUTHS], help="Only these models."
        )
        parser.add_argument(
            "--plot",
            default=str(Path(settings.VAR_DIR) / "simulation" / "spacing-frontiers.png"),
            help="Where to write the PNG plot.",
        )

    def handle(self, *args, sellers, questions, seed, workers, truth, plot, **options):
        truths = [t for t in ALL_TRUTHS if not truth or t.name in truth]
        self.stdout.write(
            f"{len(truths)} ground truths; 2 cohorts of {sellers} sellers × {questions} questions each;"
            f" 180 days; seed {seed}"
        )
        started = time.perf_counter()
        results = run(sellers=sellers, questions=questions, seed=seed, truths=truths, workers=workers)
        self.stdout.write(report(results))
        path = Path(plot)
        path.parent.mkdir(parents=True, exist_ok=True)
        draw(results, path)
        self.stdout.write(f"\nPlot: {path}\nTook {time.perf_counter() - started:.0f} s.")
