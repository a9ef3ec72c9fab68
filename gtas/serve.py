"""``gtas serve``: the web application on Flask's server; on the embedded default also the scheduled jobs.

Embedded (no GTAS_AMQP_URL): a SQLite database is created or migrated on start, and the drop folder and overdue
multi-part series are handled by a scheduler in this process. With a queue, the workers' leader runs the jobs and
the HTTP intake hands the messages it stored to the workers.
"""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import make_url

from gtas import config


def prepare_database(url: str) -> None:
    """Create or migrate an embedded SQLite database (with its reference data); PostgreSQL must be up to date."""
    from gtas import db, reference

    parsed = db.normalise_url(url)
    engine = db.make_engine(parsed)
    try:
        current = db.current_revision(engine)
        if parsed.get_backend_name() != "sqlite":
            if current != db.head_revision():
                raise click.ClickException(f"the database is at schema revision {current or 'none'}, this code "
                                           f"needs {db.head_revision()}: run `gtas init` first")
            return
        if current != db.head_revision():
            db.upgrade(engine)
            with db.make_sessionmaker(engine).begin() as session:
                reference.load_reference_data(session)
    finally:
        engine.dispose()


def first_administrator(url: str) -> str | None:
    """Create the user ``admin`` with a generated password on first start (None when an administrator exists)."""
    from gtas import db
    from gtas.web.auth.accounts import ensure_admin

    engine = db.make_engine(url)
    try:
        with db.make_sessionmaker(engine).begin() as session:
            return ensure_admin(session)
    finally:
        engine.dispose()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True, help="Port to listen on.")
def serve_command(host: str, port: int) -> None:
    """Run the web application and the message intake (Flask's server: for production use gunicorn).

    Without GTAS_AMQP_URL this process also polls the drop folder and loads overdue multi-part lists.

    Example: gtas serve --port 8080
    """
    from gtas import db
    from gtas.jobs import scheduler_from_settings
    from gtas.web import create_app

    url = config.database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    prepare_database(url)
    app = create_app()
    password = first_administrator(url)
    scheduler = None
    if not config.amqp_url():
        engine = db.make_engine(url, sqlite_immediate=True)  # the jobs write beside the requests
        scheduler = scheduler_from_settings(db.make_sessionmaker(engine))
        scheduler.start()
    click.echo(f"GTAS is at http://{host}:{port}/")
    if password:
        click.echo(f"sign in as admin with the password {password} (shown this once; `gtas user reset-password admin`"
                   " makes a new one)")
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        if scheduler is not None:
            scheduler.shutdown()
