"""What every endpoint of the JSON API answers when it refuses, for the OpenAPI document (/api/docs).

The body is the one ``openenforce.api``'s handlers write for every refusal: ``code``, ``message`` in the
caller's language (Accept-Language; Chinese by default), ``errors`` mapping each field to its messages
(``__all__`` for the request as a whole) and, for a rule of the law, the rule's id.
"""

from ninja import Schema

# 400 a body that is not JSON, 401 no valid key or session, 403 not permitted, 404 not found (or not the
# caller's), 422 invalid input (each field named)
REFUSALS = (400, 401, 403, 404, 422)


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]]
    rule: str | None = None


def refusals(*codes: int) -> dict:
    """``response={200: …, **refusals(401, 422)}``: the refusals an operation documents."""
    unknown = set(codes) - set(REFUSALS)
    if unknown:
        raise ValueError(f"no documented refusal for {sorted(unknown)}")
    return dict.fromkeys(codes, ErrorOut)
