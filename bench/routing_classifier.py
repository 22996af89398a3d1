"""Benchmark the routing classifier on the real citizen messages in ../shared/data/complaints/.

1. Tokenised corpus (8,263 messages, 7 classes): 5-fold cross-validation with near-duplicates kept in
   the same fold (groups = the first 60 characters after removing spaces/punctuation), so no copy of a
   test message is trained on. Prints macro-F1 per fold and the mean.
2. Raw held-out messages (457): the model is trained on the tokenised corpus minus every message that
   shares >50% of its character 4-grams with any raw message (their tokenised copies), then tested on
   the raw text (subject + body), exercising the raw-Chinese path. The same model is then scored on the
   removed tokenised copies, to separate "raw text is harder to read" from "these messages are harder".
3. Throughput on one core (OMP/MKL threads = 1): messages/s for ``predict`` on raw and on tokenised text.
4. Writes train/test CSVs to bench/out/ so the ``routing_train``/``routing_evaluate`` commands can be run.

Run: ``.venv/bin/python bench/routing_classifier.py`` (skips cleanly when the data is absent).
"""

import csv
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("OPENENFORCE_SHARED_DIR", ROOT.parent / "shared" / "data")) / "complaints"

import numpy as np  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import StratifiedGroupKFold  # noqa: E402

from dispatch.classifier import TextClassifier  # noqa: E402

NORM = re.compile(r"[\s\W_]+")


def load():
    tok = list(csv.DictReader(open(DATA / "taidi2020_messages_train_tokenized.csv", encoding="utf-8")))
    raw = list(csv.DictReader(open(DATA / "taidi2020_messages_sample_raw.csv", encoding="utf-8")))
    return tok, raw


def grams(s, n=4):
    return {s[i:i + n] for i in range(len(s) - n + 1)}


def main():
    if not (DATA / "taidi2020_messages_train_tokenized.csv").exists():
        print(f"complaints data not found in {DATA}: skipped")
        return
    tok, raw = load()
    X = [r["tokens"] for r in tok]
    y = np.array([r["label"] for r in tok])
    groups = {}
    g = [groups.setdefault(NORM.sub("", t)[:60], len(groups)) for t in X]
    print(f"tokenised corpus: {len(X)} messages, {len(set(y))} classes, {len(groups)} duplicate groups")
    scores = []
    for fold, (tr, te) in enumerate(StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0).split(X, y, g)):
        model = TextClassifier().fit([X[i] for i in tr], list(y[tr]))
        pred = model.predict([X[i] for i in te])
        scores.append(f1_score(y[te], pred, average="macro"))
        print(f"  fold {fold + 1}: macro-F1 {scores[-1]:.4f} (train {len(tr)}, test {len(te)})")
    print(f"5-fold macro-F1 mean {np.mean(scores):.4f} (sd {np.std(scores):.4f})")

    tok_grams = [grams(NORM.sub("", t)[:200]) for t in X]
    leak = set()
    for r in raw:
        rg = grams(NORM.sub("", r["subject"] + r["body"])[:400])
        for i, tg in enumerate(tok_grams):
            if tg and len(rg & tg) / len(tg) > 0.5:
                leak.add(i)
    train_idx = [i for i in range(len(X)) if i not in leak]
    model = TextClassifier().fit([X[i] for i in train_idx], [y[i] for i in train_idx])
    raw_texts = [r["subject"] + "\n" + r["body"] for r in raw]
    raw_labels = [r["label"] for r in raw]
    pred = model.predict(raw_texts)
    print(f"raw held-out: {len(raw)} messages; {len(leak)} near-copies removed from training; "
          f"macro-F1 {f1_score(raw_labels, pred, average='macro'):.4f}")
    copies = sorted(leak)
    copy_pred = model.predict([X[i] for i in copies])
    print(f"the same model on the {len(copies)} tokenised copies of the held-out messages: "
          f"macro-F1 {f1_score(y[copies], copy_pred, average='macro'):.4f}")

    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    with open(out / "train.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["tokens", "label"])
        w.writerows([X[i], y[i]] for i in train_idx)
    with open(out / "raw_test.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["subject", "body", "label"])
        w.writerows([r["subject"], r["body"], r["label"]] for r in raw)

    for label, texts in (("raw text", raw_texts * 20), ("tokenised text", X[:8000])):
        model.predict(texts[:500])  # warm up
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            model.predict(texts)
            runs.append(time.perf_counter() - started)
        seconds = sorted(runs)[1]
        print(f"throughput, one core, {label}: {len(texts)} messages, median of 3 runs {seconds:.2f}s = "
              f"{len(texts) / seconds:.0f} msg/s (runs: {', '.join(f'{r:.2f}s' for r in runs)})")


if __name__ == "__main__":
    main()
