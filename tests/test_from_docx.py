"""The DOCX reader: Word list numbering, tracked changes, comments, and hostile packages."""

from __future__ import annotations

import copy
import io
import random
import struct
import zipfile

import pytest

from plancmp.errors import FormatError, InputError, PlancmpError
from plancmp.model import Document
from plancmp.parse import from_docx
from plancmp.parse.from_docx import read_docx
from tests.conftest import assert_faithful
from tests.docx_build import CommentSpec, Item, build_docx, items_text, raw_docx, strict_docx

SOURCE = "draft.docx"


def read(items: list[Item], original: bool = False, **kwargs: object) -> Document:
    return read_docx(build_docx(items, **kwargs), SOURCE, original=original)  # type: ignore[arg-type]


def points(doc: Document) -> list[tuple[str, str, str]]:
    return [(p.id, p.label, p.text) for p in doc.walk()]


def outside(doc: Document) -> list[tuple[str, str, str | None]]:
    return [(o.kind.value, o.text, o.after) for o in doc.outside]


def error(data: bytes) -> PlancmpError:
    with pytest.raises(PlancmpError) as caught:
        read_docx(data, "x.docx")
    return caught.value


# -- Word automatic numbering ------------------------------------------------------------------


def test_multilevel_list_gives_nested_ids_and_generated_labels() -> None:
    doc = read(
        [
            ("title", "Framework for peace"),
            ("num", 0, "Ukraine's sovereignty is confirmed."),
            ("num", 1, "A non-aggression agreement is concluded."),
            ("num", 2, "Monitoring from space."),
            ("num", 2, "Monthly reports."),
            ("num", 1, "Ambiguities of the past are settled."),
            ("num", 0, "Security guarantees are given."),
        ]
    )
    assert points(doc) == [
        ("1", "1.", "Ukraine's sovereignty is confirmed."),
        ("1.a", "a)", "A non-aggression agreement is concluded."),
        ("1.a.i", "(i)", "Monitoring from space."),
        ("1.a.ii", "(ii)", "Monthly reports."),
        ("1.b", "b)", "Ambiguities of the past are settled."),
        ("2", "2.", "Security guarantees are given."),
    ]
    assert [p.line for p in doc.walk()] == [2, 3, 4, 5, 6, 7]
    assert all(p.auto_label for p in doc.walk())
    assert outside(doc) == [("heading", "Framework for peace", None)]
    assert doc.warnings == ()


def test_level_text_with_two_placeholders_gives_dotted_ids() -> None:
    outline = [("decimal", "%1."), ("decimal", "%1.%2.")]
    doc = read(
        [
            ("num", 0, "Sovereignty.", "outline"),
            ("num", 0, "Non-aggression.", "outline"),
            ("num", 0, "Guarantees.", "outline"),
            ("num", 1, "From the United States.", "outline"),
            ("num", 1, "From Europe.", "outline"),
            ("num", 0, "Army size.", "outline"),
        ],
        lists={"outline": outline},
    )
    assert points(doc) == [
        ("1", "1.", "Sovereignty."),
        ("2", "2.", "Non-aggression."),
        ("3", "3.", "Guarantees."),
        ("3.1", "3.1.", "From the United States."),
        ("3.2", "3.2.", "From Europe."),
        ("4", "4.", "Army size."),
    ]


def test_start_value_of_a_level() -> None:
    lists = {"main": [{"fmt": "decimal", "text": "%1.", "start": 5}, ("lowerLetter", "%2)")]}
    doc = read(
        [("num", 0, "Guarantees."), ("num", 1, "Article 5 style."), ("num", 0, "Army.")],
        lists=lists,
    )
    assert points(doc) == [
        ("5", "5.", "Guarantees."),
        ("5.a", "a)", "Article 5 style."),
        ("6", "6.", "Army."),
    ]
    assert doc.warnings == ()


def test_start_override_restarts_the_counter_that_nums_of_one_abstract_num_share() -> None:
    doc = read(
        [
            ("num", 0, "One."),
            ("num", 0, "Two."),
            ("num", 0, "Seven.", "again"),
            ("num", 0, "Eight.", "again"),
            ("num", 0, "Nine, back on the first w:num."),
        ],
        nums={"again": ("main", {0: 7})},
    )
    assert points(doc) == [
        ("1", "1.", "One."),
        ("2", "2.", "Two."),
        ("7", "7.", "Seven."),
        ("8", "8.", "Eight."),
        ("9", "9.", "Nine, back on the first w:num."),
    ]
    # Word generated these labels, so the outline builder does not call the jump out of order.
    assert doc.warnings == ()


def test_restart_at_one_after_a_heading_repeats_ids() -> None:
    doc = read(
        [
            ("heading", "Part one"),
            ("num", 0, "A."),
            ("num", 0, "B."),
            ("heading", "Part two"),
            ("num", 0, "C.", "second"),
            ("num", 0, "D.", "second"),
        ],
        nums={"second": ("main", {0: 1})},
    )
    assert points(doc) == [
        ("1", "1.", "A."),
        ("2", "2.", "B."),
        ("1#2", "1.", "C."),
        ("2#2", "2.", "D."),
    ]
    assert outside(doc) == [("heading", "Part one", None), ("heading", "Part two", "2")]
    assert doc.warnings == (
        "draft.docx:5: label 1. repeats an earlier one; read as point 1#2",
        "draft.docx:6: label 2. repeats an earlier one; read as point 2#2",
    )


def test_numbering_inherited_from_a_paragraph_style_and_its_base() -> None:
    styles = {"Point": {"num": "main"}, "Sub Point": {"based_on": "Point", "ilvl": 1}}
    doc = read(
        [
            ("styled", "Point", "Borders are respected."),
            ("styled", "Sub Point", "Along the line of contact."),
            ("styled", "Point", "Prisoners are exchanged."),
            # numId 0 on the paragraph switches its style's numbering off.
            ("numid", 0, 0, "An unnumbered note.", {"style": "Point"}),
        ],
        styles=styles,
    )
    assert points(doc) == [
        ("1", "1.", "Borders are respected."),
        ("1.a", "a)", "Along the line of contact."),
        ("2", "2.", "Prisoners are exchanged.\nAn unnumbered note."),
    ]


def test_upper_roman_and_upper_letter_levels() -> None:
    doc = read(
        [
            ("num", 0, "General.", "parts"),
            ("num", 1, "Scope.", "parts"),
            ("num", 1, "Terms.", "parts"),
            ("num", 0, "Security.", "parts"),
            ("num", 1, "Guarantees.", "parts"),
        ],
        lists={"parts": [("upperRoman", "%1."), ("upperLetter", "%2.")]},
    )
    assert points(doc) == [
        ("i", "I.", "General."),
        ("i.a", "A.", "Scope."),
        ("i.b", "B.", "Terms."),
        ("ii", "II.", "Security."),
        ("ii.a", "A.", "Guarantees."),
    ]


def test_level_restart_zero_keeps_counting_across_parents() -> None:
    lists = {"main": [("decimal", "%1."), {"fmt": "lowerLetter", "text": "%2)", "restart": 0}]}
    doc = read(
        [
            ("num", 0, "One."),
            ("num", 1, "A."),
            ("num", 1, "B."),
            ("num", 0, "Two."),
            ("num", 1, "C."),
        ],
        lists=lists,
    )
    assert points(doc) == [
        ("1", "1.", "One."),
        ("1.a", "a)", "A."),
        ("1.b", "b)", "B."),
        ("2", "2.", "Two."),
        ("2.c", "c)", "C."),
    ]


def test_legal_numbering_shows_every_level_in_decimal() -> None:
    lists = {
        "legal": [("upperRoman", "%1."), {"fmt": "lowerLetter", "text": "%1.%2.", "legal": True}]
    }
    doc = read(
        [
            ("num", 0, "Security.", "legal"),
            ("num", 1, "Guarantees.", "legal"),
            ("num", 0, "Economy.", "legal"),
            ("num", 1, "Funds.", "legal"),
        ],
        lists=lists,
    )
    # Ids follow the labels a reader sees: "1.1." names no open parent, so it stands at the top.
    assert points(doc) == [
        ("i", "I.", "Security."),
        ("1.1", "1.1.", "Guarantees."),
        ("ii", "II.", "Economy."),
        ("2.1", "2.1.", "Funds."),
    ]


def test_zero_padded_level_and_a_level_text_naming_a_deeper_level() -> None:
    doc = read(
        [
            ("num", 0, "First.", "odd"),
            ("num", 1, "Word shows no label here.", "odd"),
            ("num", 0, "Second.", "odd"),
        ],
        lists={"odd": [("decimalZero", "%1."), ("decimal", "%2.%3")]},
    )
    assert points(doc) == [
        ("1", "01.", "First.\nWord shows no label here."),
        ("2", "02.", "Second."),
    ]


_HEADING_STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
)
_HEADING_NUMBERING = (
    '<w:abstractNum w:abstractNumId="3">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/>'
    '<w:lvlText w:val="Article %1"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/>'
    '<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>'
)


def _p(text: str, style: str | None = None, num: tuple[int, int] | None = None) -> str:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    return f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def test_heading_styles_linked_to_list_levels_are_numbered_points() -> None:
    body = "".join(
        [
            _p("Security", "Heading1"),
            _p("Guarantees", "Heading2"),
            _p("They are binding."),
            _p("Monitoring", "Heading2"),
            _p("Economy", "Heading1"),
        ]
    )
    doc = read_docx(raw_docx(body, numbering=_HEADING_NUMBERING, styles=_HEADING_STYLES), SOURCE)
    assert points(doc) == [
        ("1", "Article 1", "Security"),
        ("1.1", "1.1", "Guarantees\nThey are binding."),
        ("1.2", "1.2", "Monitoring"),
        ("2", "Article 2", "Economy"),
    ]
    assert doc.outside == ()


def test_num_style_link_leads_to_the_levels_of_the_linked_list() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="1"><w:styleLink w:val="PlanList"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Article %1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>'
        "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="PlanList"/></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
    )
    styles = (
        '<w:style w:type="numbering" w:styleId="PlanList"><w:name w:val="Plan List"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    )
    body = (
        _p("Sovereignty.", num=(2, 0)) + _p("Borders.", num=(2, 1)) + _p("Guarantees.", num=(1, 0))
    )
    doc = read_docx(raw_docx(body, numbering=numbering, styles=styles), SOURCE)
    assert points(doc) == [
        ("1", "Article 1.", "Sovereignty."),
        ("1.a", "(a)", "Borders."),
        ("2", "Article 2.", "Guarantees."),
    ]


def test_missing_num_id_reads_as_unnumbered_text() -> None:
    doc = read([("num", 0, "First point."), ("numid", 99, 0, "Loose text.")])
    assert points(doc) == [("1", "1.", "First point.\nLoose text.")]
    assert doc.warnings == ()


def test_broken_numbering_definitions_read_as_unnumbered_text() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="Loop"/></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="42"/></w:num>'
        '<w:num w:numId="4"><w:abstractNumId w:val="x"/></w:num>'
    )
    styles = '<w:style w:type="numbering" w:styleId="Loop"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>'
    body = "".join(
        [
            _p("First.", num=(1, 0)),
            _p("Its abstractNum does not exist.", num=(3, 0)),
            _p("Its style link loops.", num=(2, 0)),
            _p("Its abstractNumId is not a number.", num=(4, 0)),
            _p("Level 12 is beyond Word's nine.", num=(1, 12)),
        ]
    )
    doc = read_docx(raw_docx(body, numbering=numbering, styles=styles), SOURCE)
    lines = [
        "First.",
        "Its abstractNum does not exist.",
        "Its style link loops.",
        "Its abstractNumId is not a number.",
        "Level 12 is beyond Word's nine.",
    ]
    assert points(doc) == [("1", "1.", "\n".join(lines))]


def test_numbering_part_missing_altogether() -> None:
    doc = read_docx(
        raw_docx(_p("1. Typed.") + _p("Numbered, but nothing defines it.", num=(1, 0))), SOURCE
    )
    assert points(doc) == [("1", "1.", "Typed.\nNumbered, but nothing defines it.")]


# -- text, labels typed by hand, headings, bullets, tables ---------------------------------------


def test_typed_labels() -> None:
    doc = read(
        [
            ("title", "Draft"),
            ("para", "1. Sovereignty is confirmed."),
            ("para", "(a) Borders are inviolable."),
            ("para", "(b) No force is used."),
            ("para", "2. Elections within 100 days."),
            ("para", "Article 3. Final provisions."),
        ]
    )
    assert points(doc) == [
        ("1", "1.", "Sovereignty is confirmed."),
        ("1.a", "(a)", "Borders are inviolable."),
        ("1.b", "(b)", "No force is used."),
        ("2", "2.", "Elections within 100 days."),
        ("3", "Article 3.", "Final provisions."),
    ]
    assert not any(p.auto_label for p in doc.walk())


def test_headings_stay_outside_points() -> None:
    doc = read(
        [
            ("title", "Peace plan"),
            ("para", "Preamble text."),
            ("heading", "Part I: Security"),
            ("num", 0, "Ceasefire."),
            ("num", 0, "Guarantees."),
            ("heading", "Part II: Economy", 2),
            ("num", 0, "Reconstruction fund."),
            ("para", "Closing remarks."),
        ]
    )
    assert points(doc) == [
        ("1", "1.", "Ceasefire."),
        ("2", "2.", "Guarantees."),
        ("3", "3.", "Reconstruction fund.\nClosing remarks."),
    ]
    assert outside(doc) == [
        ("heading", "Peace plan", None),
        ("paragraph", "Preamble text.", None),
        ("heading", "Part I: Security", None),
        ("heading", "Part II: Economy", "2"),
    ]
    assert doc.title == "Peace plan"


def test_bullets_belong_to_the_point_above() -> None:
    doc = read(
        [
            ("num", 0, "Guarantees come:"),
            ("bullet", "from the United States;"),
            ("styled", "List Bullet", "from Europe."),
            ("num", 0, "Army size."),
        ]
    )
    assert points(doc) == [
        ("1", "1.", "Guarantees come:\nfrom the United States;\nfrom Europe."),
        ("2", "2.", "Army size."),
    ]


def test_table_cells_are_read_in_document_order() -> None:
    doc = read(
        [
            ("para", "Annex"),
            (
                "table",
                [
                    [[("num", 0, "Ceasefire on signing.")], [("num", 0, "Prisoners exchanged.")]],
                    [
                        [("num", 1, "All for all."), ("table", [[[("num", 1, "Civilians too.")]]])],
                        "Note in a cell.",
                    ],
                ],
            ),
        ]
    )
    assert points(doc) == [
        ("1", "1.", "Ceasefire on signing."),
        ("2", "2.", "Prisoners exchanged."),
        ("2.a", "a)", "All for all."),
        ("2.b", "b)", "Civilians too.\nNote in a cell."),
    ]
    # Paragraph 6 is the empty one Word requires after a table that ends a cell.
    assert [p.line for p in doc.walk()] == [2, 3, 4, 5]
    assert outside(doc) == [("paragraph", "Annex", None)]


def test_runs_fields_links_and_symbols() -> None:
    xml = (
        '<w:p><w:r><w:t xml:space="preserve">1. Zone </w:t></w:r>'
        '<w:hyperlink w:anchor="x"><w:r><w:t>Kinburn</w:t></w:r></w:hyperlink>'
        "<w:r><w:tab/><w:t>Spit</w:t><w:br/><w:t>non</w:t><w:noBreakHyphen/><w:t>military</w:t></w:r>"
        '<w:sdt><w:sdtContent><w:r><w:t xml:space="preserve"> (agreed)</w:t></w:r></w:sdtContent></w:sdt>'
        '<w:r><w:footnoteReference w:id="1"/></w:r>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t xml:space="preserve"> p. 4</w:t></w:r></w:fldSimple>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF x </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> see 5</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r><w:smartTag><w:r><w:t>ok</w:t></w:r></w:smartTag></w:p>'
    )
    doc = read([("xml", xml), ("para", "Then {fld:PAGE|page 3} ends.")])
    assert points(doc) == [
        ("1", "1.", "Zone Kinburn Spit non-military (agreed) p. 4 see 5·ok\nThen page 3 ends.")
    ]


def test_empty_numbered_paragraph_is_a_point_and_empty_plain_ones_only_count() -> None:
    doc = read([("para", ""), ("num", 0, ""), ("para", "   "), ("num", 0, "Second.")])
    assert points(doc) == [("1", "1.", ""), ("2", "2.", "Second.")]
    assert [p.line for p in doc.walk()] == [2, 4]


# -- tracked changes -----------------------------------------------------------------------------

_TRACKED: list[Item] = [
    ("num", 0, "Ukraine's armed forces are capped at {-600,000-}{+800,000+} personnel."),
    ("num", 0, "{+A free-trade agreement with the US is accelerated.+}", {"mark": "ins"}),
    ("num", 0, "{-A full amnesty is granted.-}", {"mark": "del"}),
    ("num", 0, "Elections are held {-within 100 days-}{+as soon as possible+}."),
    ("num", 0, "The Dnipro is open to commerce.", {"was": None}),
    ("para", "Sanctions snap back.", {"was": ("main", 0)}),
]


def test_tracked_changes_accepted_by_default() -> None:
    doc = read(_TRACKED)
    assert points(doc) == [
        ("1", "1.", "Ukraine's armed forces are capped at 800,000 personnel."),
        ("2", "2.", "A free-trade agreement with the US is accelerated."),
        ("3", "3.", "Elections are held as soon as possible."),
        ("4", "4.", "The Dnipro is open to commerce.\nSanctions snap back."),
    ]
    assert [p.line for p in doc.walk()] == [1, 2, 4, 5]


def test_tracked_changes_rejected_when_reading_the_original() -> None:
    doc = read(_TRACKED, original=True)
    assert points(doc) == [
        ("1", "1.", "Ukraine's armed forces are capped at 600,000 personnel."),
        ("2", "2.", "A full amnesty is granted."),
        ("3", "3.", "Elections are held within 100 days.\nThe Dnipro is open to commerce."),
        ("4", "4.", "Sanctions snap back."),
    ]
    assert [p.line for p in doc.walk()] == [1, 3, 4, 6]


def test_moved_text_is_read_where_it_went_or_where_it_was() -> None:
    move_from = '<w:moveFrom w:id="1" w:author="A"><w:r><w:t xml:space="preserve"> with a buffer zone</w:t></w:r></w:moveFrom>'
    move_to = '<w:moveTo w:id="2" w:author="A"><w:r><w:t xml:space="preserve"> with a buffer zone</w:t></w:r></w:moveTo>'
    items: list[Item] = [
        (
            "xml",
            f"<w:p><w:r><w:t>1. Donetsk is demilitarised</w:t></w:r>{move_from}<w:r><w:t>.</w:t></w:r></w:p>",
        ),
        (
            "xml",
            f"<w:p><w:r><w:t>2. Forces withdraw</w:t></w:r>{move_to}<w:r><w:t>.</w:t></w:r></w:p>",
        ),
    ]
    assert [p.text for p in read(items).walk()] == [
        "Donetsk is demilitarised.",
        "Forces withdraw with a buffer zone.",
    ]
    assert [p.text for p in read(items, original=True).walk()] == [
        "Donetsk is demilitarised with a buffer zone.",
        "Forces withdraw.",
    ]


# -- comments ------------------------------------------------------------------------------------

_COMMENTED: list[Item] = [
    ("title", "[[c3]]Peace plan[[/c3]]"),
    ("num", 0, "The [[c1]]army of {-600,000-}{+800,000+}[[/c1]] personnel."),
    ("num", 1, "Reviewed [[c2]]every year."),
    ("num", 0, "Elections follow[[/c2]] the signing."),
]
_COMMENTS = {
    "c1": CommentSpec("Ukraine", "Too low.", "UA", "2025-11-23T10:00:00Z"),
    "c2": CommentSpec("Europe", "Tie these together.\nSee point 25.", "EU"),
    "c3": CommentSpec("Russia", "Title unacceptable."),
}


def _comment_rows(doc: Document) -> list[tuple[str, str, str, str | None, str, str, str | None]]:
    return [
        (c.id, c.author, c.initials, c.date, c.text, c.anchor, c.point_id) for c in doc.comments
    ]


def test_comments_with_anchors_across_runs_and_paragraphs() -> None:
    doc = read(_COMMENTED, comments=_COMMENTS)
    assert _comment_rows(doc) == [
        ("2", "Russia", "", "2025-11-21T09:00:00Z", "Title unacceptable.", "Peace plan", None),
        ("0", "Ukraine", "UA", "2025-11-23T10:00:00Z", "Too low.", "army of 800,000", "1"),
        (
            "1",
            "Europe",
            "EU",
            "2025-11-21T09:00:00Z",
            "Tie these together.\nSee point 25.",
            "every year.\nElections follow",
            "1.a",
        ),
    ]


def test_comment_anchors_follow_the_original_text_when_asked() -> None:
    doc = read(_COMMENTED, original=True, comments=_COMMENTS)
    assert [c.anchor for c in doc.comments] == [
        "Peace plan",
        "army of 600,000",
        "every year.\nElections follow",
    ]


def test_comment_inside_a_deleted_paragraph_points_where_its_text_went() -> None:
    items: list[Item] = [
        ("num", 0, "Sovereignty."),
        ("num", 0, "[[c1]]{-Amnesty for all.-}[[/c1]]", {"mark": "del"}),
        ("num", 0, "Elections."),
    ]
    doc = read(items, comments={"c1": CommentSpec("Ukraine", "Why was this dropped?")})
    assert [(c.anchor, c.point_id) for c in doc.comments] == [("", "2")]
    assert points(doc)[1] == ("2", "2.", "Elections.")


# -- hostile and broken input --------------------------------------------------------------------


def _zip(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buffer.getvalue()


_RESAVE = "open it in Word and save it again as .docx"
_DAMAGED = "is damaged or truncated (not a complete DOCX)"
_REFETCH = "get a fresh copy of the file, or open it in Word (which repairs what it can) and save it again as .docx"


def test_not_a_zip() -> None:
    exc = error(b"1. This is plain text with a .docx name.\n")
    assert isinstance(exc, FormatError)
    assert str(exc) == (
        "x.docx: is not a DOCX (not a zip archive); save the draft from Word as .docx, "
        "or give it the extension of what it is (.txt, .md)"
    )


def test_password_protected_or_legacy_doc() -> None:
    exc = error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert str(exc) == (
        "x.docx: is not a DOCX but an OLE file: a password-protected DOCX or a legacy .doc; "
        "remove the password, or save it from Word as .docx"
    )


def test_zip_without_a_main_document() -> None:
    exc = error(_zip({"notes.txt": b"hello"}))
    assert isinstance(exc, FormatError)
    assert (
        str(exc)
        == "x.docx: is not a Word document: it has no word/document.xml; save the draft from Word as .docx"
    )


def test_a_spreadsheet_renamed_docx() -> None:
    rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    exc = error(_zip({"_rels/.rels": rels, "xl/workbook.xml": workbook}))
    assert str(exc) == (
        "x.docx: is not a Word document (its main part is xl/workbook.xml); save the draft from Word as .docx"
    )


def test_billion_laughs_is_refused_before_parsing() -> None:
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
            for i in range(1, 10)
        )
        + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    exc = error(_zip({"word/document.xml": laughs}))
    assert isinstance(exc, FormatError)
    assert str(exc) == (
        "x.docx: word/document.xml declares XML entities; plancmp does not expand them "
        f"(Word never writes them), so {_RESAVE}"
    )


def test_entities_in_utf16_are_refused_too() -> None:
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY e "x">]><d>&e;</d>'
    exc = error(_zip({"word/document.xml": xml.encode("utf-16")}))
    assert "declares XML entities" in str(exc)


def test_zip_bomb_is_refused_by_its_declared_size() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("word/styles.xml", b"<w:styles/>")
        with zf.open("word/document.xml", "w") as handle:
            chunk = bytes(1 << 20)
            for _ in range(300):
                handle.write(chunk)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    exc = error(buffer.getvalue())
    assert isinstance(exc, InputError)
    assert str(exc) == (
        "x.docx: part word/document.xml unpacks to more than 200 MB, which looks like a zip bomb; "
        "plancmp reads parts of up to 200 MB (if the draft is genuine, remove large pictures or "
        "embedded files and save it again)"
    )


def test_unpacking_stops_at_the_cap_whatever_the_header_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = from_docx._Package(build_docx([("num", 0, "A point.")]), "x.docx")
    # Pretend the header understated the size: the cap is now below what the part really holds.
    monkeypatch.setattr(from_docx, "MAX_PART_BYTES", 100)
    with pytest.raises(
        InputError, match=r"^x\.docx: part word/document\.xml unpacks to more than 0 MB"
    ):
        package.read("word/document.xml")


def test_a_lying_size_header_reads_as_damaged() -> None:
    data = bytearray(raw_docx(_p("1. A point.")))
    central = data.find(b"PK\x01\x02", data.find(b"word/document.xml") - 100)
    while data[central + 46 : central + 46 + 17] != b"word/document.xml":
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 10)
    exc = error(bytes(data))
    assert str(exc) == f"x.docx: {_DAMAGED}: word/document.xml cannot be unpacked; {_REFETCH}"


def test_malformed_xml() -> None:
    exc = error(_zip({"word/document.xml": b"<w:document><w:body><w:p>"}))
    assert isinstance(exc, FormatError)
    assert (
        str(exc)
        == f"x.docx: {_DAMAGED}: word/document.xml is not well-formed XML (line 1); {_REFETCH}"
    )


def test_mangled_packages_raise_only_plancmp_errors() -> None:
    # Flipped bytes mostly trip the zip's CRC checks; the next test reaches the XML itself.
    rng = random.Random(20251123)
    good = build_docx(_TRACKED)
    for trial in range(150):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if trial % 7 == 0:
            del data[rng.randrange(len(data)) :]
        try:
            read_docx(bytes(data), "x.docx", original=bool(trial % 3))
        except PlancmpError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("x.docx: ")


_ODD_VALUES = (
    "",
    "-1",
    "99999999999999999999",
    "abc",
    "0",
    "9",
    "%9%1",
    "bullet",
    "none",
    "Heading1",
    "end",
    "F0B7",
)


def _mutate_xml(xml: bytes, rng: random.Random) -> bytes:
    """Well-formed but wrong: odd attribute values, elements dropped, copied, moved under others."""
    from lxml import etree

    root = etree.fromstring(xml)
    for _ in range(rng.randint(1, 6)):
        elements = list(root.iter())
        el, roll = rng.choice(elements), rng.random()
        if roll < 0.4 and el.attrib:
            el.set(rng.choice(list(el.attrib)), rng.choice(_ODD_VALUES))
        elif roll < 0.6 and el.getparent() is not None:
            el.getparent().remove(el)
        elif roll < 0.8:
            other = rng.choice(elements)
            if other is not el and el not in other.iterancestors():
                other.append(copy.deepcopy(el))
        elif el.getparent() is not None:
            el.addnext(copy.deepcopy(el))
    return etree.tostring(root)


def test_well_formed_nonsense_reads_or_raises_plancmp_errors() -> None:
    good = build_docx(
        [*_TRACKED, *_COMMENTED, ("table", [[[("num", 1, "In a cell.")], "Beside it."]])],
        comments=_COMMENTS,
        lists={
            "main": [
                ("decimal", "%1."),
                {"fmt": "lowerLetter", "text": "%1.%2)", "restart": 1, "legal": True},
            ]
        },
        nums={"again": ("main", {0: 3})},
    )
    from lxml import etree

    targets = ["word/document.xml", "word/numbering.xml", "word/styles.xml", "word/comments.xml"]
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        parts = {
            name: zf.read(name)
            for name in [*targets, "_rels/.rels", "word/_rels/document.xml.rels"]
        }
    # python-docx ships 350 kB of styles; keep the ones the draft uses so mutations land on them.
    styles = etree.fromstring(parts["word/styles.xml"])
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for style in styles.findall(w + "style"):
        if style.get(w + "styleId") not in (
            "Normal",
            "Title",
            "ListNumber",
            "ListBullet",
            "CommentText",
        ):
            styles.remove(style)
    parts["word/styles.xml"] = etree.tostring(styles)
    rng = random.Random(1128)
    for trial in range(200):
        mutated = dict(parts)
        for name in rng.sample(targets, rng.randint(1, 3)):
            mutated[name] = _mutate_xml(mutated[name], rng)
        try:
            read_docx(_zip(mutated, zipfile.ZIP_STORED), "x.docx", original=bool(trial % 2))
        except PlancmpError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("x.docx: ")


# -- faithfulness --------------------------------------------------------------------------------

_WORDS = (
    "army",
    "800,000",
    "ceasefire",
    "within",
    "100",
    "days",
    "Ukraine",
    "NATO",
    "guarantees",
    "$100bn",
    "50%",
    "Zaporizhzhia",
    "«гарантії»",
    "—",
    "(see",
    "point",
    "5)",
    "Art.",
    "i.e.",
    "signing;",
)
_TYPED = ("1. ", "2) ", "(b) ", "Article 4. ", "12 a) ", "(iii) ", "3.1. ", "")


def _sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(1, 9)):
        word = rng.choice(_WORDS)
        roll = rng.random()
        words.append(f"{{+{word}+}}" if roll < 0.1 else f"{{-{word}-}}" if roll < 0.2 else word)
    return " ".join(words)


def _random_items(rng: random.Random, depth: int = 0) -> list[Item]:
    items: list[Item] = []
    for _ in range(rng.randint(1, 12 if depth == 0 else 3)):
        roll = rng.random()
        text = _sentence(rng)
        opts = [{"mark": rng.choice(["ins", "del"])}] if rng.random() < 0.1 else []
        if roll < 0.35:
            items.append(("num", rng.randint(0, 2), text, *opts))
        elif roll < 0.65:
            items.append(("para", rng.choice(_TYPED) + text, *opts))
        elif roll < 0.75:
            items.append(("heading", text))
        elif roll < 0.85:
            items.append(("bullet", text, *opts))
        elif depth < 2:
            rows = [
                [_random_items(rng, depth + 1) for _ in range(2)] for _ in range(rng.randint(1, 2))
            ]
            items.append(("table", rows))
    return items


@pytest.mark.parametrize("seed", range(40))
def test_every_visible_character_lands_once_in_the_model(seed: int) -> None:
    rng = random.Random(seed)
    items = _random_items(rng)
    data = build_docx(items)
    for original in (False, True):
        assert_faithful(read_docx(data, SOURCE, original=original), items_text(items, original))


# -- number formats, languages, legal numbering, custom formats ----------------------------------


def test_text_and_east_asian_formats_are_shown_as_word_shows_them() -> None:
    lists = {
        "words": [("ordinalText", "%1."), ("cardinalText", "%2)"), ("ordinal", "(%3)")],
        "zh": [("chineseCounting", "%1、"), ("ideographTraditional", "%2.")],
    }
    doc = read(
        [
            ("num", 0, "Sovereignty.", "words"),
            ("num", 1, "Borders.", "words"),
            ("num", 2, "Monitoring.", "words"),
            ("num", 1, "Airspace.", "words"),
            ("num", 0, "Guarantees.", "words"),
            ("heading", "附件"),
            ("num", 0, "主权。", "zh"),
            ("num", 1, "边界。", "zh"),
            ("num", 1, "领空。", "zh"),
        ],
        lists=lists,
    )
    # Points are named by their counter's value, so "First." and a typed "1." are the same point.
    assert points(doc) == [
        ("1", "First.", "Sovereignty."),
        ("1.1", "One)", "Borders."),
        ("1.1.1", "(1st)", "Monitoring."),
        ("1.2", "Two)", "Airspace."),
        ("2", "Second.", "Guarantees."),
        ("1#2", "一、", "主权。"),
        ("1#2.1", "甲.", "边界。"),
        ("1#2.2", "乙.", "领空。"),
    ]
    assert all(p.auto_label for p in doc.walk())


def test_words_follow_the_language_of_the_paragraph_or_the_document() -> None:
    lists = {"main": [{"fmt": "ordinalText", "text": "%1."}]}
    doc = read(
        [
            ("num", 0, "Суверенітет.", {"lang": "uk-UA"}),
            ("num", 0, "Суверенитет.", {"lang": "ru-RU"}),
            ("num", 0, "Sovereignty."),
        ],
        lists=lists,
    )
    assert [p.label for p in doc.walk()] == ["Перший.", "Второй.", "Third."]
    styles = (
        '<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="ru-RU"/></w:rPr></w:rPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    )
    numbering = (
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="20"/>'
        '<w:numFmt w:val="cardinalText"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    )
    body = _p("Пункт.", num=(1, 0)) + _p("Ещё пункт.", num=(1, 0))
    doc = read_docx(raw_docx(body, numbering=numbering, styles=styles), SOURCE)
    assert [p.label for p in doc.walk()] == ["Двадцать.", "Двадцать один."]


def test_legal_numbering_keeps_the_zero_padding_of_decimal_zero() -> None:
    lists = {
        "legal": [
            ("upperRoman", "%1."),
            {"fmt": "decimalZero", "text": "%1.%2", "legal": True},
            {"fmt": "lowerLetter", "text": "%1.%2.%3", "legal": True},
        ]
    }
    doc = read(
        [("num", 0, "Security.", "legal"), ("num", 1, "Guarantees.", "legal"), ("num", 2, "Air.", "legal")],
        lists=lists,
    )
    assert [(p.label, p.text) for p in doc.walk()] == [
        ("I.", "Security."),
        ("1.01", "Guarantees."),
        ("1.01.1", "Air."),
    ]


def test_custom_formats_in_alternate_content_are_read_from_the_choice() -> None:
    lists = {
        "main": [
            {"fmt": "decimal", "text": "%1.", "custom": "001, 002, 003, ...", "start": 9},
            {"fmt": "decimal", "text": "%2)", "custom": "①, ②, ③, ..."},
        ]
    }
    doc = read([("num", 0, "One."), ("num", 1, "Sub."), ("num", 0, "Two.")], lists=lists)
    assert points(doc) == [("9", "009.", "One."), ("9.1", "①)", "Sub."), ("10", "010.", "Two.")]
    assert doc.warnings == ()


def test_an_unknown_format_is_decimal_with_one_warning_naming_it_and_the_draft() -> None:
    lists = {"main": [("klingon", "%1."), {"fmt": "decimal", "text": "%1.%2", "custom": "α, β, γ, ..."}]}
    doc = read(
        [("num", 0, "One."), ("num", 0, "Two."), ("num", 1, "Sub."), ("num", 0, "Three.")], lists=lists
    )
    assert [(p.id, p.label) for p in doc.walk()] == [("1", "1."), ("2", "2."), ("2.1", "2.1"), ("3", "3.")]
    assert doc.warnings == (
        ("draft.docx: numbering format klingon is not one plancmp knows; its numbers are shown as "
        "decimals (1, 2, 3)"),
        ("draft.docx: numbering format custom (α, β, γ, ...) is not one plancmp knows; its numbers "
        "are shown as decimals (1, 2, 3)"),
    )


def test_a_level_passed_over_counts_as_used_at_its_start() -> None:
    outline = [("decimal", "%1."), ("decimal", "%1.%2."), ("decimal", "%1.%2.%3.")]
    doc = read(
        [("num", 0, "A.", "o"), ("num", 2, "Straight to level 3.", "o"), ("num", 1, "Level 2.", "o")],
        lists={"o": outline},
    )
    assert [(p.id, p.label) for p in doc.walk()] == [("1", "1."), ("1.1.1", "1.1.1."), ("1.2", "1.2.")]


# -- Strict Open XML -----------------------------------------------------------------------------


def test_strict_open_xml_reads_like_transitional() -> None:
    items: list[Item] = [
        ("title", "[[c1]]Peace plan[[/c1]]"),
        ("num", 0, "Borders are {-fixed-}{+respected+}."),
        ("num", 1, "Along the line."),
        ("num", 0, "Elections."),
    ]
    data = build_docx(items, comments={"c1": CommentSpec("Ukraine", "Title?")})
    strict = strict_docx(data)
    with zipfile.ZipFile(io.BytesIO(strict)) as zf:
        assert b'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"' in zf.read("word/document.xml")
    doc = read_docx(strict, SOURCE)
    assert points(doc) == [
        ("1", "1.", "Borders are respected."),
        ("1.a", "a)", "Along the line."),
        ("2", "2.", "Elections."),
    ]
    assert [(c.author, c.text, c.anchor) for c in doc.comments] == [("Ukraine", "Title?", "Peace plan")]
    assert doc.revisions == 2
    assert read_docx(strict, SOURCE, original=True).walk().__next__().text == "Borders are fixed."


# -- tables ----------------------------------------------------------------------------------------


def test_numbers_at_the_start_of_data_cells_stay_in_the_cells_text() -> None:
    doc = read(
        [
            ("num", 0, "Payments are made as follows:"),
            (
                "table",
                [
                    ["Office", "Phone", "Amount"],
                    ["Head office", "(812) 560-95-33", "226 – 23 835 512,64руб."],
                    ["Branch", "31.4", "12. per cent"],
                ],
            ),
            ("num", 0, "Audits follow."),
        ]
    )
    cells = "Office\nPhone\nAmount\nHead office\n(812) 560-95-33\n226 – 23 835 512,64руб.\nBranch\n31.4\n12. per cent"
    assert points(doc) == [
        ("1", "1.", f"Payments are made as follows:\n{cells}"),
        ("2", "2.", "Audits follow."),
    ]
    assert doc.warnings == ()


def test_a_table_of_labels_beside_their_text_is_a_list_of_points() -> None:
    doc = read(
        [
            ("para", "Annex"),
            ("table", [["No.", "Provision"], ["1.", "Ceasefire."], ["2.", "Prisoners are exchanged."], ["3.", "Elections."]]),
        ]
    )
    assert points(doc) == [
        ("1", "1.", "Ceasefire."),
        ("2", "2.", "Prisoners are exchanged."),
        ("3", "3.", "Elections."),
    ]
    assert outside(doc) == [("paragraph", "Annex", None), ("paragraph", "No.", None), ("paragraph", "Provision", None)]


def test_a_column_of_typed_provisions_in_a_bilingual_table_is_read() -> None:
    rows = [
        ["1. The parties agree on a ceasefire.", "1. Сторони погоджуються на припинення вогню."],
        ["2. Prisoners are exchanged all for all.", "2. Полонені обмінюються всі на всіх."],
    ]
    doc = read([("table", rows)])
    assert points(doc) == [
        ("1", "1.", "The parties agree on a ceasefire.\n1. Сторони погоджуються на припинення вогню."),
        ("2", "2.", "Prisoners are exchanged all for all.\n2. Полонені обмінюються всі на всіх."),
    ]


def test_a_one_column_table_is_a_frame_read_like_the_text_around_it() -> None:
    doc = read([("table", [[[("para", "1. Sovereignty."), ("para", "2. Borders.")]]])])
    assert points(doc) == [("1", "1.", "Sovereignty."), ("2", "2.", "Borders.")]


# -- contents lines --------------------------------------------------------------------------------

_TOC_FIELD = (
    '<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1.0</w:t></w:r>'
    "<w:r><w:tab/><w:t>Introduction</w:t></w:r><w:r><w:tab/><w:t>3</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>2.0</w:t></w:r><w:r><w:tab/><w:t>Scope</w:t></w:r><w:r><w:tab/><w:t>4</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)
_TOC_CONTROL = (
    '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
    '<w:sdtContent><w:p><w:r><w:t xml:space="preserve">Article 1. Definitions</w:t></w:r></w:p></w:sdtContent></w:sdt>'
)
_TYPED_CONTENTS = (
    '<w:p><w:r><w:t xml:space="preserve">SECTION 1</w:t></w:r><w:r><w:tab/><w:t>Introduction</w:t></w:r>'
    "<w:r><w:tab/><w:t>2</w:t></w:r></w:p>"
    '<w:p><w:r><w:t xml:space="preserve">2. Scope ........ 7</w:t></w:r></w:p>'
)


def test_contents_lines_are_outside_text_and_leave_the_headings_their_numbers() -> None:
    lists = {"headings": [("decimal", "%1.0"), ("decimal", "%1.%2")]}
    doc = read(
        [
            ("xml", _TOC_FIELD),
            ("xml", _TOC_CONTROL),
            ("xml", _TYPED_CONTENTS),
            ("styled", "toc 2", "2.1\tGeographic scope\t4"),
            ("num", 0, "Introduction", "headings"),
            ("para", "Text."),
            ("num", 0, "Scope", "headings"),
            ("num", 1, "Geographic scope", "headings"),
        ],
        lists=lists,
        styles={"toc 2": {}},
    )
    assert points(doc) == [
        ("1.0", "1.0", "Introduction\nText."),
        ("2.0", "2.0", "Scope"),
        ("2.1", "2.1", "Geographic scope"),
    ]
    assert outside(doc) == [
        ("paragraph", "1.0 Introduction 3", None),
        ("paragraph", "2.0 Scope 4", None),
        ("paragraph", "Article 1. Definitions", None),
        ("paragraph", "SECTION 1 Introduction 2", None),
        ("paragraph", "2. Scope ........ 7", None),
        ("paragraph", "2.1 Geographic scope 4", None),
    ]
    assert doc.warnings == ()


# -- bullets ---------------------------------------------------------------------------------------


def test_a_draft_of_bullets_reads_them_as_points_numbered_by_position() -> None:
    doc = read(
        [
            ("title", "Counter-proposal"),
            ("bullet", "Ceasefire along the line."),
            # The second level of Word's bullet list (numId 1 is the builder's bullets).
            ("numid", 1, 1, "Monitored from space."),
            ("numid", 1, 1, "Reported monthly."),
            ("bullet", "Prisoners exchanged."),
            ("para", "• Typed bullet for elections."),
        ],
    )
    assert points(doc) == [
        ("1", "•", "Ceasefire along the line."),
        ("1.a", "•", "Monitored from space."),
        ("1.b", "•", "Reported monthly."),
        ("2", "•", "Prisoners exchanged."),
        ("3", "•", "Typed bullet for elections."),
    ]
    assert [p.auto_label for p in doc.walk()] == [True, True, True, True, False]
    assert doc.warnings == (
        ("draft.docx: no numbered points: read its 3 bulleted items (and 2 nested ones) as points "
        "numbered by position"),
    )


def test_bullets_are_forced_as_points_even_where_numbers_are_typed() -> None:
    items: list[Item] = [
        ("para", "1 January 2026. Talks resume."),
        ("bullet", "Ceasefire."),
        ("para", "2. Then elections."),
        ("bullet", "Prisoners."),
    ]
    assert [p.id for p in read(items).walk()] == ["2"]
    doc = read_docx(build_docx(items), SOURCE, bullets=True)
    assert points(doc) == [("1", "•", "Ceasefire.\n2. Then elections."), ("2", "•", "Prisoners.")]
    assert outside(doc) == [("paragraph", "1 January 2026. Talks resume.", None)]
    assert doc.warnings == ("draft.docx: --bullets: read its 2 bulleted items as points numbered by position",)


# -- tracked changes counted, damaged files --------------------------------------------------------


def test_tracked_changes_are_counted() -> None:
    # Two in point 1, the inserted and deleted paragraphs (mark and text each), two in point 4,
    # and the two numbering changes.
    assert read(_TRACKED).revisions == 10
    assert read([("num", 0, "Clean.")]).revisions == 0


def test_a_truncated_docx_says_so() -> None:
    good = build_docx(_TRACKED)
    for cut in (len(good) // 2, len(good) - 30):
        exc = error(good[:cut])
        assert isinstance(exc, FormatError)
        assert str(exc) == f"x.docx: {_DAMAGED}: its zip directory is missing or broken; {_REFETCH}"


def test_a_contents_field_ending_at_the_start_of_a_point_leaves_the_point() -> None:
    # When the empty paragraph after a table of contents is deleted, the field's end moves to
    # the start of the next paragraph: that paragraph is still a point, not a contents line.
    toc = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1. Ceasefire</w:t></w:r>'
        "<w:r><w:tab/><w:t>2</w:t></w:r></w:p>"
        '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve">1. Ceasefire along the line.</w:t></w:r></w:p>'
    )
    doc = read([("xml", toc), ("para", "2. Prisoners.")])
    assert points(doc) == [("1", "1.", "Ceasefire along the line."), ("2", "2.", "Prisoners.")]
    assert outside(doc) == [("paragraph", "1. Ceasefire 2", None)]
