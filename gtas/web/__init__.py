"""The Flask application: ``create_app`` builds it from the settings; nothing happens at import."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask

from gtas import config


def _defaults() -> dict[str, Callable[[], Any]]:
    """Each Flask setting and how to read it from the GTAS settings (only read when not overridden)."""
    return {
        "DATABASE_URL": config.database_url,
        "CARD_KEY": config.card_key,
        "HOME_COUNTRY": config.home_country,
        "MAX_CONTENT_LENGTH": config.max_message_bytes,
        "RATE_LIMIT_PER_MINUTE": config.rate_limit_per_minute,
        "AMQP_URL": config.amqp_url,
        "AMQP_QUEUE": config.amqp_queue,
        "SECRET_KEY": config.secret_key,
        "SIGN_IN_ATTEMPTS": config.sign_in_attempts,
        "LOCKOUT_MINUTES": config.lockout_minutes,
        "SESSION_IDLE_MINUTES": config.session_idle_minutes,
        "SESSION_MAX_HOURS": config.session_max_hours,
        "PASSWORD_MIN_LENGTH": config.password_min_length,
        "SECURE_COOKIES": config.secure_cookies,
    }


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """A GTAS web application; ``overrides`` replace settings (tests, embedding)."""
    from gtas.web import (
        admin,
        auditlog,
        auth,
        database,
        errors,
        feeds,
        flights,
        hits,
        inputs,
        paths,
        rules,
        search,
        travellers,
        watchlists,
    )
    from gtas.web.api import messages, officer, token_pages

    app = Flask(__name__)
    given = dict(overrides or {})
    app.config.update({name: given[name] if name in given else read() for name, read in _defaults().items()})
    app.config.update(given)
    paths.init_app(app)  # before any route
    database.init_app(app)
    errors.init_app(app)
    messages.init_app(app)
    auth.init_app(app, token_apis=[messages.bp, officer.bp])
    inputs.init_app(app)
    flights.init_app(app)
    travellers.init_app(app)
    hits.init_app(app)
    search.init_app(app)
    officer.init_app(app)
    token_pages.init_app(app)
    admin.init_app(app)
    feeds.init_app(app)
    auditlog.init_app(app)
    rules.init_app(app)
    watchlists.init_app(app)
    return app
