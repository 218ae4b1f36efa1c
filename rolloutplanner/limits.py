"""Bounds on what a request may carry, checked before anything reaches the database.

Pure: no Django imports, so imports, forms, the API and tests share the same rules.
"""

import re
from datetime import date

# Dates outside this window are typing mistakes (or probes): they are refused up front, so no
# date arithmetic (a week after 9999-12-31) can overflow later.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)

# A primary key is a signed 64-bit integer in every database we run on.
ID_MAX = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(raw):
    """`raw` (a query-string value) as a database id, or None when it cannot be one.

    Only ASCII digits count (`str.isdigit` accepts '²', which `int()` refuses), and values past
    a 64-bit integer are None rather than an overflow in the database driver.
    """
    if raw is None:
        return None
    raw = str(raw).strip()
    if not _ID.fullmatch(raw):
        return None
    value = int(raw)
    return value if 0 < value <= ID_MAX else None


def date_in_range(value):
    """True when `value` (a date) lies in the window the app accepts."""
    return DATE_MIN <= value <= DATE_MAX


def date_range_message():
    return f"Use a date between {DATE_MIN.year} and {DATE_MAX.year}."


NUL_MESSAGE = (
    "This row contains NUL bytes: an encoding problem (is the file UTF-16?). "
    "Save it as “CSV UTF-8” and upload it again."
)


def nul_lines(text, limit=50):
    """Line numbers (1-based) of `text` holding a NUL character, at most `limit` of them.

    The database cannot store NUL in text; a file saved as UTF-16 without a byte-order mark
    decodes as UTF-8 with a NUL after every letter.
    """
    if "\x00" not in text:
        return []
    return [n for n, line in enumerate(text.split("\n"), start=1) if "\x00" in line][:limit]
