"""Lazy ufuncs: nothing built at import; scalars, arrays and compiled callers agree with the
numba ufunc bit for bit."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
from numba import njit

from twochannel.macro import equations as E


@njit(cache=False)
def _in_kernel(top1, psi, kappa):
    out = np.empty(top1.size)
    for i in range(top1.size):
        out[i] = E.political_target(top1[i], psi, kappa)
    return out


def test_scalars_arrays_and_kernels_agree_bit_for_bit() -> None:
    s = np.linspace(0.01, 0.99, 257)
    ufunc = E.political_target.ufunc(s, 1.3, 2.0)
    np.testing.assert_array_equal(E.political_target(s, 1.3, 2.0), ufunc)
    scalars = np.array([E.political_target(float(v), 1.3, 2.0) for v in s])
    np.testing.assert_array_equal(scalars, ufunc)
    np.testing.assert_array_equal(_in_kernel(s, 1.3, 2.0), ufunc)
    assert isinstance(E.political_target(0.3, 1.0, 2), np.float64)


def test_ufunc_attributes_and_pickling() -> None:
    assert E.return_on_wealth.nin == 2
    assert pickle.loads(pickle.dumps(E.tax_wedge)) is E.tax_wedge


def test_importing_the_equations_builds_no_ufunc() -> None:
    code = (
        "from twochannel.macro import equations as E\n"
        "built = [n for n in E.__all__ if getattr(getattr(E, n), '_ufunc', 0) is not None "
        "and not isinstance(getattr(E, n), float)]\n"
        "print(built)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
