"""Random codes a person reads off paper or a phone screen and types back: 受理编号 (a report's ticket) and 核验码
(an enforcement document's check code). Random (``secrets``), so they cannot be guessed from one another."""

from __future__ import annotations

import secrets

# no 0/O, 1/I/L: the letters a reader confuses on paper
READABLE = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def random_code(length: int) -> str:
    return "".join(secrets.choice(READABLE) for _ in range(length))


def typed_code(text: str) -> str:
    """A code as typed: case, spaces and printed hyphens ignored."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())
