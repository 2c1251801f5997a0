"""The precision of every number the regressions compute, write or draw: 8 significant digits.

OpenBLAS picks its kernels by CPU (Haswell, SkylakeX, Prescott, ...), and kernels with and without
fused multiply-add round differently. The same OLS fit then differs in the last bits from machine
to machine: measured on this project's twelve series, up to 4.4e-12 relative (HC3 errors and the
quadratic term, where the fit is ill-conditioned). Rounded where they are computed, those numbers are
the same on every CPU, and so are the CSVs, the figures drawn from them and the report.

Why 8 digits. Rounding hides a difference unless the two values fall on either side of a rounding
boundary; the chance of that grows tenfold with each digit kept. Over the ~1,000 numbers of the
regressions, the expected number of such splits between an FMA and a non-FMA kernel is 0.15 at 10
digits (and one occurs: an HC3 p-value, ...5499905 against ...5500001), 0.015 at 9 and 0.0015 at 8.
The finest digit any table or caption prints is the 6th significant one (a trend value such as
13,233.4), so 8 digits stay a hundred times finer than anything shown.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

SIGNIFICANT_DIGITS = 8


def rounded(value, digits: int = SIGNIFICANT_DIGITS):
    """`value` with every float in it rounded to `digits` significant digits.

    Floats, numpy arrays, pandas Series and DataFrames (float columns), and dicts, lists and tuples
    of them; anything else (ints, text, None) is returned as it is. The rounding goes through the
    decimal text (correctly rounded by Python's float formatting), so it is the same on every
    machine; NaN and infinities pass through."""
    if isinstance(value, (bool, np.bool_, int, np.integer)) or value is None:
        return value
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if not math.isfinite(value) else float(f"{value:.{digits}g}")
    if isinstance(value, pd.DataFrame):
        out = value.copy()
        for column in out.columns:
            if out[column].dtype.kind == "f":
                out[column] = rounded(out[column], digits)
        return out
    if isinstance(value, pd.Series):
        if value.dtype.kind != "f":
            return value
        return pd.Series(rounded(value.to_numpy(), digits), index=value.index, name=value.name)
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "f":
            return value
        return np.array([rounded(float(v), digits) for v in value.ravel()], dtype=value.dtype).reshape(value.shape)
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(rounded(v, digits) for v in value)
    return value


def rounds(function):
    """Decorator: the function's result, `rounded`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return rounded(function(*args, **kwargs))

    return wrapper
