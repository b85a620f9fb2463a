"""The command line: parses arguments and calls the library; no cleaning logic lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .batch import run
from .errors import CleanerError
from .explain import explain as explain_page
from .io.readers import iter_inputs
from .io.writers import JsonlWriter
from .page import Page
from .pipeline import Cleaner
from .rulebook import BUNDLED_RULES, load_rulebook

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
    "-o", "--output", default="-", show_default=True, help="Output .jsonl file, or - for stdout."
)
@click.option("--errors", "errors_path", help="Write error records (JSONL) here; default: stderr.")
@click.option(
    "--max-rule-share",
    type=click.FloatRange(0, 1),
    default=0.6,
    show_default=True,
    help="Flag a page when one rule removes more than this share of it.",
)
@rules_option
@site_option
def clean(inputs, output, errors_path, max_rule_share, rules, site) -> None:
    """Clean INPUTS (text files, HTML files, folders, JSONL) into JSONL records."""
    cleaner = _cleaner(rules, site, max_rule_share=max_rule_share)
    try:
        err_writer = JsonlWriter(errors_path) if errors_path else None
        with JsonlWriter(output) as writer:
            summary = run(
                cleaner,
                iter_inputs(list(inputs)),
                writer.write,
                err_writer.write if err_writer else _stderr_error,
            )
        if err_writer:
            err_writer.close()
    except OSError as e:
        click.echo(f"cleaner: cannot write output: {e}", err=True)
        sys.exit(EXIT_ABORTED)
    click.echo(summary.line(), err=True)
    sys.exit(EXIT_ERRORS if summary.errors else EXIT_OK)


def _stderr_error(record: dict) -> None:
    where = record["origin"] or {}
    place = ":".join(str(v) for v in where.values())
    click.echo(f"cleaner: {place}: {record['error']}: {record['message']}", err=True)


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
    """Show every pack: id, site name, domains and rule count."""
    try:
        book = load_rulebook(rules)
    except CleanerError as e:
        raise click.ClickException(str(e)) from None
    for pack in book.packs.values():
        domains = ", ".join(pack.domains) or ("(every page)" if pack.always else "-")
        count = len(pack.text) + len(pack.meta) + len(pack.html)
        click.echo(f"{pack.id:14} {pack.name or '':16} {count:3} rules  {domains}")


@rules.command("check")
@click.argument("folder", required=False, type=click.Path(exists=True))
def rules_check(folder) -> None:
    """Validate the packs in FOLDER (default: the bundled packs) and run their examples."""
    target = Path(folder) if folder else BUNDLED_RULES
    try:
        book = load_rulebook([target], bundled=False)
    except CleanerError as e:
        click.echo(f"cleaner: {e}", err=True)
        sys.exit(EXIT_ERRORS)
    n = sum(len(p.text) + len(p.meta) for p in book.packs.values())
    click.echo(f"{len(book.packs)} packs, {n} rules: every example passes")


def main() -> None:
    cli()
