"""What the pictures share (docs/pictures.md): the size, the palette, a figure as PNG bytes,
and the garbage collector held back while one is drawn.

matplotlib's object API with the Agg canvas: a `Figure` of its own per image and never
pyplot, whose global figure manager is not thread-safe, so images can be drawn in worker
threads side by side. Nothing is kept between calls: a figure is dropped once saved.

Colours are the Okabe–Ito palette (Okabe & Ito 2008), which stays distinct under the common
colour-vision deficiencies; colour is never alone in a picture.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_PX = 1000
DPI = 100
BLACK = "#000000"
GREY = "#8C8C8C"
LIGHT = "#E6E6E6"
WHITE = "#FFFFFF"
# Okabe–Ito
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
P = ParamSpec("P")
R = TypeVar("R")
_collector = threading.Lock()
_drawing = 0  # images being drawn now, in any thread
_collector_was_on = True


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector waits while images are drawn: a figure makes tens of
    thousands of objects, and a full collection in the middle of one doubled the slowest
    draws (bench/pictures.py, figure 7). The cycles a figure leaves are collected by the
    next automatic collection once no image is being drawn."""
    global _drawing, _collector_was_on
    with _collector:
        if _drawing == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _drawing += 1
    try:
        yield
    finally:
        with _collector:
            _drawing -= 1
            if _drawing == 0 and _collector_was_on:
                gc.enable()


def without_collection(draw: Callable[P, R]) -> Callable[P, R]:
    """`draw` run with the collector waiting (`_no_collection`)."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _no_collection():
            return draw(*args, **kwargs)

    return wrapper


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes. The figure is dropped afterwards: it belongs to no pyplot
    manager, so nothing keeps it (bench/pictures.py checks the memory over 1,000 renders)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    # zlib level 1: a few KB more, a fifth of the encoding time (drawn flat colours pack well).
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
