"""The ``gtas`` command line, driven as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gtas.cli import cli
from tests.conftest import ROOT

PAXLST = (
    "UNA:+.? '\nUNB+UNOA:4+LH+USCSAPIS+261124:0800+77'\n"
    "UNH+1+PAXLST:D:05B:UN:IATA+LH400/261124/1355+01:F'\nBGM+745'\nNAD+MS+++OPS CONTROL'\n"
    "TDT+20+LH0400'\nLOC+125+FRA'\nDTM+189:2611241010:201'\nLOC+87+JFK'\nDTM+232:2611241355:201'\n"
    "NAD+FL+++O?'BRIEN:SEAN'\nATT+2++M'\nDTM+329:850312'\nNAT+2+IRL'\nDOC+P+PA1234567'\nDTM+36:310101'\n"
    "LOC+91+IRL'\nCNT+42:1'\nUNT+17+1'\nUNZ+1+77'\n"
)


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("GTAS_HOME", str(tmp_path / "instance"))
    return CliRunner()


def test_parse_json_has_the_documented_shape(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "lh400.edi"
    path.write_text(PAXLST)
    result = runner.invoke(cli, ["parse", "--json", str(path)])
    assert result.exit_code == 0, result.output
    (file,) = json.loads(result.output)["files"]
    assert file["path"] == str(path) and file["errors"] == []
    (message,) = file["messages"]
    assert message["type"] == "PAXLST" and message["version"] == "D05B"
    assert message["part"] == {"key": "LH400/261124/1355", "sequence": 1, "final": True}
    (flight,) = message["flights"]
    assert (flight["carrier"], flight["number"], flight["origin"], flight["destination"]) == ("LH", "400", "FRA", "JFK")
    assert flight["departure"] == "2026-11-24T10:10:00"
    (traveller,) = message["travellers"]
    assert traveller["surname"] == "O'BRIEN" and traveller["given_names"] == "SEAN"
    assert traveller["date_of_birth"] == "1985-03-12" and traveller["role"] == "passenger"
    assert traveller["documents"][0]["number"] == "PA1234567"
    assert traveller["documents"][0]["expiry"] == "2031-01-01"


def test_parse_summary_and_warnings(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text("QN GBRRMOK\r\n.YOWAAXH KL/041643\r\n" + PAXLST.replace("UNT+17", "UNT+99"))
    result = runner.invoke(cli, ["parse", str(path)])
    assert result.exit_code == 0
    assert "PAXLST D05B" in result.output and "LH400 FRA→JFK" in result.output
    assert "UNT says 99" in result.output and "QN GBRRMOK" in result.output


def test_unreadable_file_exits_1_with_a_reason(runner: CliRunner, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.edi", tmp_path / "bad.edi"
    good.write_text(PAXLST)
    bad.write_bytes(b"\x00\x01 not a message at all")
    result = runner.invoke(cli, ["parse", "--json", str(good), str(bad), str(tmp_path / "missing.edi")])
    assert result.exit_code == 1
    files = json.loads(result.output)["files"]
    assert [len(f["messages"]) for f in files] == [1, 0, 0]
    assert "no EDIFACT segments" in files[1]["errors"][0]["message"]
    assert "cannot read file" in files[2]["errors"][0]["message"]


def test_folders_are_expanded(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.edi").write_text(PAXLST)
    (tmp_path / "b.edi").write_text(PAXLST.replace("O?'BRIEN", "MURPHY"))
    (tmp_path / "README.md").write_text("# what these files are")
    result = runner.invoke(cli, ["parse", "--json", str(tmp_path)])
    assert result.exit_code == 0
    surnames = [m["travellers"][0]["surname"] for f in json.loads(result.output)["files"] for m in f["messages"]]
    assert surnames == ["O'BRIEN", "MURPHY"]


def test_generate_then_parse(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "traffic"
    for kind in ("paxlst", "pnrgov"):
        result = runner.invoke(cli, ["generate", kind, "--flights", "3", "--seed", "5", "--out", str(out)])
        assert result.exit_code == 0, result.output
    files = sorted(out.iterdir())
    assert any("PAXLST" in f.name for f in files) and any("PNRGOV" in f.name for f in files)
    result = runner.invoke(cli, ["parse", "--json", str(out)])
    assert result.exit_code == 0
    parsed = json.loads(result.output)["files"]
    assert all(f["messages"] and not f["errors"] for f in parsed)


def test_installed_command_never_prints_a_traceback(tmp_path: Path) -> None:
    gtas = shutil.which("gtas", path=str(Path(sys.executable).parent))
    assert gtas is not None
    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(5000))
    env = {**os.environ, "GTAS_HOME": str(tmp_path / "instance")}
    result = subprocess.run([gtas, "parse", str(junk)], capture_output=True, text=True, env=env, timeout=60,
                            check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "error" in result.stdout


def test_shared_corpus_checker_passes(corpus: Path, tmp_path: Path) -> None:
    """The outside-in check of the corpus (../shared/tools/check_corpus.py) finds no shortfall."""
    tool = corpus.parent / "tools" / "check_corpus.py"
    if not tool.exists():
        pytest.skip("check_corpus.py not found beside the corpus")
    gtas = shutil.which("gtas", path=str(Path(sys.executable).parent))
    env = {**os.environ, "GTAS_HOME": str(tmp_path / "instance")}
    result = subprocess.run([sys.executable, str(tool), str(gtas)], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
