"""Build hook: compile the message parsers with mypyc when a C compiler is at hand.

Compiled, the parsers read messages about twice as fast (benchmarks/parse.py); without a compiler, or with
GTAS_PURE_PYTHON=1, they stay pure Python and behave the same. Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

from setuptools import setup

COMPILED = [
    "gtas/parsers/values.py",
    "gtas/parsers/records.py",
    "gtas/parsers/edifact.py",
    "gtas/parsers/paxlst.py",
    "gtas/parsers/pnrgov.py",
    "gtas/parsers/pnrgov_ssr.py",
]


def can_compile() -> str | None:
    """Why the parsers cannot be compiled here, or None when they can."""
    if os.environ.get("GTAS_PURE_PYTHON"):
        return "GTAS_PURE_PYTHON is set"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler})"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        return "no Python headers (Python.h)"
    return None


def extensions() -> list:  # type: ignore[type-arg]
    reason = can_compile()
    if reason is None:
        try:
            from mypyc.build import mypycify

            return mypycify(COMPILED, opt_level="3")
        except Exception as exc:  # any failure here just means pure Python
            reason = f"mypyc failed: {exc}"
    print(f"gtas: parsers stay pure Python ({reason})", file=sys.stderr)
    return []


setup(ext_modules=extensions())
