"""sorted_in_slices gives exactly what sorted gives (order and stability), slice by slice."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fieldtui.store.slices import sorted_in_slices

PAIRS = st.lists(st.tuples(st.text(alphabet="ab|2026-", max_size=6), st.integers(0, 50)))


@given(items=PAIRS, size=st.integers(1, 9))
def test_the_same_as_sorted(items: list[tuple[str, int]], size: int) -> None:
    assert sorted_in_slices(items, size=size) == sorted(items)


@given(items=PAIRS, size=st.integers(1, 9))
def test_the_same_as_sorted_by_a_key_and_as_stable(items: list[tuple[str, int]], size: int) -> None:
    # Sorting by the text alone keeps equal texts in their first order, as `sorted` does.
    by_text = sorted_in_slices(items, key=lambda item: item[0], size=size)
    assert by_text == sorted(items, key=lambda item: item[0])


def test_big_lists_are_merged_from_slices() -> None:
    items = [(f"2026-{n % 997:04d}", n) for n in range(30_000)]
    assert sorted_in_slices(reversed(items)) == sorted(items)
    assert sorted_in_slices(range(30_000), key=lambda n: -n) == list(range(29_999, -1, -1))
