"""Settings: each declared once with its default and one line of help; environment variables override."""

from __future__ import annotations

import os
import secrets
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
)


def setting(name: str) -> str:
    """The value of a declared setting: the environment, else its default."""
    for declared in SETTINGS:
        if declared.name == name:
            return os.environ.get(name, declared.default)
    raise KeyError(f"undeclared setting {name}")


def home() -> Path:
    return Path(setting("GTAS_HOME")).resolve()


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
