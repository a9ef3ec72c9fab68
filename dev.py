#!/usr/bin/env python3
"""Set up and run GTAS on a fresh machine with nothing but Python 3.11+.

    python3 dev.py start    install what is needed, then start GTAS on the embedded default
    python3 dev.py test     install what is needed, then run the whole test suite (lint, types, tests)

Both create ./.venv on first use and reinstall only when the project files or the parser sources change (the
parsers are compiled with mypyc where a C compiler is available; see setup.py). `test` also installs Debian's
chromium, which the browser tests drive headless through Playwright, when it is missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".gtas-installed"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's browser, driven by the browser tests (tests/e2e)


def run(*args: str | Path, check: bool = True) -> int:
    print("$", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check).returncode


def _build_inputs_digest() -> str:
    """What the installation depends on: the project files and the parser sources that setup.py compiles."""
    digest = hashlib.sha256()
    for path in [ROOT / "pyproject.toml", ROOT / "setup.py", *sorted((ROOT / "gtas" / "parsers").glob("*.py"))]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    """Create the virtual environment and install the project with its test tools when needed."""
    if sys.version_info < (3, 11):
        sys.exit(f"GTAS needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _build_inputs_digest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[test]")
    STAMP.write_text(wanted)


def ensure_chromium() -> None:
    """Install Debian's chromium for the browser tests when it is missing (Playwright's own browsers are not used)."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print(f"{CHROMIUM} is missing: the browser tests will be skipped (as root: apt-get install chromium)",
              flush=True)
        return
    print(f"{CHROMIUM} is missing: installing Debian's chromium for the browser tests", flush=True)
    os.environ["DEBIAN_FRONTEND"] = "noninteractive"
    if run("apt-get", "install", "-y", "chromium", check=False):
        run("apt-get", "update")  # the package lists were missing or out of date
        run("apt-get", "install", "-y", "chromium")


def start() -> int:
    """Embedded default: demo traffic for the next 72 hours loaded and assessed, then the web application."""
    if run(BIN / "gtas", "demo", check=False):
        return 1
    return run(BIN / "gtas", "serve", *sys.argv[2:], check=False)


def test() -> int:
    """Lint, type-check and run every test; pytest finding no test at all is a failure."""
    for step in ((BIN / "ruff", "check", "."), (BIN / "mypy",)):
        if run(*step, check=False):
            return 1
    code = run(PYTHON, "-m", "pytest", "-n", "auto", "-q", *sys.argv[2:], check=False)
    if code == 5:
        print("pytest collected no tests: failing on purpose", flush=True)
        return 1
    return code


def main() -> int:
    commands = {"start": start, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    ensure_environment()
    if sys.argv[1] == "test":
        ensure_chromium()
    return commands[sys.argv[1]]()


if __name__ == "__main__":
    sys.exit(main())
