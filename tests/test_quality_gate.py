"""The quality gate: the snippet metric over samples/ must not fall below the pinned floor.

`tests/quality_floor.json` pins the floor. Raising it is always allowed. Lowering it below the
floor recorded in the last commit (git HEAD) fails this test unless the run sets
CLEANER_LOWER_FLOOR=1, so a lower floor is always a deliberate, visible decision.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from cleaner.samples import find_samples, score

FLOOR_FILE = Path(__file__).resolve().parent / "quality_floor.json"
KEYS = ("f1", "recall")


def _floor() -> dict:
    return json.loads(FLOOR_FILE.read_text(encoding="utf-8"))


def _committed_floor() -> dict | None:
    """The floor file as the last commit has it; None outside a git checkout."""
    root = FLOOR_FILE.parent.parent
    try:
        out = subprocess.run(
            ["git", "show", "HEAD:tests/quality_floor.json"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


def test_samples_score_at_least_the_floor(cleaner):
    floor = _floor()
    result = score(cleaner, find_samples())
    assert result.tp + result.fn > 0, "no samples with snippets"
    misses = "\n".join(result.misses)
    assert result.f1 >= floor["f1"], f"F1 {result.f1:.4f} < floor {floor['f1']}\n{misses}"
    assert result.recall >= floor["recall"], (
        f"recall {result.recall:.4f} < floor {floor['recall']}\n{misses}"
    )


def test_floor_is_not_lowered_without_the_flag():
    committed = _committed_floor()
    if committed is None:
        pytest.skip("no committed floor to compare with")
    if os.environ.get("CLEANER_LOWER_FLOOR") == "1":
        return
    floor = _floor()
    for key in KEYS:
        assert floor[key] >= committed.get(key, 0), (
            f"quality_floor.json lowers {key} from {committed[key]} to {floor[key]}: "
            "set CLEANER_LOWER_FLOOR=1 to do that on purpose"
        )
