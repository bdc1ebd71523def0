"""`fieldtui iuran`: breakdown in both languages, JSON for scripts, forgiving income, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtui.cli import main
from fieldtui.cli.iuran import parse_income
from fieldtui.domain import clock


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI; return the exit code, stdout and stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("1500000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("Rp 1.500.000", 1_500_000),
        ("rp1.500.000,00", 1_500_000),
        ("1,500,000.00", 1_500_000),
        ("1.5jt", 1_500_000),
        ("1,5 juta", 1_500_000),
        ("2 JT", 2_000_000),
        ("750rb", 750_000),
        ("750 ribu", 750_000),
        ("0", 0),
        ("1.500", 1_500),
    ],
)
def test_parse_income(text: str, rupiah: int) -> None:
    assert parse_income(text) == rupiah


@pytest.mark.parametrize("text", ["", "abc", "1e6", "1.5", "1,50", "1.500,000", "1.5.jt", "1..0"])
def test_parse_income_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_income(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_income_round_trips_grouped_forms(n: int) -> None:
    assert parse_income(f"{n:,}") == n
    assert parse_income(f"{n:,}".replace(",", ".")) == n
    assert parse_income(str(n)) == n


def test_breakdown_in_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "iuran", "--income", "1.000.000", "--date", "2026-11-24")
    assert code == 0
    assert "Golongan 1" in out and "dasar iuran Rp1.000.000" in out
    assert "Iuran per bulan: Rp8.400" in out
    assert "Diskon 50% JKK+JKM s.d. 31 Des 2026 (PP 50/2025)" in out
    assert "Rp5.000" in out and "Rp3.400" in out


def test_breakdown_in_english_with_jht_and_months(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        *("--lang", "en", "iuran", "--income", "1,000,000", "--jht"),
        *("--sector", "transport", "--date", "2027-03-01", "--months", "3"),
    )
    assert code == 0
    assert "Per month: Rp28,400" in out
    assert "For 3 months: Rp85,200" in out
    assert "50% off JKK+JKM until 31 Mar 2027" in out
    assert "the discount ends on 31 Mar 2027" in out  # the 3 months run to May


def test_no_discount_outside_the_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "iuran", "--income", "1jt", "--date", "2027-01-15")
    assert code == 0
    assert "Iuran per bulan: Rp16.800" in out
    assert "Tidak ada diskon" in out


def test_occupation_sets_the_sector(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("iuran", "--income", "1000000", "--date", "2027-03-01", "--json")
    _, out, _ = run(capsys, *argv, "--occupation", "ojek_online")
    data = json.loads(out)
    assert (data["sector"], data["occupation"], data["monthly_rp"]) == (
        "transport",
        "ojek_online",
        8_400,
    )
    _, out, _ = run(capsys, *argv, "--occupation", "pedagang_pasar")
    assert json.loads(out)["monthly_rp"] == 16_800


def test_json_keys_are_stable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        *("iuran", "--income", "2.800.000", "--jht", "--date", "2026-11-24", "--months", "6"),
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "income_rp", "date", "sector", "occupation", "category", "government_funded", "jht",
        "jht_forced", "months", "band", "lines", "monthly_gross_rp", "monthly_discount_rp",
        "monthly_rp", "period_rp", "rules", "table",
    ]  # fmt: skip
    assert data["band"] == {
        "number": 10,
        "income_min_rp": 2_700_000,
        "income_max_rp": 3_199_999,
        "base_rp": 2_950_000,
    }
    assert [line["programme"] for line in data["lines"]] == ["jkk", "jkm", "jht"]
    assert data["lines"][0] == {
        "programme": "jkk",
        "rate_percent": 1,
        "flat_rp": None,
        "gross_rp": 29_500,
        "discount_rp": 14_750,
        "net_rp": 14_750,
        "rule": "pp50-2025-other",
    }
    assert data["monthly_rp"] == 14_750 + 3_400 + 59_000
    assert data["period_rp"] == data["monthly_rp"] * 6
    (rule,) = data["rules"]
    assert rule["end"] == "2026-12-31" and rule["ends_within_period"] is True
    assert data["table"]["edition"] == "PP 44/2015 Lampiran II"


def test_employer_forces_jht(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "iuran", "--income", "1000000", "--employer", "--date", "2025-11-24")
    assert "Iuran per bulan: Rp36.800" in out
    assert "JHT wajib" in out


def test_date_defaults_to_today_in_bali(capsys: pytest.CaptureFixture[str]) -> None:
    before = clock.today().isoformat()
    _, out, _ = run(capsys, "iuran", "--income", "1000000", "--json")
    assert json.loads(out)["date"] in {before, clock.today().isoformat()}  # midnight-proof


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--income", "-1000000"], "Penghasilan tidak boleh negatif"),
        (["--income=-1.000.000"], "Penghasilan tidak boleh negatif"),
        (["--income", "banyak"], "tidak bisa dibaca"),
        (["--income", "1000000", "--date", "2026-02-30"], "Tanggal '2026-02-30' tidak valid"),
        (["--income", "1000000", "--date", "24-11-2026x"], "tidak valid"),
        (["--income", "1000000", "--months", "2"], "pilih 1, 3, 6 atau 12 bulan"),
        (["--income", "1000000", "--months", "tiga"], "pilih 1, 3, 6 atau 12 bulan"),
        (["--income", "1000000", "--sector", "fishing"], "Sektor 'fishing' tidak dikenal"),
        (["--income", "1000000", "--occupation", "ojol"], "Mungkin maksud Anda: ojek_online"),
        (["--income", "1000000", "--occupation", "zzzz"], "Kode pekerjaan 'zzzz' tidak dikenal."),
        (
            ["--income", "1000000", "--occupation", "nelayan", "--sector", "transport"],
            "bukan 'transport'",
        ),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "iuran", *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_bad_arguments_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--lang", "en", "iuran", "--income", "1000000", "--months", "2")
    assert code == 2
    assert "choose 1, 3, 6 or 12 months" in err


@pytest.mark.slow
def test_python_dash_m_iuran() -> None:
    before = clock.today().isoformat()
    done = subprocess.run(
        [sys.executable, "-m", "fieldtui", "iuran", "--income", "1,5jt", "--jht", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["band"]["number"] == 4 and data["date"] in {before, clock.today().isoformat()}
    assert data["monthly_gross_rp"] == 16_000 + 6_800 + 32_000
    bad = subprocess.run(
        [sys.executable, "-m", "fieldtui", "iuran", "--income", "1000000", "--months", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
