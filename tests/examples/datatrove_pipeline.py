from datatrove.executor import LocalPipelineExecutor, SlurmPipelineExecutor
from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner.integrations.datatrove import CleanerStep


def pipeline(warcs: str, out: str) -> list:
    """WARC files in, clean documents out (one .jsonl.gz per task)."""
    return [
        WarcReader(warcs, glob_pattern="*.warc.gz"),
        CleanerStep(on_error="drop"),  # rules=["my_rules/"], site=None, kind=None: by content
        JsonlWriter(out),
    ]


def local(warcs: str, out: str, logs: str, tasks: int = 2) -> LocalPipelineExecutor:
    return LocalPipelineExecutor(pipeline(warcs, out), tasks=tasks, logging_dir=logs)


def slurm(warcs: str, out: str, logs: str, tasks: int = 500) -> SlurmPipelineExecutor:
    return SlurmPipelineExecutor(
        pipeline(warcs, out),
        tasks=tasks,
        time="04:00:00",
        partition="cpu",
        job_name="cleaner",
        logging_dir=logs,
    )


if __name__ == "__main__":
    local("crawl/warc", "crawl/clean", "crawl/logs").run()
