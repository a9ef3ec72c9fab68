"""``gtas serve``: the web application on Flask's server, or on gunicorn (``--workers N``, the production server);
on the embedded default also the scheduled jobs.

Embedded (no GTAS_AMQP_URL): a SQLite database is created or migrated on start, and the drop folder and overdue
multi-part series are handled by a scheduler in this process (under gunicorn: in its master process, never in the
workers). With a queue, the workers' leader runs the jobs and the HTTP intake hands the messages it stored to the
workers.
"""

from __future__ import annotations

import os
from typing import Any

import click
from sqlalchemy import Engine

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


def run_gunicorn(host: str, port: int, workers: int, threads: int, forked_engines: list[Engine]) -> None:
    """Serve the application with gunicorn: ``workers`` processes of ``threads`` threads, each process building its
    own application (and so its own connection pool). ``forked_engines`` belong to the master process: a worker
    forgets their connections without closing them."""
    from gunicorn.app.base import BaseApplication

    from gtas.web import create_app

    def forget(_server: object, _worker: object) -> None:
        for engine in forked_engines:
            engine.dispose(close=False)

    settings: dict[str, Any] = {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
        "keepalive": 5,  # behind a reverse proxy that keeps its connections open
        "timeout": 120, "graceful_timeout": 30, "accesslog": None,
        "control_socket_disable": True,  # newer gunicorn: no control socket in the user's home folder
        "post_fork": forget,
    }

    class Production(BaseApplication):
        """gunicorn with these settings, serving GTAS."""

        def load_config(self) -> None:
            for name, value in settings.items():
                if name in self.cfg.settings:
                    self.cfg.set(name, value)

        def load(self) -> Any:
            return create_app()

    Production().run()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(0, 64), default=0, show_default=True,
              help="Web processes under gunicorn, the production server (2 to 4 per core); 0: Flask's server.")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Threads per gunicorn worker (requests each process serves at once).")
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    """Run the web application and the message intake: on Flask's server, or with ``--workers`` on gunicorn.

    Without GTAS_AMQP_URL this process also polls the drop folder and loads overdue multi-part lists.

    Example: gtas serve --port 8080 --workers 2 --threads 4
    """
    from gtas import db
    from gtas.jobs import scheduler_from_settings
    from gtas.web import create_app

    url = config.database_url()
    db.make_sqlite_folder(db.normalise_url(url))
    prepare_database(url)
    password = first_administrator(url)
    scheduler, engines, master = None, [], os.getpid()
    if not config.amqp_url():
        engines.append(engine := db.make_engine(url, sqlite_immediate=True))  # the jobs write beside the requests
        scheduler = scheduler_from_settings(db.make_sessionmaker(engine))
        scheduler.start()
    click.echo(f"GTAS is at http://{host}:{port}/" + (f" (gunicorn: {workers} workers of {threads} threads)"
                                                      if workers else ""))
    if password:
        click.echo(f"sign in as admin with the password {password} (shown this once; `gtas user reset-password admin`"
                   " makes a new one)")
    try:
        if workers:
            run_gunicorn(host, port, workers, threads, engines)
        else:
            create_app().run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        if scheduler is not None and os.getpid() == master:  # not in a gunicorn worker leaving
            scheduler.shutdown()
