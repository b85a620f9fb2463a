"""What every command shares: the command group, the rule options and the exit codes."""

from __future__ import annotations

import click

from .._version import __version__
from ..errors import CleanerError
from ..io.readers import MB, ReadOptions
from ..pipeline import Cleaner

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_ABORTED = 0, 1, 2, 3


def make_cleaner(rules: tuple[str, ...], site: str | None, **kw) -> Cleaner:
    try:
        return Cleaner(rules=rules, site=site, **kw)
    except CleanerError as e:
        raise click.UsageError(str(e)) from None


def read_options(read: dict) -> ReadOptions:
    """The reading options of `clean` (which `learn` and `spark` take too), from the parsed
    arguments."""
    keep = read.get("keep_fields", ())
    return ReadOptions(
        format=read["fmt"],
        include=read["include"],
        exclude=read["exclude"],
        text_field=read["text_field"],
        html_field=read["html_field"],
        url_field=read["url_field"],
        id_field=read["id_field"],
        keep_fields=tuple(f.strip() for group in keep for f in group.split(",") if f.strip()),
        max_record_bytes=read["max_record_mb"] * MB,
    )


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
