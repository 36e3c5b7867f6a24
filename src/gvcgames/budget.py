"""Time budgets for symbolic operations that can blow up.

sympy's ``solve``, ``simplify`` and ``factor`` can run for hours on innocent-looking
input. :func:`time_budget` raises :class:`~gvcgames.errors.SymbolicTimeout` inside the
running thread once the budget is spent. It works in any thread (the main thread of a
notebook, a Dask worker thread) because it injects the exception with
``PyThreadState_SetAsyncExc`` instead of relying on signals, which only reach the main
thread. sympy is pure Python, so the exception arrives at the next bytecode boundary.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from gvcgames.errors import SymbolicTimeout
from gvcgames.settings import settings

T = TypeVar("T")

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)


class _Deadline(SymbolicTimeout):
    """Raised inside the timed thread; turned into a SymbolicTimeout with a message."""


@contextmanager
def time_budget(seconds: float | None, what: str = "symbolic operation") -> Iterator[None]:
    """Raise :class:`SymbolicTimeout` in this thread if the block runs past ``seconds``.

    ``seconds=None`` uses ``gg.settings.time_budget``; ``seconds <= 0`` or ``inf``
    disables the budget. Nested budgets are allowed: the innermost one that expires
    first fires.
    """
    limit = settings.time_budget if seconds is None else seconds
    if not limit or limit <= 0 or limit == float("inf"):
        yield
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                _set_async_exc(thread_id, _Deadline)

    timer = threading.Timer(limit, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except _Deadline as exc:
        raise SymbolicTimeout(
            f"{what} did not finish within its time budget of {limit:g} s; "
            "raise gg.settings.time_budget or pass time_budget=... to try longer"
        ) from exc
    finally:
        with lock:
            state["active"] = False
            timer.cancel()
            if state["fired"]:
                # The exception may still be pending if it fired after the block ended.
                _set_async_exc(thread_id, ctypes.py_object())  # type: ignore[arg-type]


def call_with_budget(
    func: Callable[..., T], *args: object, seconds: float | None = None, what: str = "", **kwargs: object
) -> T:
    """Call ``func(*args, **kwargs)`` under :func:`time_budget`."""
    with time_budget(seconds, what or getattr(func, "__name__", "symbolic operation")):
        return func(*args, **kwargs)
