"""Conditions put on a commitment or lifted, and rights turned into obligations or back."""

from __future__ import annotations

import pytest

from plancmp.diff import substantive_changes, word_edits
from plancmp.model import ChangeKind
from tests.test_diff import summaries


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Ukraine will keep its army at 600,000.", "Ukraine will keep its army at 600,000 in peacetime.",
         ["condition added: in peacetime"]),
        ("Sanctions are lifted.", "Sanctions are lifted if the ceasefire holds.",
         ["condition added: if the ceasefire holds"]),
        ("Sanctions are lifted if the ceasefire holds.", "Sanctions are lifted unless the ceasefire fails.",
         ["condition changed: if the ceasefire holds → unless the ceasefire fails"]),
        ("Sanctions are lifted, provided that the ceasefire holds.", "Sanctions are lifted.",
         ["condition removed: provided that the ceasefire holds"]),
        ("The treaty applies.", "The treaty applies, subject to ratification.",
         ["condition added: subject to ratification"]),
        ("Troops withdraw.", "Troops withdraw after the elections.", ["condition added: after the elections"]),
        ("Санкції знімаються.", "Санкції знімаються, якщо перемир'я діє.",
         ["condition added: якщо перемир'я діє"]),
        ("Санкции снимаются.", "Санкции снимаются при условии отвода войск.",
         ["condition added: при условии отвода войск"]),
        ("Армія у мирний час — 800 000 осіб.", "Армія — 800 000 осіб.", ["condition removed: у мирний час"]),
        # Quoted as a negation is (edits.clause_end): a dot inside a number ends nothing, a line
        # break does.
        ("Sanctions are lifted.", "Sanctions are lifted if the ceasefire holds along the whole line for one full year.",
         ["condition added: if the ceasefire holds along the whole line for one full …"]),
        ("Sanctions are lifted while the zone stays 2.5 km wide.",
         "Sanctions are lifted if the zone stays 2.5 km wide\nb) and monitored",
         ["condition added: if the zone stays 2.5 km wide"]),
        # A condition restated in an aside is one condition, quoted whole.
        ("Troops withdraw.", "Troops withdraw if (and only if) the line holds.",
         ["condition added: if (and only if) the line holds"]),
        ("Troops withdraw.", "Troops withdraw if and only if the line holds.",
         ["condition added: if and only if the line holds"]),
        ("Troops withdraw.", "Troops withdraw if, and only if, the line holds.",
         ["condition added: if, and only if, the line holds"]),
        # A time limit's "after" is none, and the condition after it still counts.
        ("Elections are held within 100 days after signing.",
         "Elections are held within 100 days after signing if the ceasefire holds.",
         ["condition added: if the ceasefire holds"]),
        # Two conditions are two, each quoted up to the next.
        ("Troops withdraw.", "Troops withdraw if the line holds or if talks resume.",
         ["condition added: if the line holds", "condition added: if talks resume"]),
        ("Pay.", "Pay provided that reparations are paid and subject to approval by the Council.",
         ["condition added: provided that reparations are paid", "condition added: subject to approval by the Council"]),
        # Its words read whole, and an aside after them: one condition, quoted in its clause.
        ("Sanctions are lifted.", "Sanctions are lifted, provided, however, that monitors are deployed.",
         ["condition added: provided, however, that monitors are deployed"]),
        ("Санкції скасовуються.", "Санкції скасовуються за умови, що спостерігачі розгорнуті.",
         ["condition added: за умови, що спостерігачі розгорнуті"]),
        ("Санкции снимаются.", "Санкции снимаются при условии, что наблюдатели развернуты.",
         ["condition added: при условии, что наблюдатели развернуты"]),
        ("Sanctions are lifted.", "Sanctions are lifted unless, after consultations, the Council decides otherwise.",
         ["condition added: unless, after consultations, the Council decides otherwise"]),
        ("Troops withdraw.", "Troops withdraw if — and only if — the line holds.",
         ["condition added: if — and only if — the line holds"]),
        # A condition that opens a list is quoted with its first item.
        ("Sanctions are lifted.", "Sanctions are lifted if:\n  - the ceasefire holds; and\n  - prisoners are exchanged.",
         ["condition added: if: the ceasefire holds …"]),
        ("Sanctions are lifted.", "Sanctions are lifted unless:\n(a) the ceasefire fails.",
         ["condition added: unless: the ceasefire fails …"]),
        ("Sanctions are lifted.", "Sanctions are lifted if: (a) the ceasefire holds; and (b) monitors are deployed.",
         ["condition added: if: the ceasefire holds …"]),
        ("Sanctions are lifted.", "Sanctions are lifted if:\nA. the ceasefire holds;\nB. monitors are deployed.",
         ["condition added: if: the ceasefire holds …"]),
        # An empty first item: no words to quote from it.
        ("Sanctions are lifted.", "Sanctions are lifted if:\n(a) \n(b) the line holds.", ["condition added: if: …"]),
        # Its items points of their own: the point ends on the colon.
        ("Sanctions are lifted.", "Sanctions are lifted unless:", ["condition added: unless: …"]),
    ],
)
def test_a_condition_added_or_removed_is_reported(old: str, new: str, expected: list[str]) -> None:
    assert summaries(old, new) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # A time limit's "after" is the deadline's, reported as such, not a condition.
        ("Elections within 100 days after signing.", "Elections within 100 days after signing, nationwide."),
        # "at once" is no "once": now, not on a condition.
        ("Every sanction is restored.", "Every sanction is restored at once."),
        ("The dispute is settled.", "The dispute is settled once and for all."),
        # The same condition moved within the point is no new condition.
        ("If the ceasefire holds, sanctions are lifted.", "Sanctions are lifted if the ceasefire holds."),
    ],
)
def test_no_condition_where_none_was_put(old: str, new: str) -> None:
    assert [s for s in summaries(old, new) if s.startswith("condition")] == []


def test_a_right_that_becomes_an_obligation_and_back() -> None:
    old, new = "Ukraine has the right to EU membership.", "Ukraine shall become a member of the EU within a set period."
    (change,) = substantive_changes(old, new, word_edits(old, new), {})
    assert (change.kind, change.summary) == (ChangeKind.RIGHT, "right became an obligation: has the right to → shall")
    # Each side's wording is its clause, as an obligation's and a negation's are.
    assert (change.old, change.new) == (
        "Ukraine has the right to EU membership", "Ukraine shall become a member of the EU within a set period"
    )
    assert summaries("Ukraine shall join the EU.", "Ukraine has the right to join the EU.") == [
        "obligation became a right: shall → has the right to"
    ]
    assert summaries("Сторони зобов'язані провести вибори.", "Сторони мають право провести вибори.") == [
        "obligation became a right: зобов'язані → мають право"
    ]
    assert summaries("Ukraine joins the talks.", "Ukraine is entitled to join the talks.") == [
        "right added: is entitled to join the talks"
    ]
    # Leave to act ("may") is about as much as a right: no change of kind to report.
    assert summaries("Ukraine has the right to join the talks.", "Ukraine may join the talks.") == []
