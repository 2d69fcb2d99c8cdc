"""What a spreadsheet takes for a formula: the text cells ppm's CSV output guards with a `'` and `ppm import csv` unguards.

One definition for both sides, so the guard stays reversible.
"""

from __future__ import annotations

# A cell starting with one of these is run as a formula (or a DDE command) by Excel, LibreOffice and Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
