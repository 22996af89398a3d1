"""The OpenAPI document is the contract other systems integrate against: every refusal an operation can
answer is in it with its body, and the limits it states are the ones the server applies, in the caller's
language. (Found by schemathesis against /api/openapi.json: 401, 404 and 422 were undocumented, and an
empty batch or an out-of-range ``limit`` was refused although the document allowed it.)"""

import pytest

from intake.models import Event

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/ErrorOut"


def test_every_operation_documents_its_refusals_with_the_error_body(client):
    spec = client.get("/api/openapi.json").json()
    error = spec["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message", "errors"}
    operations = [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]
    assert {"/api/intake/events", "/api/intake/updates", "/api/catalogue/items/{code}"} <= set(spec["paths"])
    for path, method, op in operations:
        refusals = {code: r for code, r in op["responses"].items() if not code.startswith("2")}
        assert "401" in refusals, (method, path)
        for code, response in refusals.items():
            assert response["content"]["application/json"]["schema"]["$ref"] == ERROR_REF, (method, path, code)
        if "{" in path:
            assert "404" in refusals, (method, path)
        if method == "post":
            assert {"400", "422"} <= set(refusals), (method, path)
    batch = spec["components"]["schemas"]["BatchIn"]["properties"]["detections"]
    assert (batch["minItems"], batch["maxItems"]) == (1, 500)
    limit = next(p for p in spec["paths"]["/api/intake/updates"]["get"]["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 500)


def test_the_stated_limits_are_applied_with_the_field_named(iw, client):
    post = "/api/intake/events/batch"
    empty = client.post(post, {"detections": []}, content_type="application/json", HTTP_X_API_KEY=iw.drone_key)
    assert empty.status_code == 422 and empty.json()["errors"] == {"detections": ["至少1项"]}
    det = {"text": "河道边发现建筑垃圾", "lng": iw.huibu_point[0], "lat": iw.huibu_point[1]}
    big = client.post(post, {"detections": [det] * 501}, content_type="application/json", HTTP_X_API_KEY=iw.drone_key,
                      HTTP_ACCEPT_LANGUAGE="en")
    assert big.status_code == 422 and big.json()["errors"] == {"detections": ["At most 500 items"]}
    assert Event.objects.count() == 0
    for params, field, zh, en in [({"limit": 0}, "limit", "应不小于1", "Must be at least 1"),
                                  ({"limit": 501}, "limit", "应不大于500", "Must be at most 500"),
                                  ({"after": -1}, "after", "应不小于0", "Must be at least 0")]:
        r = client.get("/api/intake/updates", params, HTTP_X_API_KEY=iw.hotline_key)
        assert r.status_code == 422 and r.json()["errors"] == {field: [zh]}, r.content
        r = client.get("/api/intake/updates", params, HTTP_X_API_KEY=iw.hotline_key, HTTP_ACCEPT_LANGUAGE="en")
        assert r.json()["errors"] == {field: [en]}
    assert client.get("/api/intake/updates", {"limit": 500}, HTTP_X_API_KEY=iw.hotline_key).status_code == 200


def test_a_missing_item_is_said_in_the_callers_language(iw, client):
    client.force_login(iw.guidance)
    r = client.get("/api/catalogue/items/000000000000", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404 and r.json()["message"] == "No such enforcement item"
    assert client.get("/api/catalogue/items/000000000000").json()["message"] == "事项不存在"


def test_a_field_the_api_does_not_know_is_refused_by_name_not_dropped(iw, client):
    """A sender's ``category_code`` (the field is ``category``) used to be ignored: the report was filed without
    its category. Now it is a 422 naming the field, in the caller's language, and nothing is written."""
    body = {"external_id": "T-X", "text": "人民路有人占道经营", "lng": iw.tianma_point[0], "lat": iw.tianma_point[1],
            "category_code": "0504"}
    r = client.post("/api/intake/events", body, content_type="application/json", HTTP_X_API_KEY=iw.hotline_key)
    assert r.status_code == 422 and r.json()["errors"] == {"category_code": ["未知字段（请核对字段名）"]}
    det = {"text": "河道边发现建筑垃圾", "lng": iw.huibu_point[0], "lat": iw.huibu_point[1],
           "attachments": [{"name": "a.jpg", "content_base64": "", "mime": "image/jpeg"}]}
    r = client.post("/api/intake/events/batch", {"flight_id": "F-1", "detections": [det], "pilot": "x"},
                    content_type="application/json", HTTP_X_API_KEY=iw.drone_key, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and r.json()["errors"] == {
        "pilot": ["Unknown field (check the field name)"],
        "detections.0.attachments.0.mime": ["Unknown field (check the field name)"]}
    assert Event.objects.count() == 0
    spec = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert all(spec[s]["additionalProperties"] is False for s in ("EventIn", "BatchIn", "AttachmentIn"))
    del body["category_code"]
    assert client.post("/api/intake/events", {**body, "category": "0504"}, content_type="application/json",
                       HTTP_X_API_KEY=iw.hotline_key).status_code == 201
