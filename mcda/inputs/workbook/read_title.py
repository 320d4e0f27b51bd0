"""Checking the number of regions a case's title names against the regions its data holds.

A title such as "Research and innovation potential: 85 Russian regions (2022)" is printed on every
output; when the data holds 46 regions (rows lost in a spreadsheet, or a file read in part) the
outputs would still say 85. This module only reads text (no openpyxl), so the TOML case reader can
use it as well as the workbook reader.

>>> title_count_warning("Research and innovation potential: 85 Russian regions (2022)", 46)
'the title says 85 regions, the data has 46: check that no region is missing from the data, or correct the title'
>>> title_count_warning("Innovation-cluster sites: Uzbekistan's 14 regions", 14) is None
True
>>> title_count_warning("Regional ranking (2022)", 3) is None  # no count named: nothing to check
True
"""
from __future__ import annotations

import re
from typing import Optional

# a whole number, then at most three words (letters, an apostrophe or a hyphen), then "regions"
_COUNT = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})*|\d+)\s+(?:[^\W\d_][\w'\u2019-]*\s+){0,3}"
                    r"regions\b", re.IGNORECASE)


def title_regions(title: str) -> Optional[int]:
    """The number of regions the title names ("85 Russian regions" -> 85), or None when it names
    none, or names more than one different count (then it is not a claim about the data)."""
    counts = {int(re.sub(r"\D", "", m.group(1))) for m in _COUNT.finditer(title or "")}
    return counts.pop() if len(counts) == 1 else None


def title_count_warning(title: str, regions: int) -> Optional[str]:
    """A warning when the title names a number of regions other than ``regions`` (the data's), else None."""
    said = title_regions(title)
    if said is None or said == regions:
        return None
    return (f"the title says {said} regions, the data has {regions}: check that no region is missing from "
            "the data, or correct the title")
