"""Scene 1 in a real terminal: the installed fieldtui, a new store, one trader registered."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux

pytestmark = pytest.mark.slow


def _keys(term: Tmux, *keys: str) -> None:
    # A person types a key at a time; a burst of keys in one write is not what the form is for.
    for key in keys:
        term.send(key)
        time.sleep(0.25)


def _type(term: Tmux, text: str) -> None:
    term.type(text)
    time.sleep(0.4)


def test_register_a_participant_in_a_real_terminal(
    tmp_path: Path, fieldtui_bin: Path, tmux_sessions: list[Tmux]
) -> None:
    store = tmp_path / "s.fieldtui.json"
    env = {
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
        "PATH": os.environ.get("PATH", ""),
    }
    term = Tmux([str(fieldtui_bin), "--db", str(store)], env=env)
    tmux_sessions.append(term)
    term.wait_for("siapa Anda?")
    _type(term, "Wayan Sudarma")
    _keys(term, "Enter")
    # The dashboard shows behind the dialog at once; the welcome says the dialog has gone and
    # the next key reaches the dashboard (a key typed before that goes to the dialog).
    term.wait_for("Selamat datang, Wayan Sudarma")
    _keys(term, "F4")
    term.wait_for("Tidak ada baris")
    _keys(term, "C-n")
    term.wait_for("Pendaftaran baru")
    _type(term, "5171014708900001")
    term.wait_for("perempuan, lahir 7 Agustus 1990")
    _keys(term, "Tab")
    _type(term, "Ni Made Ayu Lestari")
    term.wait_for("Ni Made Ayu Lestari")  # as a person looks before moving on
    _keys(term, "Tab", "Tab", "Tab")  # birth date and sex come from the NIK
    _type(term, "0812-3456-7890")
    term.wait_for("0812-3456-7890")
    _keys(term, "Tab")
    _type(term, "pedagang pasar")
    _keys(term, "Enter", "Tab", "Tab")  # the occupation, then past the category
    _type(term, "sesetan")
    _keys(term, "Enter", "Tab", "Tab", "Tab")  # the village, past banjar and JHT
    _type(term, "1500000")
    term.wait_for("1.500.000")
    # Months, paid now (method and receipt are off until it is ticked), agent, notes -> consent.
    for _ in range(5):
        _keys(term, "Tab")
    _keys(term, "space", "C-s")
    term.wait_for("Tersimpan")
    _keys(term, "Escape")
    screen = term.wait_for("Ni Made Ayu Lestari")
    assert "5171********0001" in screen and "5171014708900001" not in screen
    _keys(term, "C-q")
    term.wait_for("__EXIT=0")
    data = json.loads(store.read_text(encoding="utf-8"))  # the snapshot, after the app closed
    journal = store.with_name(store.name + ".journal").read_text(encoding="utf-8")
    assert "5171014708900001" in json.dumps(data) + journal
