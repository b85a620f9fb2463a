"""The command line: parses arguments and calls the library; no cleaning logic lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .batch import Job, JobError, JobOptions, default_workers
from .errors import CleanerError
from .explain import explain as explain_page
from .io.readers import FORMATS, MB, ReadOptions
from .lint import lint_pack
from .page import Page
from .pipeline import Cleaner
from .rulebook import BUNDLED_RULES, load_rulebook
from .samples import find_samples, run_rules_test, samples_by_site

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_ABORTED = 0, 1, 2, 3


def _cleaner(rules: tuple[str, ...], site: str | None, **kw) -> Cleaner:
    try:
        return Cleaner(rules=rules, site=site, **kw)
    except CleanerError as e:
        raise click.UsageError(str(e)) from None


rules_option = click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(exists=True),
    help="Folder or file of extra rule packs (repeatable); same site id replaces a bundled pack.",
)
site_option = click.option("--site", help="Force this site's pack instead of detecting it.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def cli() -> None:
    """Clean scraped document-hosting pages into document text with provenance."""


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
@rules_option
@site_option
def clean(
    inputs,
    output,
    errors_path,
    fmt,
    include,
    exclude,
    text_field,
    html_field,
    url_field,
    id_field,
    keep_fields,
    workers,
    page_timeout,
    max_record_mb,
    resume,
    force,
    quiet,
    max_rule_share,
    rules,
    site,
) -> None:
    """Clean INPUTS into records: text and HTML files, folders, globs, - (stdin), JSONL(.gz)
    and WARC(.gz).

    Exit status: 0 every record cleaned; 1 finished, with error records; 2 usage error;
    3 aborted (output not writable, disk full, interrupted: --resume finishes the run).
    """
    cleaner = _cleaner(rules, site, max_rule_share=max_rule_share)
    keep = tuple(f.strip() for group in keep_fields for f in group.split(",") if f.strip())
    read = ReadOptions(
        format=fmt,
        include=include,
        exclude=exclude,
        text_field=text_field,
        html_field=html_field,
        url_field=url_field,
        id_field=id_field,
        keep_fields=keep,
        max_record_bytes=max_record_mb * MB,
    )
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
        for line in summary.lines():
            click.echo(f"cleaner: {line}", err=True)
    sys.exit(EXIT_ERRORS if summary.errors else EXIT_OK)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", help="The page's URL (for site detection).")
@click.option("--color/--no-color", default=None, help="Colour (default: on a terminal).")
@rules_option
@site_option
def explain(file, url, color, rules, site) -> None:
    """Show FILE with every removed span marked and named by its rule (HTML: DOM removals too)."""
    cleaner = _cleaner(rules, site)
    try:
        kind = "html" if Path(file).suffix.lower() in (".html", ".htm", ".xhtml") else None
        page = Page(Path(file).read_bytes(), url=url, origin={"path": file}, kind=kind)
        cleaned = cleaner.clean_page(page)
    except CleanerError as e:
        raise click.ClickException(str(e)) from None
    color = sys.stdout.isatty() if color is None else color
    click.echo(explain_page(cleaned, color=color), color=color)
    meta = json.dumps(cleaned.metadata, ensure_ascii=False)
    click.echo(f"\n--- metadata: {meta}\n--- flags: {cleaned.provenance['flags']}", err=True)


@cli.group()
def rules() -> None:
    """List and check rule packs."""


@rules.command("list")
@rules_option
def rules_list(rules) -> None:
    """Show every pack: id, site name, rule count, sample count and domains."""
    try:
        book = load_rulebook(rules)
    except CleanerError as e:
        raise click.ClickException(str(e)) from None
    counts = {site: len(found) for site, found in samples_by_site(find_samples()).items()}
    click.echo(f"{'pack':14} {'name':16} {'rules':>5} {'samples':>7}  domains")
    for pack in book.packs.values():
        domains = ", ".join(pack.domains) or ("(every page)" if pack.always else "-")
        count = len(pack.text) + len(pack.meta) + len(pack.html)
        name = pack.name or ""
        click.echo(f"{pack.id:14} {name:16} {count:5} {counts.get(pack.id, 0):7}  {domains}")


@rules.command("test")
@click.option(
    "--samples",
    "samples_dir",
    type=click.Path(exists=True, file_okay=False),
    help="Folder of samples (default: the bundled samples/).",
)
@rules_option
def rules_test(samples_dir, rules) -> None:
    """Run every pack's examples and every sample (golden files, snippets); a table per site."""
    cleaner = _cleaner(rules, None)
    found = find_samples(Path(samples_dir)) if samples_dir else find_samples()
    report = run_rules_test(cleaner, found)
    for line in report.table():
        click.echo(line)
    sys.exit(EXIT_OK if report.ok else EXIT_ERRORS)


@rules.command("check")
@click.argument("folder", required=False, type=click.Path(exists=True))
def rules_check(folder) -> None:
    """Validate the packs in FOLDER (default: the bundled packs) and run their examples.

    Also warns about patterns that nest quantifiers, the usual cause of catastrophic
    backtracking (the time limit stops such a rule on a page, but the page is lost).
    """
    try:
        book = load_rulebook([folder] if folder else [])
    except CleanerError as e:
        click.echo(f"cleaner: {e}", err=True)
        sys.exit(EXIT_ERRORS)
    root = (Path(folder) if folder else BUNDLED_RULES).resolve()
    packs = [
        p
        for p in book.packs.values()
        if root in Path(p.path).resolve().parents or Path(p.path).resolve() == root
    ]
    for warning in (w for pack in packs for w in lint_pack(pack)):
        click.echo(f"warning: {warning}", err=True)
    n = sum(len(p.text) + len(p.meta) + len(p.html) for p in packs)
    click.echo(f"{len(packs)} packs, {n} rules: every example passes")


def main() -> None:
    cli()
