"""Quantities compared by value, each shown with its unit: a change of how a number is written is none."""

from __future__ import annotations

import pytest

from tests.test_diff import summaries


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("A force of 5,000 troops.", "A force of 5000 troops."),
        ("A force of 5,000 troops.", "A force of 5 000 troops."),
        ("A cut of 10 percent.", "A cut of 10%."),
        ("A cut of 10 per cent.", "A cut of 10%."),
        ("A zone of 15 km.", "A zone of 15 kilometres."),
        ("A fund of $100bn.", "A fund of $100 billion."),
        ("A fund of $100bn.", "A fund of 100 billion dollars."),
        ("A fund of €2.5bn.", "A fund of €2,500 million."),
        ("Ratification within thirty days.", "Ratification within 30 days."),
        ("Ratification within a year.", "Ratification within one year."),
        ("A pause of thirty days.", "A pause of 30 days."),
        ("Зона 15 километров.", "Зона 15 км."),
        ("Армія 600 000 осіб.", "Армія 600,000 осіб."),
        ("Скорочення на 10 відсотків.", "Скорочення на 10%."),
    ],
)
def test_one_quantity_written_another_way_is_no_change(old: str, new: str) -> None:
    assert summaries(old, new) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Зона 15 километров.", "Зона 30 километров.", ["15 километров → 30 километров"]),
        ("Зона 15 кілометрів.", "Зона 30 кілометрів.", ["15 кілометрів → 30 кілометрів"]),
        ("Армия 600 000 военнослужащих.", "Армия 800 000 военнослужащих.",
         ["600 000 военнослужащих → 800 000 военнослужащих"]),
        ("A zone of 15 km.", "A zone of 30 kilometres.", ["15 km → 30 kilometres"]),
        ("A force of five brigades.", "A force of seven brigades.", ["five brigades → seven brigades"]),
        ("A fund of $100bn.", "A fund of €100bn.", ["$100bn → €100bn"]),
        ("A cut of 10 percent.", "A cut of 10 troops.", ["10 percent → 10 troops"]),
        ("Ratification within thirty days.", "Ratification within 60 days.",
         ["deadline extended: within thirty days → within 60 days (+30 days)"]),
    ],
)
def test_a_quantity_keeps_its_unit(old: str, new: str, expected: list[str]) -> None:
    assert summaries(old, new) == expected


def test_a_list_item_s_number_inside_a_point_is_no_quantity() -> None:
    from tests.test_diff import summaries

    # "1.1." and "2)" at the start of a line number the items of a list written inside a point.
    assert summaries("Sanctions are lifted.", "Sanctions are lifted if:\n1.1. the line holds;\n1.2. prisoners are exchanged.") == [
        "condition added: if: the line holds …"
    ]
    assert summaries("Phase 1.\n3. Withdraw.", "Phase 1.\n4. Withdraw.") == []
    # A quantity at the start of a line is still one.
    assert summaries("The army:\n600,000 troops at most.", "The army:\n800,000 troops at most.") == [
        "600,000 troops → 800,000 troops"
    ]
