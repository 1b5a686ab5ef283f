"""Which op made `gradcheck` fail: the search behind ``gradcheck(..., localize=True)``.

When a composite's derivatives disagree with finite differences, ``fn`` is run once more with
every node recorded together with the inputs it saw and the line of user code that called it.
Each node's own rules are then checked alone, at those values, innermost (first made) first;
the first whose rule disagrees is the culprit. When every rule agrees locally the composite
is not differentiable at the point (a kink: the ops that sit at one are named) or ``fn`` is
not a pure function of its inputs (two runs differ) — a correct rule is never blamed.
"""
import os
import sys
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import engine
from .errors import GradcheckError
from .function import _FunctionOp
from .grad_mode import no_grad
from .tensor import Tensor

_LIBRARY = tuple(os.path.dirname(os.path.dirname(m.__file__)) + os.sep + name + os.sep
                 for m in (sys.modules[__name__],) for name in ("autograd", "nn", "optim"))


@dataclass
class _Seen:
    node: object
    inputs: list
    site: str


@dataclass
class Finding:
    """What the search found: the culprit node (None when no rule is wrong) and the text."""
    node: object = None
    culprit: str = None
    output: object = None  # the re-run's output, whose graph holds ``node`` (for drawing)
    text: str = ""
    kinks: list = field(default_factory=list)


def _call_site():
    """file:line of the innermost frame outside autograd, nn and optim (the user's call)."""
    frame = sys._getframe(2)
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not path.startswith(_LIBRARY):
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back
    return "(inside the library)"


def _record(fn, args):
    """Run fn(*args) once, keeping every node made with its inputs and call site."""
    seen = []

    def hook(node, raw):
        inputs = [np.array(a) if isinstance(a, np.ndarray) else a for a in raw]
        seen.append(_Seen(node, inputs, _call_site()))

    engine.capture_hook = hook
    try:
        out = fn(*args)
    finally:
        engine.capture_hook = None
    return seen, out[0] if isinstance(out, tuple) else out


def _name(op):
    return f"{op.name} (a custom Function)" if isinstance(op, _FunctionOp) else \
        f"{op.name} (a registered op)"


def _alone(record):
    """The node's op as a function of its differentiable inputs (others held fixed), and
    those inputs as float64 tensors requiring grad."""
    node, raw = record.node, record.inputs
    wrt = [i for i, (e, a) in enumerate(zip(node.edges, raw)) if e is not None and
           isinstance(a, np.ndarray) and a.dtype.kind == "f"]
    op, params = node.op, dict(node.params)

    def run(*xs):
        full = list(raw)
        for i, x in zip(wrt, xs):
            full[i] = x
        if isinstance(op, _FunctionOp):
            full = [Tensor(a) if isinstance(a, np.ndarray) else a for a in full]
            out = op.fn.apply(*full)
            return out[params["output"]] if isinstance(out, tuple) else out
        return op.call(*full, **params)

    return run, tuple(Tensor(np.array(raw[i], dtype=np.float64), requires_grad=True)
                      for i in wrt)


def localize(fn, args, options, gradcheck):
    """Check each node of fn's graph alone with ``gradcheck`` (`autograd.gradcheck`, passed
    by it: this module sits below it); a `Finding`."""
    records, output = _record(fn, args)
    kinks = []
    for record in records:
        run, inputs = _alone(record)
        if not inputs or not record.node.op.differentiable:
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                gradcheck(run, inputs, localize=False, **options)
            except GradcheckError as err:
                shapes = ", ".join(str(tuple(x.shape)) for x in inputs)
                name = _name(record.node.op)
                detail = "\n".join("    " + line for line in str(err).splitlines())
                return Finding(record.node, record.node.op.name, output, (
                    f"\n  The op whose own rule is wrong: {name}, called at {record.site}, "
                    f"with input shapes {shapes}. Checked alone at the values it saw there:\n"
                    f"{detail}"))
            except Exception:  # noqa: BLE001 (an op that cannot run alone is not judged)
                continue
        if any("kink" in str(w.message) for w in caught):
            kinks.append(f"{record.node.op.name} at {record.site}")
    if not _pure(fn, args):
        return Finding(text="\n  No op's own rule is wrong: fn is not a pure function of its "
                            "inputs (two runs at the same inputs gave different outputs: it "
                            "reads state or draws random numbers), so finite differences "
                            "cannot judge its derivatives. Fix the state (eval(), a seed) "
                            "inside fn.")
    if kinks:
        return Finding(kinks=kinks, text=(
            "\n  No op's own rule is wrong: every op agrees with finite differences at the "
            "values it saw. fn is not differentiable at this point, or only by cancellation: "
            + "; ".join(kinks) + (" is" if len(kinks) == 1 else " are")
            + " at a kink (a non-differentiable point), where each rule gives one valid "
            "choice and the chain rule through them need not give fn's derivative. Check at "
            "a point away from the kink."))
    return Finding(text=(
        "\n  No op's own rule is wrong: every op recorded in fn's graph agrees with finite "
        "differences at the values it saw, and fn is pure. Part of fn's computation is then "
        "not recorded (values read with .numpy()/.item() or computed under no_grad, which "
        "the graph does not differentiate), or a step of eps crosses a kink."))


def _pure(fn, args):
    with no_grad():
        first, second = _values(fn(*args)), _values(fn(*args))
    return all(np.array_equal(a, b, equal_nan=True) for a, b in zip(first, second))


def _values(out):
    out = out if isinstance(out, tuple) else (out,)
    return [np.array(o._data if isinstance(o, Tensor) else o) for o in out]
