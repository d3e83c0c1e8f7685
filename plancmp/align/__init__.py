"""Which old points became which new points: 1:1, merges, splits, moves, drops and additions.

One alignment over every depth: a point may become a point at another depth (a sub-section
promoted to a chapter, a point demoted into another) or under another parent (a section moved to
another chapter). The hierarchy is evidence, not a wall. The package's files name the steps:

    forest.py      one draft's points at every depth as one list, with parents and siblings
    candidates.py  how alike the points are (TF-IDF over words and character 4-grams)
    steps.py       pins, anchors, assignment rounds with structural evidence, merges, splits, gaps
    groups.py      the groups a reader sees: statuses, renumbering, moves, promotions, nesting
    confidence.py  how sure each link is, and the closest candidates of dropped and added points
    assign.py      optimal assignment and longest in-order runs
    likely.py      the pairs an alignment will likely make, guessed without it (as diff pairs lines)
"""

from __future__ import annotations

from plancmp.align.assign import assign, longest_increasing
from plancmp.align.likely import likely_pairs
from plancmp.align.options import AlignOptions, Pin, parse_pin
from plancmp.model import Document, Group


def align_documents(old: Document, new: Document, options: AlignOptions | None = None) -> tuple[Group, ...]:
    """Align two drafts' points: one Group per set of old points and the new points they became."""
    from plancmp.align.groups import build_groups
    from plancmp.align.steps import Aligner

    aligner = Aligner(old, new, options or AlignOptions()).run()
    try:
        return build_groups(aligner)
    finally:
        aligner.release()


__all__ = ["AlignOptions", "Pin", "align_documents", "assign", "likely_pairs", "longest_increasing", "parse_pin"]
