"""What `clean` and `learn` share about learned packs: `--no-site-packs`, and `clean --learn`'s
options and first pass."""

from __future__ import annotations

from collections.abc import Callable

import click

from ..errors import CleanerError
from ..io.readers import ReadOptions
from ..learn import learn_then_clean
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
        learned, report = learn_then_clean(inputs, read, cleaner)
        if learn_out:
            report.write(learn_out, force)
    except CleanerError as e:
        raise click.UsageError(str(e)) from None
    return learned, report.lines()
