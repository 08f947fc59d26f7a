"""The one exception that means "the clerk cancelled this".

Long work (reading returned workbooks, importing a plan, writing a merge) runs
in Qt-free code and checks a cancel flag the window sets; whichever layer
notices raises this, and the window's job runner recognises it as a cancel,
not a failure. One class for both, so neither needs to import the other.
"""

from __future__ import annotations


class JobCancelled(Exception):
    """Raised where long work stops because the clerk pressed 取消."""
