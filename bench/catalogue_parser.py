"""Measure the fine-range parser against the hand-checked samples; prints precision, recall, F1.

Run: ``.venv/bin/python bench/catalogue_parser.py``. A tier counts as correct when basis, min and max
all match a labelled tier of the same paragraph. Also prints each paragraph where output and label
differ.
"""

import importlib
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.clauseparse import parse_fines  # noqa: E402
from catalogue.lawparse import parse_law_file  # noqa: E402


def paragraphs():
    out = {}
    for path in sorted((ROOT / "data" / "laws").glob("*.md")):
        law = parse_law_file(path)
        for _ch, art in law.all_articles():
            for i, para in enumerate(art.paragraphs, start=1):
                out[(law.short_title, art.number, i)] = para
    return out


def measure(sample, texts, verbose=True):
    tp = fp = fn = exact = 0
    for law, number, idx, expected in sample:
        text = texts[(law, number, idx)]
        got = {(str(t.basis), t.min, t.max) for t in parse_fines(text)}
        want = {(b, Decimal(lo), Decimal(hi)) for b, lo, hi in expected}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        exact += got == want
        if verbose and got != want:
            print(f"  {law} 第{number}条 第{idx}款: extra {sorted(got - want)} missing {sorted(want - got)}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"paragraphs": len(sample), "tiers_labelled": tp + fn, "tiers_parsed": tp + fp, "correct": tp,
            "precision": precision, "recall": recall, "f1": f1, "exact_paragraphs": exact}


def main():
    texts = paragraphs()
    for name in ("fine_sample_dev", "fine_sample_heldout"):
        try:
            mod = importlib.import_module(f"catalogue.tests.data.{name}")
        except ModuleNotFoundError:
            continue
        print(f"{name}:")
        r = measure(mod.SAMPLE, texts)
        print(f"  paragraphs {r['paragraphs']}, labelled tiers {r['tiers_labelled']}, parsed {r['tiers_parsed']}, "
              f"correct {r['correct']}")
        print(f"  precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}  "
              f"paragraphs exactly right {r['exact_paragraphs']}/{r['paragraphs']}")


if __name__ == "__main__":
    main()
