"""Contributions: the issue's examples, band boundaries, rules by date and sector, properties."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtui.domain.contributions import (
    PERIOD_MONTHS,
    ContributionError,
    Programme,
    RateTable,
    Sector,
    band_for,
    contribution_for,
    default_table,
)
from fieldtui.domain.models import BpuCategory
from fieldtui.i18n import set_language

D = dt.date


@pytest.mark.parametrize(
    ("on", "sector", "jht", "expected"),
    [
        (D(2025, 11, 24), "other", False, 16_800),
        (D(2025, 11, 24), "transport", False, 16_800),
        (D(2026, 11, 24), "other", False, 8_400),
        (D(2026, 11, 24), "transport", False, 8_400),
        (D(2027, 1, 15), "other", False, 16_800),
        (D(2027, 1, 15), "transport", False, 8_400),
        (D(2027, 3, 1), "transport", False, 8_400),
        (D(2025, 11, 24), "other", True, 36_800),
        (D(2026, 11, 24), "other", True, 28_400),
        (D(2026, 11, 24), "transport", True, 28_400),
        (D(2027, 1, 15), "other", True, 36_800),
        (D(2027, 3, 1), "transport", True, 28_400),
    ],
)
def test_issue_examples(on: dt.date, sector: Sector, jht: bool, expected: int) -> None:
    assert contribution_for(1_000_000, on=on, sector=sector, jht=jht).monthly_rp == expected


@pytest.mark.parametrize(
    ("on", "sector", "discounted"),
    [
        (D(2025, 12, 31), "transport", False),
        (D(2026, 1, 1), "transport", True),
        (D(2027, 3, 31), "transport", True),
        (D(2027, 4, 1), "transport", False),
        (D(2026, 3, 31), "other", False),
        (D(2026, 4, 1), "other", True),
        (D(2026, 12, 31), "other", True),
        (D(2027, 1, 1), "other", False),
    ],
)
def test_rule_dates_are_inclusive(on: dt.date, sector: Sector, discounted: bool) -> None:
    c = contribution_for(1_000_000, on=on, sector=sector)
    assert (c.monthly_rp == 8_400) is discounted
    assert bool(c.rules) is discounted


def test_lines_and_rule_of_a_discounted_month() -> None:
    c = contribution_for(1_000_000, on=D(2026, 11, 24), sector="other", jht=True)
    by = {line.programme: line for line in c.lines}
    assert (by[Programme.JKK].gross_rp, by[Programme.JKK].net_rp) == (10_000, 5_000)
    assert (by[Programme.JKM].gross_rp, by[Programme.JKM].discount_rp) == (6_800, 3_400)
    assert by[Programme.JHT].discount_rp == 0 and by[Programme.JHT].rule is None
    assert [r.id for r in c.rules] == ["pp50-2025-other"]
    assert c.rules[0].end == D(2026, 12, 31)
    assert "Diskon 50% JKK+JKM s.d. 31 Des 2026 (PP 50/2025)" in c.describe()


def test_government_funded_gets_no_discount() -> None:
    c = contribution_for(1_000_000, on=D(2026, 11, 24), government_funded=True)
    assert c.monthly_rp == 16_800 and c.rules == ()


def test_pemberi_kerja_forces_jht() -> None:
    c = contribution_for(
        1_000_000, on=D(2025, 11, 24), category=BpuCategory.PEMBERI_KERJA, jht=False
    )
    assert c.jht and c.jht_forced and c.monthly_rp == 36_800
    assert "JHT wajib bagi peserta BPU pemberi kerja." in c.describe()


def test_bands() -> None:
    table = default_table()
    assert len(table.bands) == 33
    assert band_for(0).number == 1
    assert band_for(1_050_000).number == 1  # between the published rows: still band 1
    assert band_for(1_099_999).number == 1
    assert band_for(1_100_000).number == 2
    assert band_for(2_950_000).base_rp == 2_950_000  # band 10 covers 2.7M..3.2M-1
    assert band_for(20_200_000).number == 33
    assert band_for(10**12).base_rp == 20_700_000
    assert table.bands[-1].income_max_rp is None
    assert table.edition == "PP 44/2015 Lampiran II" and table.effective == D(2015, 7, 1)


def test_top_band_amounts() -> None:
    c = contribution_for(25_000_000, on=D(2025, 11, 24), jht=True)
    assert c.base_rp == 20_700_000
    assert c.monthly_rp == 207_000 + 6_800 + 414_000


def _packaged_texts() -> tuple[str, str]:
    folder = resources.files("fieldtui").joinpath("data")
    return (
        folder.joinpath("bpu-rates.json").read_text(encoding="utf-8"),
        folder.joinpath("bpu-income-bands.csv").read_text(encoding="utf-8"),
    )


def test_each_line_rounds_half_up() -> None:
    rates, bands = _packaged_texts()
    doc = json.loads(rates)
    doc["programmes"][1]["amount_rp"] = 6_801  # JKM: half of it is Rp 3,400.50
    doc["programmes"][0]["percent"] = 1.00005  # JKK on Rp 1,000,000: Rp 10,000.50
    table = RateTable.from_texts(json.dumps(doc), bands)
    c = contribution_for(1_000_000, on=D(2026, 5, 1), sector="other", table=table)
    jkk, jkm = c.lines
    assert jkk.gross_rp == 10_001  # 10,000.5 -> up
    assert (jkk.net_rp, jkk.discount_rp) == (5_001, 5_000)  # 5,000.5 -> up
    assert (jkm.gross_rp, jkm.net_rp, jkm.discount_rp) == (6_801, 3_401, 3_400)
    assert c.monthly_rp == 8_402


def test_bad_inputs() -> None:
    with pytest.raises(ContributionError) as exc:
        contribution_for(-1, on=D(2026, 1, 1))
    assert exc.value.message() == "Penghasilan tidak boleh negatif."
    with pytest.raises(ContributionError) as exc:
        contribution_for(1_000_000, on=D(2026, 1, 1), months=2)
    set_language("en")
    assert exc.value.message().startswith("Paying for 2 months is not possible")
    with pytest.raises(ContributionError):
        contribution_for(1_000_000, on=D(2026, 1, 1), sector="fishing")  # type: ignore[arg-type]


def test_period_and_warning_when_rule_ends_inside_it() -> None:
    c = contribution_for(1_000_000, on=D(2026, 11, 24), sector="other", months=3)
    assert c.period_rp == 25_200
    assert c.period_end == D(2027, 1, 31)
    assert [r.id for r in c.rules_ending_in_period()] == ["pp50-2025-other"]
    assert contribution_for(1_000_000, on=D(2026, 11, 24), months=1).rules_ending_in_period() == ()


def test_a_table_undercutting_the_minimum_is_refused() -> None:
    rates, packaged = _packaged_texts()
    bands = "band,income_min_rp,base_rp\n1,0,500000\n2,1000000,1000000\n"
    with pytest.raises(ValueError):
        RateTable.from_texts(rates, bands)
    with pytest.raises(ValueError):
        RateTable.from_texts(rates, "band,income_min_rp,base_rp\n1,100,1000000\n")
    assert RateTable.from_texts(rates, packaged).minimum_rp == 16_800


def test_describe_in_english() -> None:
    set_language("en")
    text = contribution_for(1_000_000, on=D(2026, 11, 24), months=6).describe()
    assert text[0] == "Band 1: income Rp0 – Rp1,099,999, contribution base Rp1,000,000"
    assert "For 6 months: Rp50,400" in text
    assert "50% off JKK+JKM until 31 Dec 2026 (PP 50/2025)" in text


incomes = st.integers(min_value=0, max_value=30_000_000)
days = st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31))
sectors = st.sampled_from(["transport", "other"])


@given(a=incomes, b=incomes, on=days, sector=sectors, jht=st.booleans(), gov=st.booleans())
def test_monotone_in_income(
    a: int, b: int, on: dt.date, sector: Sector, jht: bool, gov: bool
) -> None:
    low, high = sorted((a, b))
    kw = {"on": on, "sector": sector, "jht": jht, "government_funded": gov}
    assert contribution_for(low, **kw).monthly_rp <= contribution_for(high, **kw).monthly_rp  # type: ignore[arg-type]


@given(index=st.integers(min_value=1, max_value=32), on=days, sector=sectors, jht=st.booleans())
def test_band_boundaries(index: int, on: dt.date, sector: Sector, jht: bool) -> None:
    band = default_table().bands[index]
    below = contribution_for(band.income_min_rp - 1, on=on, sector=sector, jht=jht)
    at = contribution_for(band.income_min_rp, on=on, sector=sector, jht=jht)
    assert below.band.number == band.number - 1 and at.band.number == band.number
    assert below.monthly_rp < at.monthly_rp


@given(
    income=incomes,
    on=days,
    sector=sectors,
    jht=st.booleans(),
    gov=st.booleans(),
    months=st.sampled_from(PERIOD_MONTHS),
    employer=st.booleans(),
)
def test_totals_add_up_and_discounts_only_lower(
    income: int, on: dt.date, sector: Sector, jht: bool, gov: bool, months: int, employer: bool
) -> None:
    category = BpuCategory.PEMBERI_KERJA if employer else BpuCategory.PEKERJA_MANDIRI
    c = contribution_for(
        income,
        on=on,
        sector=sector,
        jht=jht,
        government_funded=gov,
        months=months,
        category=category,
    )
    assert c.monthly_rp == sum(line.net_rp for line in c.lines)
    assert all(line.gross_rp == line.discount_rp + line.net_rp for line in c.lines)
    assert c.period_rp == c.monthly_rp * months
    full = contribution_for(income, on=D(2024, 1, 1), jht=jht, category=category)
    assert c.monthly_rp <= full.monthly_rp == c.monthly_gross_rp
    assert c.monthly_rp >= (36_800 if c.jht else 16_800) // 2
    assert all(line.rule is None or line.programme is not Programme.JHT for line in c.lines)
