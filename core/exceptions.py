"""Domain errors. Mapped to HTTP status codes once, in ``openenforce.api`` and ``core.views``."""

from __future__ import annotations


class ApplicationError(Exception):
    """Base of every error a user can cause. ``message`` is shown to the user (Chinese by default);
    ``errors`` maps a field name to a list of messages for field-level reporting."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None, rule: str | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.rule = rule

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.message, "errors": self.errors}
        if self.rule:
            data["rule"] = self.rule
        return data


class ValidationFailed(ApplicationError):
    status_code = 422
    code = "validation_failed"


class NotFound(ApplicationError):
    """Raised both for rows that do not exist and rows the user may not see (no existence leak)."""

    status_code = 404
    code = "not_found"


class NotPermitted(ApplicationError):
    status_code = 403
    code = "not_permitted"


class InvalidTransition(ApplicationError):
    status_code = 409
    code = "invalid_transition"


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"


class DeadlinePassed(ApplicationError):
    status_code = 409
    code = "deadline_passed"


class RuleViolation(ApplicationError):
    """A guard from the legal rulebook refused the action; ``rule`` carries its id (e.g. XF-051)."""

    status_code = 409
    code = "rule_violation"


class TooManyRequests(ApplicationError):
    """An anonymous caller went over a submission limit; nothing was written."""

    status_code = 429
    code = "too_many_requests"
