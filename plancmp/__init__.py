"""plancmp: compare versions of negotiated documents made of numbered points."""

__version__ = "0.1.0"
