"""Every write is atomic: a public service that writes an audit record opens its own transaction.

The test suite runs each test inside a transaction, so a service that lost its ``@transaction.atomic``
still passes its functional tests (it happened once: a helper inserted between the decorator and
``event_submit`` took the decorator). This reads the source instead.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _public_services():
    for path in sorted(ROOT.glob("*/services.py")) + sorted(ROOT.glob("*/messaging.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                yield path, source, node


def test_every_public_service_that_audits_opens_a_transaction():
    checked, missing = 0, []
    for path, source, fn in _public_services():
        body = ast.get_source_segment(source, fn) or ""
        if "audit_log(" not in body:
            continue
        checked += 1
        decorated = any("atomic" in (ast.get_source_segment(source, d) or "") for d in fn.decorator_list)
        if not (decorated or "transaction.atomic()" in body):
            missing.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}")
    assert checked > 50  # the scan found the services
    assert missing == []
