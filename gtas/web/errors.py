"""JSON errors that say what to fix, and the security headers every response carries."""

from __future__ import annotations

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # HTTPS form posts need a same-origin Referer (Flask-WTF's strict check)
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
                               "object-src 'none'",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class ApiError(Exception):
    """A request the API refuses: HTTP status, a short error, what to fix, and extra headers."""

    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {error}: {detail}")
        self.status, self.error, self.detail, self.headers = status, error, detail, headers or {}


def error_response(status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    """A JSON error body ``{"error", "detail"}`` with its status and headers."""
    response = jsonify(error=error, detail=detail)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _api_error(exc: ApiError) -> Response:
    return error_response(exc.status, exc.error, exc.detail, exc.headers)


def _http_error(exc: HTTPException) -> Response:
    if isinstance(exc, RequestEntityTooLarge):
        return _too_large()
    return error_response(exc.code or 500, exc.name, exc.description or exc.name)


def _too_large() -> Response:
    from flask import current_app

    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return error_response(413, "message too large", f"send at most {limit} bytes per request (GTAS_MAX_MESSAGE_BYTES)")


def _secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Answer every error as JSON and add the security headers to every response."""
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.after_request(_secure)
