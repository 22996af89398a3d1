"""Property-based: whatever a hotline system sends, in whatever order, with retries and near-copies, nothing
is dropped and nothing is filed twice.

Hypothesis draws a sequence of submissions from one system: a reference (external id) from a small set or
none, one of a few texts, one of a few places (some within the duplicate distance of each other), and
some invalid ones. After the sequence:

- every valid submission answered with an event, and a submission repeating a reference answered with
  the event that reference first made (idempotent), never a new one;
- the events are exactly one per distinct reference plus one per submission without a reference;
- a refused submission wrote nothing;
- a duplicate points at a main report that is not itself a duplicate, of the same town and of the same
  category unless the duplicate has none, within the duplicate distance; each me-too count is the number
  of reports pointing at it.
"""

import datetime as dt

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core import clock
from core.config import config_get
from core.exceptions import ValidationFailed
from intake.models import Event
from intake.services import distance_m, event_submit

TEXTS = ["人民路口有人占道摆摊经营卖水果", "人民路口又有人占道摆摊经营卖水果", "文峰路共享单车乱停放堵塞人行道",
         "定阳路工地夜间施工噪声扰民"]
OFFSETS = [(0, 0), (0.0005, 0), (0.0, 0.0009), (0.01, 0.01)]  # about 0, 50, 100 and 1,500 m from the first


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(sends=st.lists(st.tuples(st.sampled_from(["", "A", "B", "C"]), st.integers(0, 3), st.integers(0, 3),
                                st.sampled_from(["0504", "0504", None]), st.booleans()), min_size=1, max_size=15))
def test_no_submission_is_dropped_or_filed_twice(iw, sends):
    Event.objects.update(received_at=clock.now() - dt.timedelta(days=365))  # the last sequence's reports are old
    run = Event.objects.count()  # references unique to this sequence
    x, y = iw.tianma_point
    first_for: dict[str, int] = {}
    unreferenced = 0
    before = set(Event.objects.values_list("pk", flat=True))
    for ref, t, o, category, valid in sends:
        external_id = f"R{run}-{ref}" if ref else ""
        lng, lat = (x + OFFSETS[o][0], y + OFFSETS[o][1]) if valid else (121.0, 31.0)  # outside the county
        count = Event.objects.count()
        try:
            result = event_submit(channel="hotline", source=iw.hotline, external_id=external_id, text=TEXTS[t],
                                  lng=lng, lat=lat, category_code=category)
        except ValidationFailed:
            assert not valid and Event.objects.count() == count  # refused: nothing written
            continue
        if not external_id:
            assert result.created
            unreferenced += 1
        elif external_id in first_for:
            assert not result.created and result.event.pk == first_for[external_id]
        else:
            assert valid and result.created
            first_for[external_id] = result.event.pk
    mine = Event.objects.exclude(pk__in=before)
    assert mine.count() == len(first_for) + unreferenced
    event(f"linked as duplicates: {mine.filter(duplicate_of__isnull=False).count() > 0}")
    event(f"a reference sent again: {len(first_for) < sum(1 for r, _t, _o, _c, ok in sends if r and ok)}")
    distance = config_get("intake.duplicate.distance_m")
    for e in Event.objects.filter(pk__in=mine):
        assert e.me_too_count == Event.objects.filter(duplicate_of=e).count(), e.ticket
        if e.duplicate_of_id:
            main = e.duplicate_of
            assert main.duplicate_of_id is None and main.town_id == e.town_id
            assert e.category_id in (None, main.category_id)  # an uncategorised report may repeat any category
            assert distance_m(e.lng, e.lat, main.lng, main.lat) <= distance, (e.ticket, main.ticket)
