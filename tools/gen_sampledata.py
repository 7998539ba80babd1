#!/usr/bin/env python3
"""Regenerate SampleData/ (deterministic, standard library only).

Usage: python3 tools/gen_sampledata.py        (from any directory)
Deletes and rewrites SampleData/ next to tools/; see docs/sampledata.md."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.dont_write_bytecode = True   # keep tools/ free of __pycache__ noise

from sampledata.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
