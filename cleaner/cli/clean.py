"""`cleaner clean`: a batch run over files, folders, JSONL and WARC."""

from __future__ import annotations

import sys

import click

from ..batch import Job, JobError, JobOptions, default_workers
from ..io.readers import FORMATS
from .common import (
    EXIT_ABORTED,
    EXIT_ERRORS,
    EXIT_OK,
    cli,
    make_cleaner,
    read_options,
    rules_option,
    site_option,
)
from .learning import learn_options, learned_cleaner, no_site_packs_option
from .report import check_run_report, run_report, sample_option


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output: a .jsonl or .jsonl.gz file, a folder (one .txt + .json per page), - for stdout.",
)
@click.option("--errors", "errors_path", help="Write error records (JSONL) here; default: stderr.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Read every input as this format (default: by extension, then by content).",
)
@click.option("--include", multiple=True, help="In folders, read only files matching this glob.")
@click.option("--exclude", multiple=True, help="In folders, skip files matching this glob.")
@click.option("--text-field", default="text", show_default=True, help="JSONL field of page text.")
@click.option("--html-field", default="html", show_default=True, help="JSONL field of page HTML.")
@click.option("--url-field", default="url", show_default=True, help="JSONL field of the URL.")
@click.option("--id-field", default="id", show_default=True, help="JSONL field of the id.")
@click.option(
    "--keep-fields",
    multiple=True,
    help="JSONL fields copied to metadata.extra (comma-separated, repeatable; * for all).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=default_workers,
    show_default="the machine's cores",
    help="Worker processes.",
)
@click.option(
    "--page-timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds one page may take before it becomes an error record (0: no limit).",
)
@click.option(
    "--max-record-mb",
    type=click.IntRange(min=1),
    default=64,
    show_default=True,
    help="A record larger than this becomes an error record.",
)
@click.option("--resume", is_flag=True, help="Finish the interrupted run of the same command.")
@click.option("--force", is_flag=True, help="Overwrite existing output.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
@click.option(
    "--max-rule-share",
    type=click.FloatRange(0, 1),
    default=0.6,
    show_default=True,
    help="Flag a page when one rule removes more than this share of it.",
)
@click.option("--report", "report_path", help="Write an HTML review report of the run here.")
@sample_option("--report-sample")
@rules_option
@site_option
@no_site_packs_option
@click.option(
    "--no-region",
    is_flag=True,
    help="Leave out the content-region model: only the rule packs clean.",
)
@learn_options
def clean(
    inputs,
    output,
    errors_path,
    workers,
    page_timeout,
    resume,
    force,
    quiet,
    max_rule_share,
    report_path,
    report_sample,
    rules,
    site,
    no_site_packs,
    no_region,
    learn,
    learn_out,
    **reading,
) -> None:
    """Clean INPUTS into records: text and HTML files, folders, globs, - (stdin), JSONL(.gz)
    and WARC(.gz).

    Exit status: 0 every record cleaned; 1 finished, with error records; 2 usage error;
    3 aborted (output not writable, disk full, interrupted: --resume finishes the run).
    """
    check_run_report(report_path, output, errors_path, inputs)
    cleaner = make_cleaner(
        rules,
        site,
        max_rule_share=max_rule_share,
        site_packs=not no_site_packs,
        region=not no_region,
    )
    read = read_options(reading)
    learned: list[str] = []
    if learn:
        cleaner, learned = learned_cleaner(cleaner, list(inputs), read, learn_out, force, quiet)
    options = JobOptions(
        output=output,
        errors=errors_path,
        workers=workers,
        page_timeout=page_timeout or None,
        resume=resume,
        force=force,
        progress="off" if quiet else "auto",
    )
    try:
        summary = Job(cleaner, list(inputs), read, options).run()
    except JobError as e:
        raise click.UsageError(str(e)) from None
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        click.echo(f"cleaner: aborted: cannot write{where}: {e.strerror or e}", err=True)
        click.echo("cleaner: no output was completed; --resume goes on from here", err=True)
        sys.exit(EXIT_ABORTED)
    except KeyboardInterrupt:
        click.echo("cleaner: interrupted; --resume finishes the run", err=True)
        sys.exit(EXIT_ABORTED)
    if not quiet:
        for line in [*summary.lines(), *learned]:
            click.echo(f"cleaner: {line}", err=True)
    if report_path:
        state = summary.state()
        run_report(
            report_path, output, errors_path, inputs, read, cleaner, state, report_sample, quiet
        )
    sys.exit(EXIT_ERRORS if summary.errors else EXIT_OK)
