"""Shared test set-up: offscreen Qt, paths to the shipped seed files."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT.parent / "shared" / "seed" / "plan2014-table.txt"
SEED_COPY = ROOT / "data" / "plan2014-table.txt"
