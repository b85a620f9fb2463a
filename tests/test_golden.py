"""Golden tests: every sample's clean text and metadata equal its expected files."""

import pytest

from cleaner import rebuild
from cleaner.samples import find_samples, golden_record

SAMPLES = find_samples()


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_sample_matches_golden(sample, cleaner, update_golden):
    cleaned = cleaner.clean_page(sample.page())
    if update_golden:
        sample.write_expected(cleaned)
    expected = sample.expected()
    assert expected is not None, f"{sample.name} has no expected.txt/.json: run --update-golden"
    text, record = expected
    assert cleaned.text == text
    assert golden_record(cleaned) == record


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_sample_provenance_rebuilds_text(sample, cleaner):
    cleaned = cleaner.clean_page(sample.page())
    assert rebuild(cleaned.source_text, cleaned.provenance["removed"]) == cleaned.text


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_cleaning_is_idempotent(sample, cleaner):
    once = cleaner.clean_page(sample.page())
    twice = cleaner.clean(once.text, url=sample.case.get("url"))
    assert twice.text == once.text
