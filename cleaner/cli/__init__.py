"""The command line: each command in its own module parses its arguments and calls the
library; no cleaning logic lives here."""

from . import clean, explain, learn, report, rules, spark  # noqa: F401  (each registers its command)
from .common import cli


def main() -> None:
    cli()


__all__ = ["cli", "main"]
