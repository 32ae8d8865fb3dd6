"""The limits that guard reading and parsing, in one table, read from the environment when asked.

Like api/settings.py (which shows these too), nothing is read at import time:
`value(name)` looks at the environment on every call, so a server, a test or
a parse worker (service/parse_worker.py) that sets a variable is obeyed at once.

>>> value("max_pdf_pages", {"DUTYGRAPH_MAX_PDF_PAGES": "12"})
12
>>> value("max_bytes", {}) == LIMITS["max_bytes"][1]
True
"""
from __future__ import annotations

import os
from typing import Mapping

LIMITS: dict[str, tuple[str, int, str, str]] = {
    # name: (environment variable, default, what it bounds, what happens past it)
    "max_bytes": ("DUTYGRAPH_MAX_BYTES", 20 * 1024 * 1024,
                  "largest file `load` reads and largest upload `POST /documents` accepts, in bytes",
                  "the file is refused, named, with its size (CLI exit 2; HTTP 413)"),
    "max_docx_xml_bytes": ("DUTYGRAPH_MAX_DOCX_XML_BYTES", 32 * 1024 * 1024,
                           "text a Word (.docx) file may unpack to (word/document.xml), in bytes: "
                           "a 300-page plan is a few MB, a zip bomb is gigabytes",
                           "the file is refused at word/document.xml before it is unpacked further "
                           "(CLI exit 2; HTTP 422)"),
    "max_pdf_pages": ("DUTYGRAPH_MAX_PDF_PAGES", 1000,
                      "pages of a PDF that are read (each page's layout costs time and memory)",
                      "the PDF is refused before any page is read, naming the first page over the limit "
                      "(CLI exit 2; HTTP 422)"),
}


def value(name: str, environ: Mapping[str, str] | None = None) -> int:
    """The limit `name`: its environment variable when set, else its default."""
    env, default, _what, _past = LIMITS[name]
    raw = (os.environ if environ is None else environ).get(env, "").strip()
    if not raw:
        return default
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"{env}={raw!r}: a limit is a whole number above 0 (default {default})")
    return number


def environment(values: Mapping[str, int]) -> dict[str, str]:
    """The environment variables that set the limits `values` ({name: number})."""
    return {LIMITS[name][0]: str(number) for name, number in values.items()}
