"""A pytest plugin for an occasional audit: run the suite with English active and list stored English.

Every test that builds the ``world`` runs with English as the active language (as if each user had switched
the UI to English); after the test, every text column of every model is searched for an English phrase from
the catalogue (``core/tests/test_record_language.py``) and each finding is appended to the file named by
``RECORDS_SCAN_OUT`` (default ``var/records-in-english.tsv``): test, column, phrase, text.

Tests that assert Chinese messages fail under it — expected; only the findings file matters. It is slow
(about 25 minutes for the suite on two cores: each test's tables are searched for ~2,000 phrases), so it is
not part of ``make test``.

    PYTHONPATH=scripts .venv/bin/python -m pytest -p pytest_records_in_english -p no:cacheprovider
"""

import os

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _records_in_english(request, _records_language_between_tests):
    uses_world = "world" in request.fixturenames
    if uses_world:
        request.getfixturevalue("world")  # set up first, so it is torn down after the search
    translation.activate("en")
    yield
    if not uses_world:
        return
    from core.tests.test_record_language import english_in_records

    translation.activate("zh-hans")
    found = english_in_records()
    if found:
        with open(os.environ.get("RECORDS_SCAN_OUT", "var/records-in-english.tsv"), "a", encoding="utf-8") as out:
            for where, phrase, text in found:
                out.write(f"{request.node.nodeid}\t{where}\t{phrase}\t{text[:150]}\n")
