"""What every page family of assessments shares: errors as Chinese messages, and the
permission check that answers 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest


def error_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or "您没有权限执行此操作。"]


def flash_errors(request: HttpRequest, error: Exception) -> None:
    for message in error_messages(error):
        messages.error(request, message)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
