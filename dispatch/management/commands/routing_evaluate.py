import time
from pathlib import Path

from django.core.management.base import BaseCommand
from sklearn.metrics import f1_score, precision_recall_fscore_support

from dispatch.classifier import TextClassifier
from dispatch.management.commands.routing_train import read_csv


class Command(BaseCommand):
    help = "Evaluate a routing model: per-class precision/recall/F1, then a last line 'macro-F1 <value>'."

    def add_arguments(self, parser):
        parser.add_argument("--model", required=True)
        parser.add_argument("--csv", required=True)
        parser.add_argument("--text-col", action="append", required=True, dest="text_cols")
        parser.add_argument("--label-col", required=True)

    def handle(self, *args, **o):
        model = TextClassifier.load(Path(o["model"]))
        texts, labels = read_csv(o["csv"], o["text_cols"], o["label_col"])
        started = time.perf_counter()
        predicted = model.predict(texts)
        seconds = time.perf_counter() - started
        classes = sorted(set(labels) | set(predicted))
        p, r, f, n = precision_recall_fscore_support(labels, predicted, labels=classes, zero_division=0)
        self.stdout.write(f"{'class':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'n':>6}")
        for c, pi, ri, fi, ni in zip(classes, p, r, f, n, strict=True):
            self.stdout.write(f"{c:<12} {pi:9.4f} {ri:7.4f} {fi:7.4f} {ni:6d}")
        accuracy = sum(a == b for a, b in zip(labels, predicted, strict=True)) / len(labels)
        self.stdout.write(f"accuracy {accuracy:.4f}; {len(texts)} messages in {seconds:.2f}s "
                          f"({len(texts) / seconds:.0f} messages/s)")
        self.stdout.write(f"macro-F1 {f1_score(labels, predicted, labels=classes, average='macro'):.4f}")
