"""Settings: each declared once with its default and one line of help; environment variables override."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path


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
    Setting("GTAS_MAX_MESSAGE_BYTES", str(16 * 1024 * 1024), "largest message accepted over HTTP, in bytes"),
    Setting("GTAS_RATE_LIMIT_PER_MINUTE", "600", "requests one API token may make per minute"),
    Setting("GTAS_INBOX", "<GTAS_HOME>/inbox", "drop folder polled for message files (processed/ and failed/ "
                                               "are made beside the files)"),
    Setting("GTAS_POLL_SECONDS", "5", "seconds between two polls of the drop folder"),
    Setting("GTAS_CONFIG", "", "settings file (TOML, keys are setting names) read between the environment "
                               "and the defaults"),
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


def max_message_bytes() -> int:
    """The largest message body accepted over HTTP."""
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


def card_key() -> bytes:
    """The card-hash key: GTAS_CARD_KEY, else a random key created once in the instance folder."""
    configured = setting("GTAS_CARD_KEY")
    if configured:
        return configured.encode()
    path = home() / "card.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
