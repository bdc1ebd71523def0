"""Synthetic demo people look like Bali's naming patterns and are of working age."""

from __future__ import annotations

import datetime as dt
import random

from fieldtui.domain.models import Sex
from fieldtui.exchange.people import person


def test_names_and_ages() -> None:
    rng = random.Random(7)
    on = dt.date(2017, 8, 1)
    people = [person(rng, on=on) for _ in range(500)]
    women = [p for p in people if p.sex is Sex.FEMALE]
    assert 150 < len(women) < 350
    assert sum(p.name.startswith("Ni ") for p in women) > len(women) // 2
    assert all(not p.name.startswith("Ni ") for p in people if p.sex is Sex.MALE)
    ages = [(on - p.birth_date).days / 365.25 for p in people]
    assert min(ages) >= 18 and max(ages) <= 60.1


def test_deterministic() -> None:
    on = dt.date(2017, 8, 1)
    assert person(random.Random(1), on=on) == person(random.Random(1), on=on)
