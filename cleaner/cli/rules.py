"""`cleaner rules list|test|check`: the packs, their examples and the samples."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import CleanerError
from ..rulebook.lint import lint_pack
from ..rulebook.load import BUNDLED_RULES, load_rulebook
from ..samples import find_samples, run_rules_test, samples_by_site
from .common import EXIT_ERRORS, EXIT_OK, cli, make_cleaner, rules_option


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
    cleaner = make_cleaner(rules, None)
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
