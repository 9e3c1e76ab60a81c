"""Expected frames written by hand from tests/fixture_data.py, shared by the analysis tests.

The fixture's inspections, in publication order (points: O 3, G 2, RI 1, I 0):
 1 CRC Old One 2019-03-05 RI    2 NPS Old Div 2019-06 G    3 CRC Old One 2020 (derived) G
 4 PDU Alpha 2022-02-10 I       5 PDU Beta 2022-05 RI      6 PDU Gamma 2023 (url) G
 7 PDU Beta 2024 (derived) I    8 Region North 2024-07-01 O
 9 PDU Alpha 2024-11 RI        10 National 2025-04-29 RI
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

O, G, RI, I = "Outstanding", "Good", "Requires improvement", "Inadequate"  # noqa: E741
RATINGS = [O, G, RI, I]
NAN = np.nan


def frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split())


def check(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(actual.columns) == list(expected.columns)
    assert_frame_equal(
        actual.reset_index(drop=True), expected, check_dtype=False, check_exact=False, rtol=1e-9
    )
