"""The README's crawler snippets are the example files that the integration tests run."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests/examples"


def python_blocks(section: str) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"\n## {section}\n")
    end = readme.find("\n## ", start + 1)
    return re.findall(r"^```python\n(.*?)^```$", readme[start:end], re.DOTALL | re.MULTILINE)


def test_the_crawler_snippets_are_the_tested_examples():
    files = ["settings.py", "spider.py", "datatrove_pipeline.py"]
    expected = [(EXAMPLES / name).read_text(encoding="utf-8") for name in files]
    assert python_blocks("Using cleaner in a crawler") == expected
