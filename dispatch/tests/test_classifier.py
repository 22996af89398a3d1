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


def test_a_low_confidence_guess_is_not_written_as_the_events_category(iw, settings):
    """The model's category goes on the event only at or above the routing threshold: a guess that sends
    the report to triage stays in the explanation, so it neither mislabels the report nor counts in
    高频问题 and 热点预警."""
    from intake.choices import EventStatus
    from intake.services import event_submit

    texts = [("人民路店铺店外经营，商品摆到人行道上", "0504"), ("门口占道经营严重，堵塞人行道", "0504"),
             ("店外经营占道摆摊", "0504"), ("超市在卖过期食品", "1001"), ("小吃店食品变质卫生条件差", "1001"),
             ("饭店食品过期变质", "1001"), ("窨井盖破损行人有跌落危险", "0410"), ("井盖缺失很危险", "0410"),
             ("窨井盖松动车辆经过响声很大", "0410")] * 4
    TextClassifier().fit([t for t, _ in texts], [y for _, y in texts], source="test").save(
        Path(settings.OPENENFORCE_ROUTING_MODEL))
    where = {"channel": "hotline", "source": iw.hotline, "lng": iw.tianma_point[0], "lat": iw.tianma_point[1]}
    sure = event_submit(text="天马街道人民路店铺店外经营，商品摆到人行道上", external_id="S-1", **where).event
    guess = event_submit(text="小区门口有问题好几天了，请相关部门来看看", external_id="S-2", **where).event
    sure.refresh_from_db()
    guess.refresh_from_db()
    assert sure.category == iw.cat_stall and sure.status == EventStatus.ROUTED
    decision = guess.decisions.get()
    assert guess.status == EventStatus.TRIAGE and guess.category is None
    assert decision.explanation["model"]["label"] in {"0504", "1001", "0410"}
    assert decision.explanation["model"]["confidence"] < decision.explanation["threshold"]
