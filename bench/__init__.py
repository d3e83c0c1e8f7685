"""Benchmarks of plancmp: synthetic version pairs and the figures printed from them."""
