"""Settings: each declared once with its default and one line of help; environment variables override."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gtas.numbers import whole_number


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting("GTAS_HOME", "instance", "instance folder: embedded database, keys, drop folders"),
    Setting("GTAS_CARD_KEY", "", "secret key of the keyed hash that replaces payment card numbers "
                                 "(default: generated once into GTAS_HOME/card.key)"),
    Setting("GTAS_DATABASE_URL", "sqlite:///<GTAS_HOME>/gtas.db",
            "SQLAlchemy database URL: the embedded SQLite file, or postgresql://user@host/db in production"),
    Setting("GTAS_HOME_COUNTRY", "USA", "ISO alpha-3 code of the country this system guards (flight direction)"),
    Setting("GTAS_PART_TIMEOUT_SECONDS", "600", "seconds to wait for the missing parts of a multi-part list "
                                                "before loading what came, with a warning"),
    Setting("GTAS_STUCK_MESSAGE_SECONDS", "300", "seconds a stored message may stay received (its processing "
                                                 "died, or its hand-off to the queue failed) before the sweep "
                                                 "picks it up"),
    Setting("GTAS_MAX_MESSAGE_BYTES", str(16 * 1024 * 1024),
            "largest message accepted over HTTP or from the queue, in bytes"),
    Setting("GTAS_RATE_LIMIT_PER_MINUTE", "600", "requests one API token may make per minute"),
    Setting("GTAS_INBOX", "<GTAS_HOME>/inbox", "drop folder polled for message files (processed/ and failed/ "
                                               "are made beside the files)"),
    Setting("GTAS_POLL_SECONDS", "5", "seconds between two polls of the drop folder"),
    Setting("GTAS_RISK_BANDS", "high=50,medium=20,low=1", "risk score thresholds of the bands (a score at or above "
                                                          "a threshold is in that band; a watchlist hit is high)"),
    Setting("GTAS_RESCREEN_HOURS", "24", "after a rule or watchlist change, travellers of flights that arrived up to "
                                         "this many hours ago are re-screened too (besides those still to arrive)"),
    Setting("GTAS_AMQP_URL", "", "RabbitMQ URL (amqp://user:password@host/vhost) of the message queue that "
                                 "`gtas worker` consumes; empty: no queue, messages are processed in-process"),
    Setting("GTAS_AMQP_QUEUE", "gtas.messages", "durable queue airlines publish messages to (poison messages go "
                                                "to the same name + .dead)"),
    Setting("GTAS_WORKERS", "1", "worker processes `gtas worker` runs"),
    Setting("GTAS_WORKER_THREADS", "2", "queue consumers in each worker process: one parses and prepares rows "
                                        "while another waits for the database"),
    Setting("GTAS_CONFIG", "", "settings file (TOML, keys are setting names) read between the environment "
                               "and the defaults"),
    Setting("GTAS_SECRET_KEY", "", "key that signs the UI's session cookies and forms "
                                   "(default: generated once into GTAS_HOME/secret.key)"),
    Setting("GTAS_SIGN_IN_ATTEMPTS", "5", "failed sign-ins in a row that lock a user's account"),
    Setting("GTAS_LOCKOUT_MINUTES", "15", "minutes an account stays locked after too many failed sign-ins"),
    Setting("GTAS_SESSION_IDLE_MINUTES", "30", "minutes without a request after which a UI user is signed out"),
    Setting("GTAS_SESSION_MAX_HOURS", "12", "hours after signing in at which a UI user is signed out regardless"),
    Setting("GTAS_PASSWORD_MIN_LENGTH", "12", "fewest characters a user's password may have"),
    Setting("GTAS_SECURE_COOKIES", "auto", "send the session cookie only over HTTPS: true, false, or auto "
                                           "(when the request came over HTTPS)"),
)


def setting(name: str) -> str:
    """The value of a declared setting: the environment, else the GTAS_CONFIG file, else its default."""
    for declared in SETTINGS:
        if declared.name == name:
            if name in os.environ:
                return os.environ[name]
            if name != "GTAS_CONFIG" and name in (from_file := _config_file()):
                return str(from_file[name])
            return declared.default
    raise KeyError(f"undeclared setting {name}")


def _config_file() -> dict[str, object]:
    """The settings in the GTAS_CONFIG file (empty when none is set); unknown names are refused."""
    path = setting("GTAS_CONFIG")
    if not path:
        return {}
    try:
        with open(path, "rb") as handle:
            values = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read GTAS_CONFIG file {path}: {exc}") from exc
    unknown = sorted(set(values) - {declared.name for declared in SETTINGS})
    if unknown:
        raise ValueError(f"GTAS_CONFIG file {path} names unknown settings: {', '.join(unknown)}")
    return values


def home() -> Path:
    return Path(setting("GTAS_HOME")).resolve()


def database_url() -> str:
    """GTAS_DATABASE_URL with ``<GTAS_HOME>`` replaced by the instance folder."""
    return setting("GTAS_DATABASE_URL").replace("<GTAS_HOME>", home().as_posix())


def home_country() -> str:
    """The country this system guards, ISO alpha-3 upper case."""
    return setting("GTAS_HOME_COUNTRY").strip().upper()


def part_timeout_seconds() -> float:
    """How long an incomplete multi-part series waits for its missing parts before it is loaded as it is."""
    value = setting("GTAS_PART_TIMEOUT_SECONDS")
    try:
        return float(value)
    except ValueError as exc:
        raise ValueError(f"GTAS_PART_TIMEOUT_SECONDS must be a number of seconds, not {value!r}") from exc


def _positive_number(name: str) -> float:
    """A setting that must be a positive number."""
    value = setting(name)
    try:
        number = float(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, not {value!r}") from exc
    if number <= 0:
        raise ValueError(f"{name} must be positive, not {value!r}")
    return number


def stuck_message_seconds() -> float:
    """How long a stored message may stay received before the sweep processes it (or hands it to the queue) again."""
    return _positive_number("GTAS_STUCK_MESSAGE_SECONDS")


def max_message_bytes() -> int:
    """The largest message body accepted over HTTP or from the queue."""
    return int(_positive_number("GTAS_MAX_MESSAGE_BYTES"))


def rate_limit_per_minute() -> int:
    """How many requests one API token may make per minute."""
    return int(_positive_number("GTAS_RATE_LIMIT_PER_MINUTE"))


def inbox() -> Path:
    """The drop folder, with ``<GTAS_HOME>`` replaced by the instance folder."""
    return Path(setting("GTAS_INBOX").replace("<GTAS_HOME>", home().as_posix())).resolve()


def poll_seconds() -> float:
    """Seconds between two polls of the drop folder."""
    return _positive_number("GTAS_POLL_SECONDS")


def amqp_url() -> str:
    """The message-queue URL, or "" when there is no queue (embedded default)."""
    return setting("GTAS_AMQP_URL").strip()


def amqp_queue() -> str:
    """The queue messages are consumed from."""
    name = setting("GTAS_AMQP_QUEUE").strip()
    if not name:
        raise ValueError("GTAS_AMQP_QUEUE must name a queue")
    return name


def workers() -> int:
    """How many worker processes `gtas worker` runs."""
    return _count("GTAS_WORKERS")


def worker_threads() -> int:
    """How many queue consumers each worker process runs."""
    return _count("GTAS_WORKER_THREADS")


def _count(name: str) -> int:
    value = setting(name)
    number = whole_number(value.strip())
    if number is None or number < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value[:20]!r}")
    return number


def card_key() -> bytes:
    """The card-hash key: GTAS_CARD_KEY, else a random key created once in the instance folder."""
    return _instance_secret("GTAS_CARD_KEY", "card.key")


def secret_key() -> bytes:
    """The key that signs session cookies: GTAS_SECRET_KEY, else a random key created once in the instance folder."""
    return _instance_secret("GTAS_SECRET_KEY", "secret.key")


def _instance_secret(name: str, filename: str) -> bytes:
    """The setting's value, else the random key kept in ``filename`` of the instance folder (made on first use)."""
    configured = setting(name)
    if configured:
        return configured.encode()
    path = home() / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def sign_in_attempts() -> int:
    """How many failed sign-ins in a row lock an account."""
    return int(_positive_number("GTAS_SIGN_IN_ATTEMPTS"))


def lockout_minutes() -> float:
    """How long a locked account stays locked."""
    return _positive_number("GTAS_LOCKOUT_MINUTES")


def session_idle_minutes() -> float:
    """Idle time after which a UI session ends."""
    return _positive_number("GTAS_SESSION_IDLE_MINUTES")


def session_max_hours() -> float:
    """Time after signing in at which a UI session ends, however active."""
    return _positive_number("GTAS_SESSION_MAX_HOURS")


def password_min_length() -> int:
    """The shortest password a user may choose."""
    return int(_positive_number("GTAS_PASSWORD_MIN_LENGTH"))


def secure_cookies() -> str:
    """When the session cookie is marked Secure: "true", "false" or "auto" (requests that came over HTTPS)."""
    value = setting("GTAS_SECURE_COOKIES").strip().lower()
    if value not in ("true", "false", "auto"):
        raise ValueError(f"GTAS_SECURE_COOKIES must be true, false or auto, not {value!r}")
    return value


def rescreen_hours() -> float:
    """Hours back from now whose arrived flights a re-screening still covers."""
    return _positive_number("GTAS_RESCREEN_HOURS")
