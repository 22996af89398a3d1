"""Routing: which enforcement item(s) an event most likely concerns, which body is responsible, and why.

Order of evidence:
1. the responsibility-boundary list (职责边界清单): a row whose keywords appear in the text decides the
   penalising body and narrows the items;
2. the category (given by the reporter, else predicted by the text classifier) gives the domain;
3. items of that domain are ranked by how much of their wording appears in the text;
4. the body: the town (its government and the town team) when the best item is delegated to the town
   where it happened on that day (ZJ-009), otherwise the item's holder on that day (ZJ-006-008); with a
   boundary row but no item matched, the town when every item of the row is delegated to it, else the
   row's penalising body; otherwise the category's default department (non-enforcement matters such as
   repairs).
Below ``routing.auto_threshold`` confidence, or when no body is found, the event goes to triage; so does one
whose body is a town's by delegation when its position lies within ``routing.border_margin_m`` of another
town (:func:`border_of`) and its address does not name the town.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from catalogue.models import BoundaryRule, EnforcementItem
from catalogue.selectors import active_on
from core.config import config_get
from core.records import record_language
from intake.models import EventCategory
from org.choices import DepartmentKind, TeamKind
from org.models import Department, Team

log = logging.getLogger(__name__)


def model_path() -> Path:
    return Path(getattr(settings, "OPENENFORCE_ROUTING_MODEL", settings.VAR_DIR / "models" / "routing.joblib"))


@lru_cache(maxsize=1)
def _load_model(path: str, mtime: float):
    from dispatch.classifier import TextClassifier

    return TextClassifier.load(Path(path))


def routing_model():
    path = model_path()
    if not path.exists():
        return None
    try:
        return _load_model(str(path), path.stat().st_mtime)
    except Exception:  # a broken model must not stop intake; events then go to triage
        log.exception("routing model %s could not be loaded", path)
        return None


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


class _Snapshot:
    """In-process copies of the boundary rows and item names, reloaded whenever a cheap stamp query shows
    the tables changed (so a new ruling takes effect at once in every process)."""

    def __init__(self):
        self.rule_stamp = None
        self.rules: list[BoundaryRule] = []
        self.item_stamp = None
        self.items: dict[int, tuple[int, str, str, frozenset, int]] = {}  # pk -> (pk, code, name, grams, domain)

    def boundary_rules(self, on: dt.date) -> list[BoundaryRule]:
        from django.db.models import Count, Max

        stamp = tuple(BoundaryRule.objects.aggregate(n=Count("id"), m=Max("id"), v=Max("valid_to"),
                                                     u=Max("updated_at")).values())
        if stamp != self.rule_stamp:
            self.rules = list(BoundaryRule.objects.select_related("penalising_department", "supervising_department"))
            self.rule_stamp = stamp
        return [r for r in self.rules if r.valid_to is None or r.valid_to > on]

    def item_rows(self):
        from django.db.models import Count, Max

        stamp = tuple(EnforcementItem.objects.aggregate(n=Count("id"), m=Max("updated_at")).values())
        if stamp != self.item_stamp:
            self.items = {pk: (pk, code, name, frozenset(bigrams(name)), domain, repealed)
                          for pk, code, name, domain, repealed in EnforcementItem.objects.values_list(
                              "pk", "code", "name", "domain_id", "repealed_on")}
            self.item_stamp = stamp
        return self.items


SNAPSHOT = _Snapshot()


@dataclass
class Decision:
    department: Department | None = None
    team: Team | None = None
    item: EnforcementItem | None = None
    boundary_rule: BoundaryRule | None = None
    category: EventCategory | None = None
    confidence: float = 0.0
    model_version: str = ""
    explanation: dict = field(default_factory=dict)
    needs_triage: bool = True
    # the category is the reporter's, or the model's at or above the threshold: only then is it written on
    # the event (a 0.06 guess would mislabel it and count it in 高频问题/热点预警); the guess stays in the explanation
    category_certain: bool = False


def _citations(item: EnforcementItem) -> list[str]:
    return [f"《{b.article.law.short_title}》{b.article.label}" for b in
            item.itembasis_set.select_related("article__law")]


def _rank_items(text: str, candidates, extra_words: list[str]) -> list[tuple[float, tuple]]:
    """Score = share of the item name's character bigrams found in the text, plus a bonus for the
    category's item words present in both."""
    grams = bigrams(text)
    words = [w for w in extra_words if w in text]
    ranked = []
    for row in candidates:
        _pk, code, name, name_grams, _domain, _repealed = row
        if not name_grams:
            continue
        score = len(grams & name_grams) / len(name_grams)
        score += 0.3 * sum(1 for w in words if w in name)
        ranked.append((score, row))
    ranked.sort(key=lambda p: (-p[0], p[1][1]))
    return ranked


def town_body(town) -> tuple[Department | None, Team | None]:
    dept = Department.objects.filter(kind=DepartmentKind.TOWN_GOVERNMENT, region=town).first()
    team = Team.objects.filter(kind=TeamKind.TOWN, towns=town, active=True).first()
    return dept, team


def decide(*, text: str, town, category: EventCategory | None, on: dt.date,
           exclude_departments: set[int] | None = None, town_source: str = "", border: dict | None = None) -> Decision:
    """``town_source`` says how the town was found (定位, 所填, 地址) for the explanation. ``border`` (from
    :func:`border_of`) says that the position lies close to other towns: when the body found is the town's
    because of where it happened (a delegated item), a person confirms the town first."""
    exclude = exclude_departments or set()
    d = Decision()
    expl: dict = {}
    if town is not None:
        expl["town"] = {"name": town.name, "source": town_source}
    clean = "".join(text.split())

    # 1. boundary list
    best_rule, best_hits = None, 0
    for rule in SNAPSHOT.boundary_rules(on):
        hits = sum(1 for k in rule.keywords if k and k in clean)
        if hits > best_hits or (hits == best_hits and hits and rule.source == BoundaryRule.Source.RULING):
            best_rule, best_hits = rule, hits
    if best_rule and best_rule.penalising_department_id in exclude:
        best_rule = None
    if best_rule:
        d.boundary_rule = best_rule
        expl["boundary_rule"] = {"code": best_rule.code, "matter": best_rule.matter, "criteria": best_rule.criteria,
                                 "penalising": best_rule.penalising_department.name,
                                 "source": f"{best_rule.source_document}（{best_rule.source_date}）",
                                 "keywords_found": [k for k in best_rule.keywords if k in clean]}

    # 2. category: the reporter's, else the model's
    model = routing_model()
    if category is not None:
        d.category = category
        category_conf = 0.85
        expl["category"] = {"code": category.code, "name": str(category), "source": gettext_noop("报告人选择")}
    elif model is not None:
        pred = model.predict_with_confidence([text])[0]
        d.category = EventCategory.objects.filter(code=pred.label).first()
        category_conf = pred.confidence
        d.model_version = f"{model.meta.get('source', 'model')}:{model.meta.get('n_train', '?')}"
        expl["model"] = {"name": gettext_noop("TF-IDF 字符 n-gram + 线性SVM"), "version": d.model_version,
                         "label": pred.label, "confidence": round(pred.confidence, 3), "top": pred.top}
        if d.category:
            expl["category"] = {"code": d.category.code, "name": str(d.category), "source": gettext_noop("文本分类模型")}
    else:
        category_conf = 0.0
        expl["model"] = {"name": gettext_noop("无可用模型"), "confidence": 0}

    # 3. items
    rows = SNAPSHOT.item_rows().values()
    if best_rule and best_rule.item_codes:
        codes = set(best_rule.item_codes)
        candidates = [r for r in rows if r[1] in codes]
    elif d.category and d.category.domain_id:
        candidates = [r for r in rows if r[4] == d.category.domain_id]
    else:
        candidates = []
    candidates = [r for r in candidates if r[5] is None or r[5] > on]
    ranked = _rank_items(clean, candidates, (d.category.item_keywords if d.category else []))
    if ranked and ranked[0][0] > 0:
        d.item = EnforcementItem.objects.get(pk=ranked[0][1][0])
        expl["items"] = [{"code": r[1], "name": r[2], "score": round(sc, 3)} for sc, r in ranked[:3]]
        expl["item"] = {"code": d.item.code, "name": d.item.name, "basis": _citations(d.item)}

    # 4. body
    if d.item is not None:
        towns = [x.town_id for x in active_on(d.item.delegations.all(), on)]
        holders = list(active_on(d.item.holdings.select_related("department", "team"), on))
        if town is not None and town.pk in towns:
            d.department, d.team = town_body(town)
            deleg = active_on(d.item.delegations.filter(town=town), on).first()
            expl["delegation"] = {"town": town.name, "publication": deleg.publication if deleg else "",
                                  "rule": "ZJ-009 / 行政处罚法第二十四条"}
        elif holders:
            d.department, d.team = holders[0].department, holders[0].team
            expl["holder"] = {"department": d.department.name, "team": d.team.name if d.team else None,
                              "since": str(holders[0].valid_from), "rule": "ZJ-006-008"}
    if d.department is None and best_rule is not None and best_rule.item_codes and town is not None and candidates:
        # The row names its items but the text matched the wording of none: when every one of them is
        # delegated to the town where it happened, the town is responsible whichever it is (ZJ-009), not the
        # row's county body (占道经营, 违法建设 in a town that holds those powers).
        items = list(EnforcementItem.objects.filter(pk__in=[r[0] for r in candidates]).order_by("code"))
        if all(active_on(i.delegations.filter(town=town), on).exists() for i in items):
            d.department, d.team = town_body(town)
            expl["delegation"] = {"town": town.name, "items": [i.code for i in items],
                                  "rule": "ZJ-009 / 行政处罚法第二十四条"}
    if d.department is None and best_rule is not None:
        d.department = best_rule.penalising_department
        d.team = d.department.teams.filter(active=True).first()
    if d.department is None and d.category is not None and d.category.department_id:
        d.department = d.category.department
        d.team = d.department.teams.filter(active=True).first()
        expl["category_default"] = {"department": d.department.name}
    if d.department is not None and d.department.pk in exclude:
        d.department, d.team = None, None

    confidence = category_conf
    if best_rule is not None:
        confidence = max(confidence, 0.9)
    if d.item is None and d.department is not None and d.category is not None and d.category.department_id:
        confidence = min(confidence, 0.85)
    d.confidence = round(confidence, 4)
    threshold = config_get("routing.auto_threshold", on=on)
    # near a border, a town's body is only as sure as the town: the areas are drawn, the fix is off by metres
    unsure_town = bool(border and town is not None and "delegation" in expl and border.get("address_town") != town.name)
    if border and town is not None:
        expl["border"] = border
    d.needs_triage = d.department is None or town is None or d.confidence < threshold or unsure_town
    d.category_certain = d.category is not None and (category is not None or category_conf >= threshold)
    triage = []
    if town is None:
        triage.append({"code": "no_town"})
    if d.department is None:
        triage.append({"code": "no_body"})
    if d.confidence < threshold:
        triage.append({"code": "low_confidence", "confidence": f"{d.confidence:.2f}", "threshold": str(threshold)})
    if unsure_town:
        nearest = border["towns"][0]
        triage.append({"code": "near_border", "town": town.name, "other": nearest["name"],
                       "metres": str(nearest["metres"])})
    expl["threshold"] = threshold
    expl["triage"] = triage
    if d.department is not None:
        expl["body"] = {"department": d.department.name, "team": d.team.name if d.team else ""}
    with record_language():  # the stored sentences are the record's (Chinese); pages re-say them in the reader's
        expl["triage_reasons"] = [triage_reason(t) for t in triage]
        expl["summary"] = summary(expl)
    d.explanation = expl
    return d


TRIAGE_REASONS = {
    "no_town": gettext_noop("无法确定发生地所在镇街"),
    "no_body": gettext_noop("未找到责任主体"),
    "low_confidence": gettext_noop("置信度 %(confidence)s 低于自动分派阈值 %(threshold)s"),
    "near_border": gettext_noop("定位距%(other)s仅约%(metres)s米，须核定发生地是否属%(town)s"),
}


def border_of(event, on: dt.date) -> dict | None:
    """Whether an event located by its position (定位) lies within ``routing.border_margin_m`` of other towns:
    those towns, nearest first, with their distances, and the town its address names ("" if none), or None."""
    from intake.choices import TownSource
    from org import geo

    if event.town_source != TownSource.POINT or event.lng is None or event.town_id is None:
        return None
    near = geo.towns_near(event.lng, event.lat, config_get("routing.border_margin_m", on=on), besides=event.town)
    if not near:
        return None
    named = geo.town_named_in(event.address)
    return {"towns": [{"name": t.name, "metres": m} for t, m in near], "address_town": named.name if named else ""}


def triage_reason(reason: dict) -> str:
    """Why an event went to triage, in the active language."""
    return _(TRIAGE_REASONS[reason["code"]]) % reason  # a sentence without placeholders ignores the mapping


def summary(expl: dict) -> str:
    """The one-sentence reason of an automatic decision, in the active language, from its explanation."""
    sep = _("；")  # the catalogue's list separator (core.http uses it too)
    parts = []
    if "boundary_rule" in expl:
        parts.append(_("职责边界清单 %(code)s“%(matter)s”") % {
            "code": expl["boundary_rule"]["code"], "matter": expl["boundary_rule"]["matter"]})
    if "item" in expl:
        parts.append(_("事项 %(code)s（%(basis)s）") % {
            "code": expl["item"]["code"], "basis": pgettext("list", "、").join(expl["item"]["basis"])})
    if "delegation" in expl and "items" in expl["delegation"]:
        parts.append(_("清单所列事项（%(items)s）均已赋权%(town)s") % {
            "items": pgettext("list", "、").join(expl["delegation"]["items"]), "town": expl["delegation"]["town"]})
    elif "delegation" in expl:
        parts.append(_("该事项已赋权%(town)s") % {"town": expl["delegation"]["town"]})
    elif "holder" in expl:
        parts.append(_("实施主体为%(department)s") % {"department": expl["holder"]["department"]})
    body = expl.get("body")
    if body:
        if not parts:
            said = _("由%(department)s负责") % {"department": body["department"]}
        else:
            who = body["department"] + (_("（%(team)s）") % {"team": body["team"]} if body["team"] else "")
            said = _("依据%(reasons)s，由%(body)s负责") % {"reasons": sep.join(parts), "body": who}
        if expl.get("triage"):  # a body found, but not surely enough to send it there: a proposal, not a decision
            return _("转人工分拨；初步判断：%(said)s") % {"said": said}
        return said
    return _("未能确定责任主体，转人工分拨")


# A person's routing (by hand, a ruling, a reopening, a transfer): the stored sentence is the record's;
# ``note`` keeps its kind and free text so a page can say it in the reader's language.
NOTES = {
    "manual": gettext_noop("指挥中心人工分拨：%(text)s"),
    "ruling": gettext_noop("指导办裁定：%(text)s"),
    "reopen": gettext_noop("报告人反映问题未解决：%(text)s"),
    "transfer": gettext_noop("流转：%(text)s"),
}


def noted(kind: str, text: str, **extra) -> dict:
    """The explanation of a person's routing: the record's sentence and its parts."""
    with record_language():
        return {"summary": _(NOTES[kind]) % {"text": text}, "note": {"kind": kind, "text": text}, **extra}


# An event transition written by a routing (automatic, by hand, a ruling, a reopening) keeps its decision's id
# in ``params`` under this key, so the event's record can say it again in the reader's language
# (``transition_said``): the system's sentence, or "Routed by the command centre: <the operator's words>".
DECISION = "decision"


def transition_said(transition, shown_by_decision: dict[int, dict]) -> str:
    """A transition's reason in the reader's language: a routing's from its decision (``explained``), any
    other as ``shown_reason`` says it."""
    shown = shown_by_decision.get(transition.params.get(DECISION)) if not transition.message else None
    if shown is None:
        return transition.shown_reason
    if transition.new == "triage":
        return _("；").join(shown["triage_reasons"])
    return shown["summary"]


def explained(expl: dict) -> dict:
    """What a page shows of an explanation, in the reader's language where the explanation says enough to
    re-say it (decisions recorded before 2026-12-06 show their stored Chinese sentences)."""
    out = {"summary": expl.get("summary", ""), "triage_reasons": expl.get("triage_reasons", [])}
    if "note" in expl and expl["note"].get("kind") in NOTES:
        out["summary"] = _(NOTES[expl["note"]["kind"]]) % {"text": expl["note"]["text"]}
    elif "triage" in expl:
        out["summary"] = summary(expl)
        out["triage_reasons"] = [triage_reason(t) for t in expl["triage"]]
    return out
