"""What `clean` and `learn` share about learned packs: `--no-site-packs`, and `clean --learn`'s
options and first pass."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click

from ..errors import CleanerError
from ..io.readers import ReadOptions
from ..learn import LearnReport, learn_then_clean
from ..pipeline import Cleaner

no_site_packs_option = click.option(
    "--no-site-packs",
    is_flag=True,
    help="Leave out the bundled site packs (the generic packs and --rules packs still apply).",
)


def learn_options(f: Callable) -> Callable:
    """`clean --learn` and `--learn-out`."""
    f = click.option(
        "--learn-out",
        type=click.Path(file_okay=False),
        help="With --learn: also write the learned packs to this folder.",
    )(f)
    return click.option(
        "--learn",
        is_flag=True,
        help="Two passes: learn a pack for each site of the input, then clean with them added.",
    )(f)


def learned_cleaner(
    cleaner: Cleaner,
    inputs: list[str],
    read: ReadOptions,
    learn_out: str | None,
    force: bool,
    quiet: bool,
) -> tuple[Cleaner, list[str]]:
    """`clean --learn`'s first pass: a pack learned for each site of the input, added to
    `cleaner`; and the summary lines that name the learned packs and their rule counts."""
    if not quiet:
        click.echo("cleaner: learning the sites of the input (the first of two passes)", err=True)
    try:
        learned, report = learn_then_clean(inputs, read, cleaner, progress=ticker(quiet))
    except CleanerError as e:
        raise click.UsageError(str(e)) from None
    if learn_out:
        write_packs(report, learn_out, force)
    return learned, report.lines()


def write_packs(report: LearnReport, folder: str, force: bool) -> list[Path]:
    """The learned packs written to `folder`; a usage error when they cannot be."""
    try:
        return report.write(folder, force)
    except CleanerError as e:
        raise click.UsageError(str(e)) from None
    except OSError as e:
        raise click.UsageError(f"cannot write {e.filename or folder}: {e.strerror or e}") from None


def ticker(quiet: bool, every: float = 10.0) -> Callable[[int], None] | None:
    """A progress line on stderr every few seconds while learning (nothing when quiet)."""
    if quiet:
        return None
    last = time.monotonic()

    def tick(records: int) -> None:
        nonlocal last
        if time.monotonic() - last >= every:
            last = time.monotonic()
            click.echo(f"cleaner: learning: {records:,} records read", err=True)

    return tick
