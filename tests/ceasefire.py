"""A 13-point ceasefire draft that tests revise: points put in front, rewritten, dropped, referred to."""

from __future__ import annotations

CEASEFIRE_13 = (
    "Ceasefire takes effect along the line of contact at midnight.",
    "Heavy weapons are withdrawn 15 km from the line of contact.",
    "Monitors of the OSCE verify the withdrawal.",
    "Humanitarian corridors are opened for civilians.",
    "Both sides refrain from offensive operations.",
    "Mines are cleared from agricultural land within 90 days.",
    "Water and power supplies are restored to all towns.",
    "Displaced people may return to their homes.",
    "Prisoner exchange: all for all, with the ICRC supervising every transfer across the front.",
    "A joint commission meets every week.",
    "Sanctions are reviewed after six months.",
    "Elections are held within one year.",
    "This agreement enters into force on signature.",
)
"""The points' texts, point 1 first."""
IN_FRONT = "This text supersedes the framework agreed in Geneva."
"""A point to put in front of them, alike none of them."""
