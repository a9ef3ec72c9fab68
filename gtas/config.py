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
