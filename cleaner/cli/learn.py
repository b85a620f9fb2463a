"""`cleaner learn`: a draft rule pack for each site (or template) of the input."""

from __future__ import annotations

import sys

import click

from ..errors import CleanerError
from ..learn import GROUP_BY, LearnOptions, learn_sources
from .clean import clean as clean_command
from .common import EXIT_ERRORS, EXIT_OK, cli, make_cleaner, read_options, rules_option
from .learning import no_site_packs_option, ticker, write_packs

# the options that say how inputs are read: the same as `cleaner clean`'s
READ_OPTIONS = (
    *("fmt", "include", "exclude", "text_field", "html_field", "url_field", "id_field"),
    "max_record_mb",
)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write the packs to, one <site>.toml each.",
)
@click.option(
    "--group-by",
    type=click.Choice(GROUP_BY),
    default="host",
    show_default=True,
    help="host: by the site of the URL (pages without one by template); template: every page"
    " by the lines its template prints.",
)
@click.option(
    "--min-pages",
    type=click.IntRange(min=1),
    help="A group with fewer pages gets no pack (default: 5, set in rules/_learn.toml).",
)
@click.option("--force", is_flag=True, help="Overwrite packs of the same name in the folder.")
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
@rules_option
@no_site_packs_option
def learn(inputs, output, group_by, min_pages, force, quiet, rules, no_site_packs, **read) -> None:
    """Learn a draft rule pack for each site of INPUTS (files, folders, globs; JSONL(.gz),
    WARC(.gz), text and HTML), from what repeats across its pages: OUTPUT/<site>.toml.

    What the packs in use (bundled, --rules, generic) remove already is not learned again.
    Read, edit and commit the packs; `cleaner rules check OUTPUT` checks them.
    """
    cleaner = make_cleaner(rules, None, site_packs=not no_site_packs)
    options = read_options(read)
    try:
        report = learn_sources(
            list(inputs),
            options,
            cleaner,
            LearnOptions(group_by=group_by, min_pages=min_pages),
            progress=ticker(quiet),
        )
    except CleanerError as e:
        raise click.UsageError(str(e)) from None
    written = write_packs(report, output, force)
    if not quiet:
        for path, group in zip(written, [g for g in report.groups if g.pack], strict=True):
            click.echo(f"cleaner: {path}: {group.rules} rules from {group.pages:,} pages")
        for line in report.lines():
            click.echo(f"cleaner: {line}", err=True)
    sys.exit(EXIT_ERRORS if report.errors else EXIT_OK)


learn.params += [p for p in clean_command.params if p.name in READ_OPTIONS]
