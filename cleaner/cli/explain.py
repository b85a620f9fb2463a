"""`cleaner explain`: one page with every removal marked and named by its rule."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import CleanerError
from ..page import Page
from ..report import explain_html
from ..report.explain import explain as explain_page
from .common import cli, make_cleaner, rules_option, site_option


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", help="The page's URL (for site detection).")
@click.option("--color/--no-color", default=None, help="Colour (default: on a terminal).")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Write the page as a self-contained HTML file here, marked as in `cleaner report`.",
)
@rules_option
@site_option
def explain(file, url, color, html_path, rules, site) -> None:
    """Show FILE with every removed span marked and named by its rule (HTML: DOM removals too)."""
    cleaner = make_cleaner(rules, site)
    try:
        kind = "html" if Path(file).suffix.lower() in (".html", ".htm", ".xhtml") else None
        page = Page(Path(file).read_bytes(), url=url, origin={"path": file}, kind=kind)
        cleaned = cleaner.clean_page(page)
    except CleanerError as e:
        raise click.ClickException(str(e)) from None
    if html_path:
        if Path(html_path).resolve() == Path(file).resolve():
            raise click.UsageError(f"--html {html_path} would overwrite the page explained")
        try:
            Path(html_path).write_text(explain_html(cleaned), "utf-8", errors="replace")
        except OSError as e:
            raise click.ClickException(f"cannot write {html_path}: {e.strerror or e}") from None
        click.echo(f"cleaner: wrote {html_path}", err=True)
        return
    color = sys.stdout.isatty() if color is None else color
    click.echo(explain_page(cleaned, color=color), color=color)
    meta = json.dumps(cleaned.metadata, ensure_ascii=False)
    click.echo(f"\n--- metadata: {meta}\n--- flags: {cleaned.provenance['flags']}", err=True)
