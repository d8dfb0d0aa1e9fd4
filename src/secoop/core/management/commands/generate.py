import time

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from ... import generate


class Command(BaseCommand):
    help = (
        "Create synthetic data for benchmarks: organizations, users with memberships, documents, "
        "planning activities, FMS cases with lines and deliveries, students, with mixed markings and "
        "their change-log entries. Refuses when generated data is already there unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(generate.SCALES),
            default="small",
            help="tiny (tests), small (10 countries, 5,000 activities, 400 cases, 2,000 students) or "
            "enterprise (issue 15: 253,000 activities, 20,000 cases with 500,000 lines, 100,000 "
            "students, 50,000 documents, ~980,000 change-log entries).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed makes the same data."
        )
        parser.add_argument(
            "--append", action="store_true", help="Add another run to existing generated data."
        )
        parser.add_argument(
            "--ignore-ceiling",
            action="store_true",
            help="Keep CONFIDENTIAL and SECRET markings above this deployment's MAX_CLASSIFICATION. Only for "
            "synthetic data in a throw-away benchmark database, never on a system that holds real records.",
        )
        parser.add_argument(
            "--password",
            default=None,
            help="One password for every generated account (hashed once). Default: unusable passwords.",
        )

    def handle(self, *args, scale, seed, append, ignore_ceiling, password, **options):
        started = time.perf_counter()
        try:
            made = generate.generate(
                scale,
                seed=seed,
                append=append,
                ignore_ceiling=ignore_ceiling,
                password=password,
                progress=lambda message: (
                    self.stdout.write(f"  {message}") if options["verbosity"] > 1 else None
                ),
            )
        except generate.GeneratedDataExists as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{n:,} {label}" for label, n in sorted(made.counts.items()))
        ceiling = "ignored" if ignore_ceiling else f"markings held at or below {made.ceiling.label}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {scale} data set, run {made.run}, seed {seed} ({ceiling}) in "
                f"{time.perf_counter() - started:.1f} s: {counts}."
            )
        )
