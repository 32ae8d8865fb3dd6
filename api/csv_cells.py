"""CSV cells a spreadsheet will not run as formulas: every CSV dutygraph writes goes through here.

Cell text comes from outside (document text, review notes), and Excel, LibreOffice
and Google Sheets run a cell that starts with = + - @ (or a tab or carriage
return before one) as a formula: `=HYPERLINK(...)` in a review note would become
a live link.  The OWASP rule: such a cell gets a leading single quote, which the
spreadsheet shows as text.

>>> formula_safe('=HYPERLINK("http://x","点击")')
'\\'=HYPERLINK("http://x","点击")'
>>> formula_safe("市公安局"), formula_safe(None), formula_safe(3)
('市公安局', '', '3')
"""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def formula_safe_row(values) -> list[str]:
    return [formula_safe(v) for v in values]
