"""Synthetic people for the demo store: Balinese naming patterns, plausible ages, valid NIK shapes.

Names follow the usual patterns: "I" (men) or "Ni" (women), a birth-order name (Wayan, Putu, Gede,
Luh / Made, Kadek, Nengah / Nyoman, Komang / Ketut), then a personal name; a few carry a title
(Ida Bagus / Ida Ayu, Anak Agung, Gusti, Dewa / Desak); Denpasar also has many migrants with
Javanese or other Indonesian names. Nobody here is real.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from fieldtui.domain.models import Sex

BIRTH_ORDER_MALE = (("Wayan", "Putu", "Gede"), ("Made", "Kadek"), ("Nyoman", "Komang"), ("Ketut",))
BIRTH_ORDER_FEMALE = (("Wayan", "Putu", "Luh"), ("Made", "Kadek"), ("Nyoman", "Komang"), ("Ketut",))
PERSONAL_MALE = (
    "Suardana", "Sudarsana", "Artawan", "Widiana", "Sukadana", "Mertayasa", "Budiarta", "Suweca",
    "Adnyana", "Darmawan", "Sutama", "Arimbawa", "Wirawan", "Suparta", "Astawa", "Gunawan",
    "Sumerta", "Kariasa", "Sudiarsa", "Wardana", "Yasa", "Parwata", "Wiguna", "Juliarta",
)  # fmt: skip
PERSONAL_FEMALE = (
    "Sukerti", "Suartini", "Ariani", "Widiastuti", "Sriani", "Wahyuni", "Puspitasari", "Rusmini",
    "Sumiati", "Kartini", "Ayu Lestari", "Ratna Dewi", "Suciani", "Yuliantari", "Mariani",
    "Astiti", "Sudiani", "Candrawati", "Pradnyani", "Sariasih", "Juniantari", "Eka Suryani",
)  # fmt: skip
TITLED = (("Ida Bagus", "Ida Ayu"), ("Anak Agung", "Anak Agung Ayu"), ("Gusti", "Gusti Ayu"),
          ("Dewa", "Desak"))  # fmt: skip
MIGRANT_MALE = ("Ahmad Fauzi", "Slamet Riyadi", "Agus Santoso", "Muhammad Rizki", "Bambang Wijaya",
                "Yohanes Lede", "Hendra Gunawan")  # fmt: skip
MIGRANT_FEMALE = ("Siti Aminah", "Sri Wahyuningsih", "Dewi Lestari", "Nur Hidayah", "Maria Ina",
                  "Rina Marlina")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """A synthetic participant."""

    name: str
    sex: Sex
    birth_date: dt.date


def balinese_name(rng: random.Random, sex: Sex) -> str:
    """A name in one of the common Balinese patterns (or a migrant's name, ~8%)."""
    female = sex is Sex.FEMALE
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(MIGRANT_FEMALE if female else MIGRANT_MALE)
    personal = rng.choice(PERSONAL_FEMALE if female else PERSONAL_MALE)
    if roll < 0.16:
        title = rng.choice(TITLED)[1 if female else 0]
        return f"{title} {personal}"
    order = rng.choice(BIRTH_ORDER_FEMALE if female else BIRTH_ORDER_MALE)
    return f"{'Ni' if female else 'I'} {rng.choice(order)} {personal}"


def person(rng: random.Random, *, on: dt.date, min_age: int = 18, max_age: int = 60) -> Person:
    """A synthetic person of working age on ``on``."""
    sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
    age_days = rng.randint(min_age * 365 + 5, max_age * 365)
    return Person(balinese_name(rng, sex), sex, on - dt.timedelta(days=age_days))
