"""`fieldtui report` and the report rows: the dashboard's figures, the stable JSON form."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldtui.cli import main
from fieldtui.domain.models import Officer, Period, Role
from fieldtui.domain.progress_rows import Level
from fieldtui.exchange.columns import PROGRESS_COLUMNS
from fieldtui.exchange.demo import BRANCH_CODE, DemoSummary
from fieldtui.exchange.report import build_report, report_json
from fieldtui.store.repository import Store
from tests.builders import SESETAN, acting_as, make_signup, make_visit
from tests.conftest import copy_demo

ROW_KEYS = [
    "level",
    "region_code",
    "region",
    "parent_code",
    "target",
    "participants",
    "pct_of_target",
    "new_signups",
    "paid",
    "paid_pct",
    "nonaktif",
    "visits",
    "last_visit",
]
TOP_KEYS = [
    "schema",
    "version",
    "generated_at",
    "as_of",
    "by",
    "region_code",
    "period",
    "rows",
    "total",
]


@pytest.fixture(scope="module")
def demo_db(
    tmp_path_factory: pytest.TempPathFactory, demo_master: tuple[Path, DemoSummary]
) -> Path:
    """A copy of the demo store built once for the run (tests/conftest.py)."""
    return copy_demo(demo_master[0], tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Iterator[Store]:
    with Store.open(demo_db, read_only=True) as store:
        yield store


def test_branch_2017_is_7708_of_22964(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "report", "--by", "branch", "--period", "2017"]) == 0
    out = capsys.readouterr().out
    assert "Capaian per Kantor Cabang — tahun 2017, per 31 Des 2017" in out
    lines = [line for line in out.splitlines() if "7.708" in line]
    assert len(lines) == 2  # the branch and the total
    assert all("22.964" in line and "33,6%" in line for line in lines)
    assert max(len(line) for line in out.splitlines()) <= 80


def test_json_is_stable(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(demo_db), "report", "--by", "kabupaten", "--period", "2017"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == TOP_KEYS  # pinned: docs/report-json.md
    assert data["schema"] == "fieldtui-report" and data["version"] == 1
    assert data["by"] == "kabkota" and data["as_of"] == "2017-12-31"
    assert data["period"] == {"key": "2017", "start": "2017-01-01", "end": "2017-12-31"}
    assert all(list(row) == ROW_KEYS for row in [*data["rows"], data["total"]])
    total = data["total"]
    assert total["level"] == "total" and total["region_code"] == BRANCH_CODE
    assert (total["participants"], total["target"], total["pct_of_target"]) == (7708, 22964, 0.3357)
    assert sum(row["participants"] for row in data["rows"]) == 7708
    assert {row["parent_code"] for row in data["rows"]} == {BRANCH_CODE}
    denpasar = next(row for row in data["rows"] if row["region_code"] == "51.71")
    assert isinstance(denpasar["paid_pct"], float) and denpasar["last_visit"] == "2017-08-17"


@pytest.mark.parametrize("by", list(Level))
def test_rows_add_up_and_agree_with_the_dashboard(demo: Store, by: Level) -> None:
    period = Period.year(2017)
    report = build_report(demo, by, period=period)
    branch = demo.progress_of(BRANCH_CODE, period=period, as_of=dt.date(2017, 12, 31))
    assert report.total.participants == branch.participants == 7708
    assert report.total.target == branch.target == 22964
    assert report.total.nonaktif == branch.to_date_row.nonaktif
    for key in ("participants", "new_signups", "paid", "nonaktif", "visits"):
        assert sum(getattr(row, key) for row in report.rows) == getattr(report.total, key), key
    assert {row.level for row in report.rows} == {by.value}


def test_region_and_markdown(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(demo_db), "report", "--by", "desa", "--period", "2017"]
    assert main([*args, "--region", "51.71.04", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Capaian per Desa/Kelurahan — tahun 2017, per 31 Des 2017")
    assert "| Desa Ubung Kaja | 1.250 | 1.000 | 80,0% |" in out
    assert "| Desa Dangin Puri Kangin | 1.250 | 1.000 | 80,0% |" in out
    assert out.rstrip().splitlines()[-1].startswith("| **Jumlah** |")


def test_csv_and_english(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--lang", "en", "--db", str(demo_db), "report", "--period", "2017"]
    assert main([*args, "--by", "kecamatan", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == [c.header("en") for c in PROGRESS_COLUMNS]
    total = rows[-1]
    assert total["Level"] == "total" and total["Participants"] == "7708"
    assert total["% of target"] == "0.3357" and total["Period"] == "2017"
    assert main([*args, "--by", "branch"]) == 0
    out = capsys.readouterr().out
    assert "Progress by Branch office — year 2017, as of 31 Dec 2017" in out and "7,708" in out


def test_bad_arguments(demo_db: Path) -> None:
    for bad in (["--period", "20x7"], ["--by", "province"], ["--as-of", "yesterday"]):
        with pytest.raises(SystemExit) as exit_:
            main(["--db", str(demo_db), "report", *bad])
        assert exit_.value.code == 2


def test_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "none.json"), "report"]) == 1
    assert "none.json" in capsys.readouterr().err


def test_small_store_by_banjar() -> None:
    store = Store.memory()
    store.create_officer(Officer(username="kadek", name="Kadek", role=Role.SUPERVISOR))
    store.use_actor("kadek")
    store.create_officer(Officer(username="wayan", name="Wayan"))
    store.set_target(SESETAN, Period.month(2026, 11), 4)
    with acting_as(store, "wayan") as wayan:
        for serial in (1, 2, 3):
            store.create_signup(make_signup(wayan.id, serial=serial))
        store.create_visit(make_visit(wayan.id))
    report = build_report(store, Level.BANJAR, period=Period.month(2026, 11), region_code=SESETAN)
    (row,) = report.rows  # the sign-ups name no banjar: the "(tanpa banjar)" row
    assert row.participants == 3 and row.visits == 1 and row.parent_code == SESETAN
    assert report.total.target == 4 and report.total.pct_of_target == 0.75
    data = report_json(report)
    assert data["region_code"] == SESETAN and data["total"]["pct_of_target"] == 0.75
    assert data["period"]["key"] == "2026-11"


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("command", ["report", "export"])
def test_help(command: str, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every help text goes through argparse's %-formatting: a bare % would crash it."""
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", lang, command, "--help"])
    assert exit_.value.code == 0
    assert "--period" in capsys.readouterr().out


def test_names_with_rich_markup_are_printed_as_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A banjar named with square brackets is text, not Rich markup (it crashed the table)."""
    from fieldtui.domain.models import Banjar

    path = tmp_path / "store.json"
    with Store.open(path) as store:
        store.create_officer(Officer(username="kadek", name="Kadek", role=Role.SUPERVISOR))
        store.use_actor("kadek")
        store.create_officer(Officer(username="wayan", name="Wayan"))
        odd = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Anyar [/]"))
        red = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar [red]Kaja"))
        with acting_as(store, "wayan") as wayan:
            store.create_signup(make_signup(wayan.id, serial=1, banjar_id=odd.id))
            store.create_signup(make_signup(wayan.id, serial=2, banjar_id=red.id))
    args = ["--db", str(path), "report", "--by", "banjar", "--period", "2026-11"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Banjar Anyar [/]" in out and "Banjar [red]Kaja" in out


@pytest.mark.parametrize(
    ("by", "region"),
    [
        ("kabupaten", "51.71.01.1003"),
        ("desa", "51.71.01.1003"),
        ("branch", "51.71"),
        ("kabupaten", "51.71"),
        ("kecamatan", "51.71.01"),
        ("branch", BRANCH_CODE),
    ],
)
def test_a_level_at_or_above_the_region_is_refused(
    demo_db: Path, by: str, region: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", str(demo_db), "report", "--by", by, "--region", region]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--period", "2017"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--by" in err and region in err


def test_without_by_the_rows_are_one_level_under_the_region(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", str(demo_db), "report", "--region", "51.71.04", "--period", "2017"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by"] == "desa" and data["rows"]
