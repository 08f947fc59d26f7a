"""The Gantt-style deadline view: the task table's rows on a working-day time line.

Pure-Python parts (``timescale``, ``days``, ``bars``) hold the rules and are
tested without Qt; ``chart`` paints them with QPainter for the window
(``view``), the print preview and the files (``export``). ``host`` is the only
part the main window imports at start-up: it builds the rest when the tab is
first shown.
"""
