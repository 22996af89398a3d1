import csv
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from dispatch.classifier import TextClassifier

TRAIN = [("人民路 占道 经营 摆摊", "城管"), ("门口 有人 摆摊 占用 人行道", "城管"), ("流动 摊贩 占道", "城管"),
         ("超市 卖 过期 食品", "市场"), ("饭店 食品 变质 卫生 差", "市场"), ("无证 经营 食品 小作坊", "市场")] * 5


def write_csv(path: Path, rows, header=("text", "label")):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def test_raw_and_tokenised_text_give_the_same_prediction():
    model = TextClassifier().fit([t for t, _ in TRAIN], [y for _, y in TRAIN])
    raw, tok = model.predict_with_confidence(["超市卖过期食品", "超市 卖 过期 食品"])
    assert raw.label == tok.label == "市场" and abs(raw.confidence - tok.confidence) < 1e-9


def test_train_evaluate_predict_commands(tmp_path):
    write_csv(tmp_path / "train.csv", TRAIN)
    write_csv(tmp_path / "test.csv", [("街上有人摆摊占道", "城管"), ("食品过期变质", "市场")])
    model = tmp_path / "m.joblib"
    call_command("routing_train", "--csv", str(tmp_path / "train.csv"), "--text-col", "text", "--label-col", "label",
                 "--out", str(model), stdout=StringIO())
    out = StringIO()
    call_command("routing_evaluate", "--model", str(model), "--csv", str(tmp_path / "test.csv"), "--text-col", "text",
                 "--label-col", "label", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1] == "macro-F1 1.0000"
    out = StringIO()
    call_command("routing_predict", "--model", str(model), "--text", "有人占道摆摊", stdout=out)
    assert '"label": "城管"' in out.getvalue()


def test_missing_column_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    write_csv(tmp_path / "t.csv", TRAIN)
    with pytest.raises(CommandError, match="missing column"):
        call_command("routing_train", "--csv", str(tmp_path / "t.csv"), "--text-col", "body", "--label-col", "label",
                     "--out", str(tmp_path / "m.joblib"))


COMPLAINTS = Path(settings.OPENENFORCE_SHARED_DIR) / "complaints" / "taidi2020_messages_train_tokenized.csv"


@pytest.mark.skipif(not COMPLAINTS.exists(), reason="complaints corpus not available")
def test_real_messages_smoke():
    """A quick check on real data (full measurement: bench/routing_classifier.py, docs/routing.md)."""
    rows = list(csv.DictReader(open(COMPLAINTS, encoding="utf-8")))[::4]
    train, test = rows[::2], rows[1::2]
    model = TextClassifier().fit([r["tokens"] for r in train], [r["label"] for r in train])
    pred = model.predict([r["tokens"] for r in test])
    accuracy = sum(p == r["label"] for p, r in zip(pred, test, strict=True)) / len(test)
    assert accuracy > 0.85
