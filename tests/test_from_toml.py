"""Positions and rules files: what they say, and the exact message for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancmp.errors import PositionsError
from plancmp.model import Party, Selector, Stance
from plancmp.parse.from_toml import load_positions, load_rules

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
[[party]]
code = "UA"
name = "Ukraine"
colour = "#0057b7"
authors = ["Ukrainian delegation"]

[[party]]
code = "RU"
name = "Russia"

[[position]]
party = "UA"
stance = "rejects"
draft = "drafts/28-point.txt"
quote = "withdraw its forces"
note = "No withdrawal."
date = 2025-11-22

[[position]]
party = "RU"
stance = "objects"
draft = "20-point"
point = "4"
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "positions.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_good_file(tmp_path: Path) -> None:
    pf = load_positions(write(tmp_path, GOOD))
    assert pf.parties == (
        Party("UA", "Ukraine", "#0057b7", ("Ukrainian delegation",)),
        Party("RU", "Russia", "#d55e00", ()),
    )
    first, second = pf.positions
    assert (first.party, first.stance, first.draft, first.selector, first.note, first.date, first.origin) == (
        "UA", Stance.REJECTS, "28-point", Selector(exact="withdraw its forces"), "No withdrawal.", "2025-11-22",
        f"{tmp_path}/positions.toml:11",
    )
    assert (second.stance, second.draft, second.selector) == (Stance.OBJECTS, "20-point", Selector(point="4"))


def test_the_bundled_positions_file_reads() -> None:
    pf = load_positions(str(ROOT / "drafts" / "positions.toml"))
    assert [p.code for p in pf.parties] == ["UA", "RU", "US", "EU"]
    assert len(pf.positions) == 9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('party = "RU"', 'party = "RUS"'),
         "positions.toml:20: unknown party 'RUS'; the parties are UA, RU (did you mean 'RU'?)"),
        (GOOD.replace('stance = "objects"', 'stance = "object"'),
         "positions.toml:21: unknown stance 'object'; stances are objects, rejects, reserves, proposes, accepts, supports (did you mean 'objects'?)"),
        # A word sharing a few letters is no spelling of a stance: no suggestion.
        (GOOD.replace('stance = "objects"', 'stance = "hates"'),
         "positions.toml:21: unknown stance 'hates'; stances are objects, rejects, reserves, proposes, accepts, supports"),
        (GOOD.replace('point = "4"\n', ""), "positions.toml:19: this position names no 'point' and no 'quote'; give one of them"),
        (GOOD.replace('draft = "20-point"\n', ""), "positions.toml:19: this position has no 'draft'"),
        (GOOD.replace('note = "No withdrawal."', 'notes = "No withdrawal."'),
         "positions.toml:16: unknown key 'notes' in a position; keys are party, stance, draft, point, quote, prefix, suffix, note, source, date (did you mean 'note'?)"),
        (GOOD.replace('colour = "#0057b7"', 'colour = "blue"'), "positions.toml:4: colour 'blue' is not a #rgb or #rrggbb colour"),
        (GOOD.replace("date = 2025-11-22", 'date = "22 Nov"'), "positions.toml:17: date '22 Nov' is not YYYY-MM-DD"),
        (GOOD.replace('code = "RU"', 'code = "UA"'), "positions.toml:7: party 'UA' is defined twice"),
        (GOOD.replace('name = "Russia"', 'name = "Russia'),
         "positions.toml:9: is not valid TOML: Illegal character '\\n'; see https://toml.io for the syntax"),
        (GOOD + "\n[[postion]]\n", "positions.toml:25: unknown table 'postion'; a positions file has [[party]], [[position]] and [settings] (did you mean 'position'?)"),
        ('title = "Talks"\n' + GOOD, "positions.toml:1: unknown key 'title'; a positions file has [[party]], [[position]] and [settings]"),
    ],
)
def test_mistakes_name_the_line_and_the_fix(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PositionsError) as info:
        load_positions(path)
    assert str(info.value) == f"{tmp_path}/{message}"


def test_a_misspelt_party_is_matched_to_the_one_it_starts_like(tmp_path: Path) -> None:
    # 'RUS' is as close to 'US' as to 'RU' by letters; a reader means Russia.
    text = GOOD.replace('[[position]]', '[[party]]\ncode = "US"\nname = "United States"\n\n[[position]]', 1)
    path = write(tmp_path, text.replace('party = "RU"', 'party = "RUS"'))
    with pytest.raises(PositionsError) as info:
        load_positions(path)
    assert str(info.value).endswith("unknown party 'RUS'; the parties are UA, RU, US (did you mean 'RU'?)")


def test_missing_positions_file(tmp_path: Path) -> None:
    with pytest.raises(PositionsError) as info:
        load_positions(str(tmp_path / "nope.toml"))
    assert str(info.value) == f"{tmp_path}/nope.toml: no such file; check the path"


def test_default_rules_and_user_rules(tmp_path: Path) -> None:
    topics = [r.topic for r in load_rules()]
    assert topics == [
        "military size", "territory", "NATO", "security guarantees", "sanctions", "frozen assets",
        "nuclear plant", "elections", "amnesty", "prisoners and humanitarian", "EU membership", "reconstruction",
    ]
    user = tmp_path / "rules.toml"
    user.write_text('[[topic]]\nname = "water"\nkeywords = ["Dnipro", "canal*"]\n', encoding="utf-8")
    assert [r.topic for r in load_rules(str(user))][-1] == "water"
    assert len(load_rules(str(user))) == 13
    user.write_text('mode = "replace"\n[[topic]]\nname = "water"\nkeywords = ["Dnipro"]\n', encoding="utf-8")
    assert [r.topic for r in load_rules(str(user))] == ["water"]
    user.write_text('mode = "merge"\n', encoding="utf-8")
    with pytest.raises(PositionsError) as info:
        load_rules(str(user))
    assert str(info.value) == f"{user}:1: mode 'merge' must be \"add\" or \"replace\""


def test_a_misspelt_topic_key_or_table_or_a_keyword_without_words_is_refused(tmp_path: Path) -> None:
    user = tmp_path / "rules.toml"
    user.write_text('[[topic]]\nname = "water"\nkewords = ["Dnipro"]\n', encoding="utf-8")
    with pytest.raises(PositionsError) as info:
        load_rules(str(user))
    assert str(info.value) == f"{user}:3: unknown key 'kewords' in a topic; keys are name, keywords (did you mean 'keywords'?)"
    user.write_text('[[topic]]\nname = "water"\nkeywords = ["Dnipro", "--"]\n', encoding="utf-8")
    with pytest.raises(PositionsError) as info:
        load_rules(str(user))
    assert str(info.value) == f"{user}:3: keywords must be a list of words or phrases"
    user.write_text('mode = "add"\n\n[[topics]]\nname = "water"\nkeywords = ["Dnipro"]\n', encoding="utf-8")
    with pytest.raises(PositionsError) as info:
        load_rules(str(user))
    assert str(info.value) == f"{user}:3: unknown table 'topics'; a rules file has mode and [[topic]] tables (did you mean 'topic'?)"


def test_a_point_written_as_a_number_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('point = "4"', "point = 1.10"))
    with pytest.raises(PositionsError) as info:
        load_positions(path)
    assert str(info.value) == f'{path}:23: point 1.10 is read as the number 1.1; write it in quotes: point = "1.10"'
