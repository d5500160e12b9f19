"""Compiled NumPy ufuncs that cost nothing at import (:func:`lazy_vectorize`).

``numba.vectorize`` with signatures compiles (or loads from the cache) the element function
*and builds the ufunc's loop wrapper, which is never cached*, when the decorated module is
imported: about 0.1 s per ufunc, paid by every command that imports the module. A
:class:`LazyUfunc` defers all of it:

* called from Python with scalar arguments, it runs the element function compiled by
  ``numba.njit`` (loaded from the cache on first use) and returns a ``numpy.float64``, as
  the ufunc would;
* called with arrays (or keyword arguments, or through a ufunc attribute such as ``.reduce``),
  it builds the ufunc on first use and delegates to it;
* inside compiled code (numba kernels that name it as a global) it types as the same njit
  element function, so kernels call the scalar function directly, as they would call the
  ufunc's element function.

The element function is compiled with the options numba gives ufunc kernels (``nopython``,
``error_model="numpy"``), so the three paths compute the same numbers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numba import njit, vectorize
from numba.extending import typeof_impl

__all__ = ["LazyUfunc", "lazy_vectorize"]

_SCALARS = (float, int, np.floating, np.integer)


class LazyUfunc:
    """A ufunc built on first use from arrays; scalars and compiled code use its njit
    element function (see the module docstring)."""

    def __init__(self, func: Callable[..., float], signatures: Sequence[str], cache: bool):
        self.py_func = func
        self._signatures = list(signatures)
        self._cache = cache
        self._ufunc: Any = None
        # a dispatcher compiles (or loads from the cache) only when first called
        self.scalar = njit(cache=cache, error_model="numpy")(func)
        functools.update_wrapper(self, func)

    @property
    def ufunc(self) -> Any:
        """The numba ufunc (built on first access)."""
        if self._ufunc is None:
            self._ufunc = vectorize(self._signatures, nopython=True, cache=self._cache)(
                self.py_func
            )
        return self._ufunc

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs and all(isinstance(a, _SCALARS) and not isinstance(a, bool) for a in args):
            return np.float64(self.scalar(*(float(a) for a in args)))
        return self.ufunc(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in {"_ufunc", "py_func", "scalar"}:
            raise AttributeError(name)
        return getattr(self.ufunc, name)

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled by reference (module attribute), like a numba ufunc
        return (_by_name, (self.py_func.__module__, self.py_func.__qualname__))


def _by_name(module: str, name: str) -> LazyUfunc:
    obj = __import__(module, fromlist=[name])
    return getattr(obj, name)


@typeof_impl.register(LazyUfunc)
def _typeof_lazy_ufunc(val: LazyUfunc, c: Any) -> Any:
    # in compiled code: the njit element function
    return typeof_impl(val.scalar, c)


def lazy_vectorize(
    signatures: Sequence[str], *, cache: bool = True
) -> Callable[[Callable[..., float]], LazyUfunc]:
    """Decorator: like ``numba.vectorize(signatures, nopython=True, cache=cache)``, but
    nothing is compiled or loaded until first use (:class:`LazyUfunc`)."""

    def wrap(func: Callable[..., float]) -> LazyUfunc:
        return LazyUfunc(func, signatures, cache)

    return wrap
