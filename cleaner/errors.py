"""Errors a user can cause and fix: they carry a message meant for people, not a traceback."""

from __future__ import annotations


class CleanerError(Exception):
    """Base of every error that `cleaner` reports to the user."""

    kind = "error"


class PackError(CleanerError):
    """A rule pack that cannot be used: names the file, the rule and the fix."""

    kind = "bad_rules"

    def __init__(self, path: str, message: str, rule: str | None = None, fix: str | None = None):
        self.path, self.rule, self.message, self.fix = path, rule, message, fix
        where = f"{path}: rule '{rule}'" if rule else path
        text = f"{where}: {message}"
        if fix:
            text += f" (fix: {fix})"
        super().__init__(text)


class PageError(CleanerError):
    """A page that cannot be cleaned; the batch records it and goes on."""

    kind = "bad_page"


class RuleTimeout(PageError):
    """A rule's regex ran longer than the time limit on one page."""

    kind = "rule_timeout"

    def __init__(self, rule: str, seconds: float):
        self.rule = rule
        super().__init__(
            f"rule {rule} ran longer than {seconds:g}s on this page (catastrophic backtracking?)"
        )
