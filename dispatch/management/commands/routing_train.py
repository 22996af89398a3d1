import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dispatch.classifier import TextClassifier


def read_csv(path: str, text_cols: list[str], label_col: str | None):
    texts, labels = [], []
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None
    with fh:
        reader = csv.DictReader(fh)
        missing = [c for c in text_cols + ([label_col] if label_col else []) if c not in (reader.fieldnames or [])]
        if missing:
            raise CommandError(f"{path}: missing column(s) {', '.join(missing)}; columns are {reader.fieldnames}")
        for row in reader:
            text = " ".join(row[c] or "" for c in text_cols).strip()
            if not text:
                continue
            texts.append(text)
            labels.append(row[label_col].strip() if label_col else "")
    return texts, labels


class Command(BaseCommand):
    help = "Train the routing text classifier from a CSV of labelled messages."

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True)
        parser.add_argument("--text-col", action="append", required=True, dest="text_cols")
        parser.add_argument("--label-col", required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--C", type=float, default=1.0)

    def handle(self, *args, **o):
        texts, labels = read_csv(o["csv"], o["text_cols"], o["label_col"])
        started = time.perf_counter()
        model = TextClassifier(C=o["C"]).fit(texts, labels, source=Path(o["csv"]).name)
        model.save(Path(o["out"]))
        self.stdout.write(f"trained on {len(texts)} messages, {len(model.classes)} classes, "
                          f"{time.perf_counter() - started:.1f}s -> {o['out']}")
