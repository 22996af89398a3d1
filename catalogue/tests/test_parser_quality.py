"""Regression guard on the measured fine-range parser quality (figures in docs/catalogue-parser.md)."""

import sys
from pathlib import Path

from catalogue.tests.data import fine_sample_dev, fine_sample_heldout

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from catalogue_parser import measure, paragraphs  # noqa: E402


def test_samples_have_enough_hand_checked_clauses():
    assert len(fine_sample_dev.SAMPLE) + len(fine_sample_heldout.SAMPLE) >= 100
    keys = [(law, n, p) for law, n, p, _ in fine_sample_dev.SAMPLE + fine_sample_heldout.SAMPLE]
    assert len(keys) == len(set(keys))  # no paragraph counted twice


def test_heldout_precision_and_recall_do_not_regress():
    r = measure(fine_sample_heldout.SAMPLE, paragraphs(), verbose=False)
    assert r["precision"] >= 0.98 and r["recall"] >= 0.94, r


def test_dev_sample_fully_parsed():
    r = measure(fine_sample_dev.SAMPLE, paragraphs(), verbose=False)
    assert r["precision"] == 1.0 and r["recall"] == 1.0, r
