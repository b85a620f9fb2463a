"""Writers: JSONL to a file (written under a temporary name, renamed when whole) or stdout."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any


class JsonlWriter:
    """One JSON object a line; a file appears under its final name only when complete."""

    def __init__(self, target: str):
        self.target = target
        self._tmp: Path | None = None
        if target == "-":
            self._f: IO[str] = sys.stdout
        else:
            final = Path(target)
            final.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = final.with_name(f".{final.name}.partial")
            self._f = self._tmp.open("w", encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        self._f.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self._tmp is None:
            self._f.flush()
            return
        self._f.close()
        os.replace(self._tmp, self.target)

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        elif self._tmp is not None:
            self._f.close()
