"""Numbers as each language of the course writes them: the one place that knows.

Spanish writes decimals with a comma (``0,25``) and groups the thousands of a number of
five or more digits with a narrow no-break space (``30 000``), writing four-digit numbers
together (``8192``); English writes a decimal point and a comma between thousands
(``0.25``, ``8,192``). Printed
outputs (through :func:`dlcourse.bilingual.number`), figure tick labels, alt text and the
text the build generates (run times, benchmark tables) all use these functions. Introduced
in lesson "Vanishing gradients".
"""

from __future__ import annotations

import re

DECIMAL_COMMA = frozenset({"es"})  # languages that write 0,5 for 0.5
THOUSANDS_SPACE = "\u202f"  # narrow no-break space: Spanish groups thousands with it
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def localize(english: str, lang: str) -> str:
    """A number written the English way (``8,192.5``) as ``lang`` writes it (``8192,5`` in
    Spanish). Padding is kept: a right-aligned column stays as wide as the English one."""
    if lang not in DECIMAL_COMMA:
        return english

    def thousands(match: re.Match[str]) -> str:
        digits = match.group(0)
        return digits.replace(",", "") if len(digits) == 5 else digits.replace(",", THOUSANDS_SPACE)

    local = _GROUPED.sub(thousands, english).replace(".", ",")
    return local.rjust(len(english)) if english.startswith(" ") else local


def format_number(value: float, spec: str, lang: str) -> str:
    """``format(value, spec)`` as ``lang`` writes it: ``format_number(12345.6, ",.1f", "es")``
    is ``12 345,6``, with ``"en"`` it is ``12,345.6``."""
    return localize(format(value, spec), lang)


def decimal_comma(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals and a decimal comma: ``decimal_comma(0.256, 2)``
    gives ``"0,26"``, the Spanish form of ``f"{0.256:.2f}"``."""
    return format_number(value, f".{digits}f", "es")
