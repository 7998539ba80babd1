"""Deterministic generator for the disclose SampleData tree (see tools/gen_sampledata.py)."""
