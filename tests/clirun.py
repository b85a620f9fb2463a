"""A click test runner that keeps stderr apart on every click the project supports (8.1 needs
`mix_stderr=False`; 8.2 removed the argument and always keeps it apart)."""

from click.testing import CliRunner


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()
