"""`cleaner report`: an HTML review report of a run; and the report `clean --report` writes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..io.readers import FORMATS, ReadOptions
from ..pipeline import Cleaner
from ..report import DEFAULT_SAMPLE, ReportError, ReportInfo, check_target, write_report
from .common import EXIT_ABORTED, cli, make_cleaner, rules_option, site_option


def sample_option(flag: str) -> Callable:
    """The option of how many pages a report shows (`report --sample`, `clean --report-sample`)."""
    return click.option(
        flag,
        type=click.IntRange(min=0),
        default=DEFAULT_SAMPLE,
        show_default=True,
        help="Pages the report shows in full: this many worth a look first, and this many drawn"
        " at random.",
    )


@cli.command()
@click.argument("outputs", nargs=-1, required=True)
@click.option("-o", "--output", "target", required=True, help="The report to write (.html).")
@click.option(
    "--input",
    "inputs",
    multiple=True,
    help="The run's inputs (repeatable; files, folders, globs, -): pages are then marked on the"
    " text they were cleaned from, not on their clean text.",
)
@sample_option("--sample")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Read every input as this.")
@click.option("--text-field", default="text", show_default=True, help="JSONL field of page text.")
@click.option("--html-field", default="html", show_default=True, help="JSONL field of page HTML.")
@click.option("--url-field", default="url", show_default=True, help="JSONL field of the URL.")
@rules_option
@site_option
def report(
    outputs, target, inputs, sample, fmt, text_field, html_field, url_field, rules, site
) -> None:
    """Write an HTML review report of a run from its OUTPUTS (.jsonl, .jsonl.gz or folder
    outputs, and its --errors file): the accounts, per site, per rule and per flag, and the
    pages worth a look with every removal marked.

    With --input (and the run's --rules, --site and field options), pages are shown on the
    text they were cleaned from.
    """
    for name in inputs:
        if name != "-" and not set("*?[") & set(name) and not Path(name).exists():
            raise click.UsageError(f"{name}: no such input file or folder")
    fields = {"text_field": text_field, "html_field": html_field, "url_field": url_field}
    read = ReadOptions(format=fmt, **fields)
    cleaner = make_cleaner(rules, site) if inputs else None
    try:
        info = write_report(
            target, outputs, inputs=list(inputs), read=read, cleaner=cleaner, sample=sample
        )
    except ReportError as e:
        raise click.UsageError(str(e)) from None
    click.echo(f"cleaner: {describe(info)}", err=True)


def describe(info: ReportInfo) -> str:
    bad = f" ({info.unreadable:,} unreadable lines)" if info.unreadable else ""
    return (
        f"report {info.path}: {info.records:,} records{bad}, {info.pages_shown} pages shown"
        f" ({info.sources_found} on their source text), {info.size / 1024:,.0f} KB"
    )


def check_run_report(
    report_path: str | None, output: str, errors_path: str | None, sources: list[str]
) -> None:
    """Before `clean --report` starts: the report reads the output back, so it needs a file or
    folder, not stdout, and a place it can be written that is no file of the run."""
    if not report_path:
        return
    if output == "-":
        raise click.UsageError("--report needs the output in a file or folder (-o), not stdout")
    try:
        check_target(report_path, [output, *([errors_path] if errors_path else []), *sources])
    except ReportError as e:
        raise click.UsageError(str(e)) from None


def run_report(
    report_path: str,
    output: str,
    errors_path: str | None,
    sources: list[str],
    read: ReadOptions,
    cleaner: Cleaner,
    summary: dict[str, Any],
    sample: int,
    quiet: bool,
) -> None:
    """The report of the run that just ended, headed by its own accounts.

    Stdin cannot be read a second time: its pages are shown on their clean text."""
    outputs = [output, errors_path] if errors_path else [output]
    inputs = [s for s in sources if s != "-"]
    try:
        info = write_report(
            report_path,
            outputs,
            inputs=inputs,
            read=read,
            cleaner=cleaner,
            sample=sample,
            run=summary,
        )
    except ReportError as e:
        click.echo(f"cleaner: the run is complete, but {e}", err=True)
        sys.exit(EXIT_ABORTED)
    if not quiet:
        click.echo(f"cleaner: {describe(info)}", err=True)
