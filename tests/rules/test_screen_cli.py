"""``gtas screen``: batch screening of a travellers CSV against a watchlist CSV, as JSON or a table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gtas.cli import cli

WATCHLIST = """reference,full_name,surname,given_names,aliases,date_of_birth,gender,nationality,document_type,\
document_number,document_country,category,severity,notes
WL-1,,HASSAN,Mohammed Ali,Abu Ali;Mohamed Hasan,1970-03-04,M,SYR,P,N0123456,SYR,terrorism,high,
WL-2,Владимир Путин,,,,1952-10-07,M,RUS,,,,other,low,
WL-3,,,,,,,,P,X1234567,FRA,immigration,medium,stolen passport
"""

TRAVELLERS = """id,full_name,surname,given_names,date_of_birth,gender,nationality,document_type,document_number,\
document_country
T1,,HASAN,MOHAMED,1970-04-03,M,SYR,P,NO123456,SYR
T2,Vladimir Putin,,,07/10/1952,M,RUS,,,
T3,Jane Doe,,,1980-01-01,F,GBR,P,X1234576,FRA
T4,John Smith,,,1980-01-01,M,GBR,P,123,GBR
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["screen", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "list.csv", WATCHLIST), write(tmp_path, "travellers.csv", TRAVELLERS)


def test_json_lists_every_match_with_its_explanation(files: tuple[Path, Path]) -> None:
    watchlist, travellers = files
    code, out, _ = run("--watchlist", watchlist, "--travellers", travellers, "--json")
    assert code == 0
    matches = json.loads(out)["matches"]
    assert [(m["traveller"], m["entry"]) for m in matches] == [("T1", "WL-1"), ("T2", "WL-2"), ("T3", "WL-3")]
    first = matches[0]
    assert first["score"] == 1.0
    assert first["explanation"]["date_of_birth"]["rule"] == "day_month_swapped"
    assert first["explanation"]["document"]["rule"] == "confusable"
    assert first["explanation"]["name"]["rule"] == "alias"
    assert matches[2]["explanation"]["decided_by"] == "document"
    assert matches[2]["explanation"]["document"]["rule"] == "transposition"


def test_threshold_and_table(files: tuple[Path, Path]) -> None:
    watchlist, travellers = files
    code, out, _ = run("--watchlist", watchlist, "--travellers", travellers, "--threshold", "0.85")
    assert code == 0
    assert out.splitlines()[0] == "screened 4 travellers against 3 entries: 2 matches at threshold 0.85"
    assert "T1" in out
    assert "WL-3" not in out
    assert "day_month_swapped" in out


def test_no_matches_is_not_an_error(tmp_path: Path) -> None:
    watchlist = write(tmp_path, "list.csv", WATCHLIST)
    travellers = write(tmp_path, "t.csv", "id,full_name\nT9,Nobody Inparticular\n")
    code, out, _ = run("--watchlist", watchlist, "--travellers", travellers, "--json")
    assert code == 0
    assert json.loads(out) == {"matches": []}


@pytest.mark.parametrize(("travellers", "message"), [
    ("name,date_of_birth\nJohn,1970\n", "column id: missing column"),
    ("id,reference,full_name\nT1,R1,John\n", "a travellers file identifies people by id"),
    ("id,full_name,date_of_birth\nT1,John Smith,31/31/1970\n", "row 2, column date_of_birth"),
    ("id,full_name,shoe_size\nT1,John Smith,44\n", "column shoe_size: unknown column"),
    ("id,full_name\nT1,John\nT1,Jane\n", "row 3, column id: duplicate id"),
])
def test_bad_travellers_file_is_refused_with_row_and_column(tmp_path: Path, travellers: str, message: str) -> None:
    code, out, err = run("--watchlist", write(tmp_path, "list.csv", WATCHLIST),
                         "--travellers", write(tmp_path, "t.csv", travellers))
    assert code == 2
    assert message in err
    assert out == ""


def test_bad_watchlist_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    travellers = write(tmp_path, "t.csv", TRAVELLERS)
    code, _, err = run("--watchlist", write(tmp_path, "l.csv", "full_name\nJohn\n"), "--travellers", travellers)
    assert code == 2
    assert "column reference: missing column" in err
    binary = tmp_path / "t.bin.csv"
    binary.write_bytes(b"id,full_name\n\xff\xfe\x00bad\n")
    code, _, err = run("--watchlist", write(tmp_path, "list.csv", WATCHLIST), "--travellers", binary)
    assert code == 2
    assert "not a readable UTF-8 CSV file" in err
    code, _, err = run("--watchlist", tmp_path / "missing.csv", "--travellers", travellers)
    assert code == 2
    assert "does not exist" in err
