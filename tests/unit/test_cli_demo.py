"""`fieldtui demo`: where the store goes, what it prints, refusing real data.

The full build is tested in tests/store/test_demo.py; here a small stand-in keeps the CLI quick.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtui.cli import default_data_dir, main
from fieldtui.domain.models import Officer, Period, Role
from fieldtui.exchange import demo
from fieldtui.exchange.demo import BRANCH_CODE, BRANCH_TARGET, DEMO_USERS, DemoSummary
from fieldtui.store.repository import Store


def _quick_build(store: Store, *, seed: int = 2017) -> DemoSummary:
    with store.batch():
        if store.is_demo:
            return demo.demo_summary(store)
        # The supervisor first: they create themself, add the officers and set the target.
        for user in sorted(DEMO_USERS, key=lambda u: u.role is not Role.SUPERVISOR):
            store.create_officer(Officer(username=user.username, name=user.name, role=user.role))
        store.set_target(BRANCH_CODE, Period.year(2017), BRANCH_TARGET)
        store.mark_demo(seed=seed)
    store.use_actor(DEMO_USERS[0].username)
    return demo.demo_summary(store, created=True, seconds=0.25)


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "build_demo", _quick_build)


def test_creates_the_default_demo_store(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = tmp_path / "real.fieldtui.json"
    monkeypatch.setenv("FIELDTUI_DB", str(real))  # the demo never goes to the real store
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    path = default_data_dir() / "demo.fieldtui.json"
    assert path.exists() and not real.exists()
    assert "Penyimpanan demo dibuat" in out and str(path) in out
    assert "22.964" in out and "fieldtui --demo" in out
    for user in DEMO_USERS:
        assert user.username in out and user.pin in out and user.name in out
    assert "Pengawas" in out and "Petugas" in out


def test_second_run_keeps_it(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert main(["demo", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "demo"]) == 0  # the global --db works as well
    out = capsys.readouterr().out
    assert "sudah ada" in out and "--force" in out
    assert f"fieldtui --demo --db {db_path}" in out
    with Store.open(db_path, read_only=True) as store:
        assert len(store.officers()) == len(DEMO_USERS)


def test_force_rebuilds(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert main(["demo", "--db", str(db_path)]) == 0
    assert main(["demo", "--db", str(db_path), "--force"]) == 0
    out = capsys.readouterr().out
    assert out.count("Penyimpanan demo dibuat") == 2 and "sudah ada" not in out


def test_refuses_real_data(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    assert main(["demo", "--db", str(db_path), "--force"]) == 1
    captured = capsys.readouterr()
    assert "data sungguhan" in captured.err and "Traceback" not in captured.err
    with Store.open(db_path, read_only=True) as store:
        assert not store.is_demo and len(store.officers()) == 1


def test_in_english(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert main(["--lang", "en", "demo", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Demo store created" in out and "22,964" in out and "Supervisor" in out


def test_help_lists_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "demo" in capsys.readouterr().out
