"""`cleaner spark`: the batch run of `cleaner clean` as a Spark job."""

from __future__ import annotations

import sys

import click

from ..integrations.spark import CleanerOptions
from ..integrations.spark_inputs import InputError
from ..integrations.spark_job import SparkJobError, SparkJobOptions, run_spark_job, spark_session
from .clean import clean as clean_command
from .common import EXIT_ABORTED, EXIT_ERRORS, EXIT_OK, cli, make_cleaner, read_options

# the options that mean the same as in `cleaner clean`
_SHARED = (
    "fmt",
    "include",
    "exclude",
    "text_field",
    "html_field",
    "url_field",
    "id_field",
    "keep_fields",
    "page_timeout",
    "max_record_mb",
    "force",
    "quiet",
    "max_rule_share",
    "rules",
    "site",
)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="Output folder (a path or a Hadoop URI).")
@click.option("--master", help="Spark master URL (default: spark-submit's, else local[*]).")
@click.option(
    "--partitions",
    type=click.IntRange(min=1),
    help="Spread the records over N tasks (a shuffle); default: one task per input file.",
)
@click.option(
    "--isolate/--no-isolate",
    default=True,
    show_default=True,
    help="Clean in a process of its own per task, so a page that crashes or hangs it is an"
    " error record, not a failed task.",
)
def spark(inputs, output, master, partitions, isolate, **kw) -> None:
    """Clean INPUTS on Spark into OUTPUT: part-*.jsonl.gz, _errors/ and _SUMMARY.json.

    INPUTS: JSONL(.gz) and WARC(.gz) files, folders of them, and lists of such paths or URIs
    (files named *.paths or *.paths.gz, one a line). Local paths must be readable by every
    executor; URIs (s3://, gs://, hdfs://, file://…) are read through fsspec.

    Exit status: 0 every record cleaned; 1 finished, with error records; 2 usage error;
    3 the Spark job failed.
    """
    cleaner = make_cleaner(kw["rules"], kw["site"], max_rule_share=kw["max_rule_share"])
    read = read_options(kw)
    options = CleanerOptions(cleaner, kw["page_timeout"] or None, isolate, read)
    job = SparkJobOptions(output, master, partitions, kw["force"])
    try:
        session = spark_session(master)
        summary = run_spark_job(session, list(inputs), options, job)
    except (SparkJobError, InputError) as e:
        raise click.UsageError(str(e)) from None
    except Exception as e:  # a failed Spark job (Py4JJavaError and kin)
        click.echo(f"cleaner: the Spark job failed: {str(e).splitlines()[0][:500]}", err=True)
        sys.exit(EXIT_ABORTED)
    if not kw["quiet"]:
        for line in summary.lines():
            click.echo(f"cleaner: {line}", err=True)
    sys.exit(EXIT_ERRORS if summary.errors else EXIT_OK)


spark.params.extend(p for p in clean_command.params if p.name in _SHARED)
