"""Numbers written for the Spanish text of a page.

Spanish writes decimals with a comma (0,25), English with a point (0.25). Alt text and
other prose built from computed numbers need both. Introduced in lesson "Vanishing
gradients".
"""

from __future__ import annotations


def decimal_comma(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals and a decimal comma: ``decimal_comma(0.256, 2)``
    gives ``"0,26"``, the Spanish form of ``f"{0.256:.2f}"``."""
    return f"{value:.{digits}f}".replace(".", ",")
