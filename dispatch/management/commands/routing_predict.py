import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from dispatch.classifier import TextClassifier
from dispatch.management.commands.routing_train import read_csv


class Command(BaseCommand):
    help = "Predict labels with a routing model for --text, a --csv file, or lines on standard input."

    def add_arguments(self, parser):
        parser.add_argument("--model", required=True)
        parser.add_argument("--text", action="append")
        parser.add_argument("--csv")
        parser.add_argument("--text-col", action="append", dest="text_cols")

    def handle(self, *args, **o):
        model = TextClassifier.load(Path(o["model"]))
        if o["text"]:
            texts = o["text"]
        elif o["csv"]:
            texts, _ = read_csv(o["csv"], o["text_cols"] or ["text"], None)
        else:
            texts = [line.strip() for line in sys.stdin if line.strip()]
        for text, pred in zip(texts, model.predict_with_confidence(texts), strict=True):
            self.stdout.write(json.dumps({"text": text[:80], "label": pred.label, "confidence": round(pred.confidence, 4),
                                          "top": pred.top}, ensure_ascii=False))
