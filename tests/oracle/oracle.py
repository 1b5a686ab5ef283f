"""The PyTorch oracle table: every public op and functional, called the same way on both
libraries and compared for values, dtype, shape and gradients.

A row is written once, as ``fn(lib, *inputs)``, and run twice: with ``lib`` = `OURS`
(autograd, with ``lib.nn`` and ``lib.F``) on our Tensors and with ``lib`` = `TORCH` on
torch's. Tensor methods and operators are shared by both, so ``lambda m, x: x.sort(1)`` and
``lambda m, x, w: m.F.conv1d(x, w, stride=2)`` drive both.

Rows live in ``rows_<area>.py`` files beside this one, each with a list ``ROWS``; the test
(`test_oracle.py`) picks up every such file.
"""
import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass
class Row:
    """One call compared with PyTorch.

    ``op`` is the registry key the row covers (``"sort"``, ``"nn.functional.conv1d"``);
    ``inputs`` are shape tuples (float64 values, uniform in [-1.5, 1.5], seeded by the
    row) or ndarrays used as they are (ints, bools, chosen floats); ``grad`` compares the
    gradients of the floating inputs (reverse mode, and forward mode where both libraries
    have it); ``id`` tells apart several rows of one op. Outputs may be tensors, Python
    numbers or bools, or tuples/lists/named tuples of them; integer and bool outputs get no
    gradient checks. An input that should not be differentiated (class weights...) is best
    closed over in ``fn`` as ``m.tensor(array)``.
    """

    op: str
    fn: Callable
    inputs: tuple = ()
    id: str = ""
    grad: bool = True
    rtol: float = 1e-10
    atol: float = 1e-12
    # settings the runner reads: "raises" (True, or a regex our message must match: torch
    # refuses these inputs, so must we), "xfail" (why the row fails on this branch: a strict
    # xfail), "jvp" (False: no forward-mode check), "gradgrad" (force the second-derivative
    # check on or off; by default a sample of the rows gets it)
    kwargs: dict = field(default_factory=dict)

    @property
    def name(self):
        return f"{self.op}-{self.id}" if self.id else self.op

    def arrays(self):
        """The inputs as ndarrays (shapes drawn, deterministically, from the row's name)."""
        rng = np.random.default_rng(zlib.crc32(self.name.encode()))
        return [rng.uniform(-1.5, 1.5, x) if isinstance(x, tuple) else np.asarray(x)
                for x in self.inputs]


class Lib:
    """A library as rows see it: its own namespace, plus ``nn`` and ``F``."""

    def __init__(self, core, nn):
        self._core, self.nn, self.F = core, nn, nn.functional

    def __getattr__(self, name):
        return getattr(self._core, name)


def ours():
    import autograd
    import nn

    return Lib(autograd, nn)


def theirs():
    import torch

    return Lib(torch, torch.nn)
