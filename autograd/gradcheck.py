"""Gradient checking: compare the derivatives the engine computes with finite differences.

`gradcheck` builds the Jacobian of a function twice, from its derivative rules (backward,
optionally forward mode) and by central differences in float64, and compares them entry by
entry. `gradgradcheck` does the same for the function that computes the gradients, which checks
second derivatives. A failure raises `GradcheckError` naming the output, the input and the
element that disagree.

Each Jacobian is kept as blocks ``J[k][c]``: output ``k`` against the ``c``-th input that
requires grad, of shape (output size, input size).
"""
import math
import warnings
from typing import NamedTuple

import numpy as np

from .errors import GradcheckError
from .functional import _as_tuple, grad, jvp
from .random import generator
from .tensor import Tensor


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, *,
              fast_mode=False, check_forward_ad=False, nondet_tol=0.0, check_backward_ad=True,
              localize=True):
    """Check ``fn``'s derivative rules against central finite differences at ``inputs``.

    ``inputs`` is a Tensor or a tuple; the Tensors with ``requires_grad=True`` are checked
    (use float64), everything else is passed to ``fn`` unchanged. ``fn`` returns a Tensor or
    a tuple of them. An entry passes when ``|analytic - numeric| <= atol + rtol * |numeric|``.

    - ``fast_mode``: compare random projections ``vᵀ J u`` instead of every entry (a backward
      per output, not per output element); a mismatch reruns the full check to locate it.
    - ``check_forward_ad``: also check the forward-mode (jvp) rules;
      ``check_backward_ad=False`` skips the backward ones.
    - ``nondet_tol``: how much two backward passes with the same gradient may differ.

    At a kink (relu or abs at 0: the one-sided differences disagree) an analytic value equal
    to either one-sided derivative or between them (a subgradient: their mean, the 1/k share
    of k tied maxima) is accepted with a warning; a function
    whose two runs at the same inputs differ (dropout, state) has no kinks: it fails.
    Returns True; a failure raises `GradcheckError`, or returns False when
    ``raise_exception=False``.

    A failure is localized (``localize=False`` skips this): fn is run once more recording
    its graph, each op's own rule is checked alone at the values it saw, and the message
    names the op whose rule is wrong (``err.culprit``, ``err.node``), where the user's code
    called it, its input shapes and worst element — or says that no rule is wrong (a kink,
    or fn is not pure). Inputs in float32 are checked at float64 copies when fn accepts
    them (its outputs then come out float64); otherwise the message says float32 is too
    coarse to judge.

    >>> x = autograd.tensor([0.5, -1.0], dtype="float64", requires_grad=True)
    >>> autograd.gradcheck(lambda x: x.sin() * x, x)
    True
    """
    if not (check_backward_ad or check_forward_ad):
        raise ValueError("gradcheck: check_backward_ad and check_forward_ad are both False, "
                         "so there is nothing to check")
    inputs, coarse = _upcast(fn, inputs)
    checker = _Checker(fn, inputs, eps, atol, rtol, nondet_tol)
    try:
        return _conclude(checker, fast_mode, check_backward_ad, check_forward_ad, True)
    except GradcheckError as err:
        if not raise_exception:
            return False
        if coarse:
            lines = [f"    {line}" for line in str(err).splitlines() if "kink" not in line]
            raise GradcheckError("\n".join([coarse, "  The comparison, for reference:"] + lines)
                                 ) from None
        if not localize:
            raise
        from ._localize import localize as search

        finding = search(fn, checker.args, dict(
            eps=eps, atol=atol, rtol=rtol, nondet_tol=nondet_tol,
            check_forward_ad=check_forward_ad, check_backward_ad=check_backward_ad), gradcheck)
        located = GradcheckError(str(err) + finding.text)
        located.culprit, located.node, located.output = finding.culprit, finding.node, \
            finding.output
        raise located from None


def _upcast(fn, inputs):
    """(inputs, None) with float64 copies of lower-precision inputs that require grad when
    fn runs on them and returns float64; else (inputs, the message saying float32 is too
    coarse, for a failure)."""
    args = _as_tuple(inputs)
    low = [i for i, x in enumerate(args) if _requires_grad(x) and x.dtype != np.float64]
    if not low:
        return inputs, None
    copies = tuple(Tensor(np.asarray(x._data, dtype=np.float64), requires_grad=True)
                   if i in low else x for i, x in enumerate(args))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outputs = _as_tuple(fn(*copies))
        if all(np.result_type(_data(o)) == np.float64 for o in outputs
               if np.result_type(_data(o)).kind == "f"):
            warnings.warn(f"gradcheck: {', '.join(f'input {i} is {args[i].dtype}' for i in low)}"
                          ": checked at a float64 copy (finite differences in lower precision "
                          "are too coarse)", stacklevel=3)
            return copies, None
    except Exception:  # noqa: BLE001 (fn refuses float64: check as given, and say so)
        pass
    dtypes = ", ".join(f"input {i} is {args[i].dtype}" for i in low)
    return inputs, (
        f"gradcheck: {dtypes}, and fn does not run on a float64 copy (it fails or returns "
        "lower precision), so the check ran in that precision, whose finite differences "
        "are too coarse to judge derivatives: this failure says nothing about the rules. "
        "Make fn accept float64 inputs, or check a float64 version of it.")


def gradgradcheck(fn, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, *, fast_mode=False, nondet_tol=0.0):
    """Check second derivatives: `gradcheck` of the function
    ``(inputs..., grad_outputs...) -> grad(fn(*inputs), inputs, grad_outputs)``, whose own
    derivatives come from differentiating ``fn``'s backward rules (``create_graph=True``).

    ``grad_outputs`` (one per output of ``fn``) are random float64 tensors from the library's
    generator unless given; given ones that are not Tensors requiring grad stay constant.
    Other arguments are as in `gradcheck`.

    >>> x = autograd.tensor([0.5, -1.0], dtype="float64", requires_grad=True)
    >>> autograd.gradgradcheck(lambda x: x ** 3, x)
    True
    """
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        grad_outputs = _random_like(fn(*inputs))
    grad_outputs = _as_tuple(grad_outputs)
    checker = _Checker(_gradient_function(fn, len(inputs)), inputs + grad_outputs, eps, atol,
                       rtol, nondet_tol, "gradgradcheck (the second-derivative check)",
                       _legend(inputs, len(grad_outputs)))
    return _conclude(checker, fast_mode, True, False, raise_exception)


def _conclude(checker, fast, backward, forward, raise_exception):
    """Run the check; show its warnings at the caller's line; True, else False or raise."""
    try:
        checker.run(fast, backward, forward)
        return True
    except GradcheckError:
        if raise_exception:
            raise
        return False
    finally:
        for note in checker.notes:
            warnings.warn(note, stacklevel=3)


def _random_like(outputs):
    """One float64 standard-normal Tensor (requiring grad) shaped like each output."""
    return tuple(Tensor(generator().standard_normal(np.shape(_data(o))), requires_grad=True,
                        dtype=np.float64) for o in _as_tuple(outputs))


def _gradient_function(fn, n_inputs):
    """``(inputs..., grad_outputs...) ->`` the gradients of ``fn`` for its inputs that require
    grad (zeros where unused), recorded so that they can be differentiated again."""
    def gradients(*args):
        inputs, grad_outputs = args[:n_inputs], args[n_inputs:]
        # outputs that do not require grad contribute nothing, and grad() refuses them
        pairs = [(o, g) for o, g in zip(_as_tuple(fn(*inputs)), grad_outputs, strict=True)
                 if _requires_grad(o)]
        wrt = [x for x in inputs if _requires_grad(x)]
        grads = grad([o for o, _ in pairs], wrt, [g for _, g in pairs], create_graph=True,
                     allow_unused=True)
        return tuple(Tensor(np.zeros_like(x._data)) if g is None else g for g, x in zip(grads, wrt))

    return gradients


def _legend(inputs, n_grad_outputs):
    """How gradgradcheck's inputs and outputs relate to fn's, for its failure messages."""
    n = len(inputs)
    wrt = [i for i, x in enumerate(inputs) if _requires_grad(x)]
    outputs = ", ".join(f"output {j} is the gradient for fn's input {i}" for j, i in enumerate(wrt))
    grad_outputs = ", ".join(f"input {n + k} is grad_outputs[{k}]" for k in range(n_grad_outputs))
    return ("\n  (This is the second-derivative check: gradcheck of the first derivatives "
            "G(inputs..., grad_outputs...) = grad(fn(*inputs), inputs, grad_outputs). "
            f"Inputs 0 to {n - 1} are fn's inputs, {grad_outputs}; {outputs}.)")


class _Numeric(NamedTuple):
    """The finite-difference Jacobians (blocks) and where they show a kink."""
    right: list
    left: list
    kinks: list


class _Checker:
    """One check of ``fn`` at ``inputs``. It works on copies of the inputs (the user's arrays
    are never perturbed) and gathers the warnings to show in ``notes``."""

    def __init__(self, fn, inputs, eps, atol, rtol, nondet_tol, title="gradcheck", legend=""):
        self.fn = fn
        self.args = [Tensor(np.array(x._data), requires_grad=x.requires_grad)
                     if isinstance(x, Tensor) else x for x in _as_tuple(inputs)]
        self.wrt = [i for i, x in enumerate(self.args) if _requires_grad(x)]
        if not self.wrt:
            raise ValueError(f"{title}: no input requires grad, so there is nothing to check; "
                             "create the inputs with requires_grad=True")
        self.eps, self.atol, self.rtol, self.nondet_tol = eps, atol, rtol, nondet_tol
        self.title = title
        self.legend = legend  # appended to failure messages
        self.out_shapes = [v.shape for v in self.values()]
        self.notes = [f"{title}: input {i} has dtype {self.args[i].dtype}, not float64; finite "
                      "differences in lower precision are too coarse, so the check will likely "
                      "fail. Create it with dtype='float64'."
                      for i in self.wrt if self.args[i].dtype != np.float64]

    def run(self, fast, backward, forward):
        """The fast check when asked; the full one when not, or to locate what it found."""
        if fast and self.projections_agree(backward, forward):
            return
        self.check_every_entry(backward, forward)

    # ------------------------------------------------------------- evaluating fn
    def outputs(self, wrt_values=None):
        """fn's outputs as a tuple; ``wrt_values`` replace the inputs that require grad."""
        args = list(self.args)
        for i, x in zip(self.wrt, wrt_values or ()):
            args[i] = x
        return _as_tuple(self.fn(*args))

    def values(self):
        """fn's outputs as float64 copies (an output may be a view of a perturbed input)."""
        return [np.array(_data(o), dtype=np.float64) for o in self.outputs()]

    def shifted(self, x, shift):
        """fn's values with the input array ``x`` moved by ``shift``, then restored exactly."""
        original = x.copy()
        x += shift
        values = self.values()
        np.copyto(x, original)
        return values

    def zero_blocks(self):
        return [[np.zeros((math.prod(shape), self.args[i].size)) for i in self.wrt]
                for shape in self.out_shapes]

    # ------------------------------------------------------------- the full check
    def check_every_entry(self, backward, forward):
        numeric = self.numeric()
        if backward:
            first, second = self.backward_jacobians()
            self.expect_deterministic(first, second)
            self.expect_close(first, numeric, "backward (vjp)")
        if forward:
            self.expect_close(self.forward_jacobian(), numeric, "forward-mode (jvp)")

    def numeric(self):
        right, left = self.one_sided_differences(self.eps)
        return _Numeric(right, left, self.kinks(right, left))

    def one_sided_differences(self, h):
        """The Jacobians (f(x+h) - f(x)) / h and (f(x) - f(x-h)) / h, one input element at a
        time; their mean is the central difference. Apart they reveal kinks."""
        base = self.values()
        right, left = self.zero_blocks(), self.zero_blocks()
        for c, i in enumerate(self.wrt):
            x = self.args[i]._data
            for j in range(x.size):
                step = np.zeros(x.shape)
                step.flat[j] = h
                plus, minus = self.shifted(x, step), self.shifted(x, -step)
                for k, f in enumerate(base):
                    right[k][c][:, j] = (plus[k] - f).ravel() / h
                    left[k][c][:, j] = (f - minus[k]).ravel() / h
        return right, left

    def kinks(self, right, left):
        """Entries where the one-sided differences disagree beyond tolerance, and still do at
        half the step: for a smooth function the gap is curvature (f'' h), which halves with
        h; at a kink it stays."""
        suspects = [[~self.close(r, l) for r, l in zip(*rows)] for rows in zip(right, left)]
        if not any(s.any() for row in suspects for s in row):
            return suspects
        if not self.pure():  # differences of a function that draws or keeps state: no kink
            return [[np.zeros_like(s) for s in row] for row in suspects]
        right2, left2 = self.one_sided_differences(self.eps / 2)
        return [[s & ~self.close(r2 - l2, (r - l) / 2) for s, r, l, r2, l2 in zip(*rows)]
                for rows in zip(suspects, right, left, right2, left2)]

    def pure(self):
        """Whether two runs at the same inputs give the same values."""
        return all(np.array_equal(a, b, equal_nan=True)
                   for a, b in zip(self.values(), self.values()))

    def backward_jacobians(self):
        """The Jacobian row by row: one backward per output element (seed one-hot), done
        twice with the same seed, so that a nondeterministic backward shows as a difference."""
        outputs, xs = self.outputs(), self.wrt_tensors()
        runs = self.zero_blocks(), self.zero_blocks()
        for k, out in enumerate(outputs):
            if not _requires_grad(out):  # a constant output: its rows stay zero
                continue
            for m in range(out.size):
                seed = np.zeros(out.shape, out.dtype)
                seed.flat[m] = 1
                for jacobian in runs:
                    for c, g in enumerate(_vjp(out, xs, seed)):
                        jacobian[k][c][m] = g
        return runs

    def forward_jacobian(self):
        """The Jacobian column by column: one jvp per input element (tangent one-hot)."""
        jacobian = self.zero_blocks()
        for c, i in enumerate(self.wrt):
            for j in range(self.args[i].size):
                tangents = [np.zeros(x.shape) for x in self.wrt_tensors()]
                tangents[c].flat[j] = 1
                for k, column in enumerate(self.push(tangents)):
                    jacobian[k][c][:, j] = column
        return jacobian

    def wrt_tensors(self):
        return [self.args[i] for i in self.wrt]

    def push(self, tangents):
        """J @ tangents by forward mode, flattened per output (float64)."""
        _, out_tangents = jvp(lambda *xs: self.outputs(xs), self.wrt_tensors(), tangents)
        return [np.asarray(_data(t), dtype=np.float64).ravel() for t in out_tangents]

    def expect_deterministic(self, first, second):
        """Raise if two backward passes with the same seed gave different Jacobians."""
        for k, c in self.blocks():
            a, b = first[k][c], second[k][c]
            bad = ~self.repeatable(a, b)
            if bad.any():
                m, j = np.unravel_index(_worst(bad, a, b), a.shape)
                raise GradcheckError(
                    f"{self.title}: the backward is nondeterministic: two backward passes with "
                    f"the same grad_output gave different gradients of output {k} with respect "
                    f"to input {self.wrt[c]}.\n"
                    f"  at {self.entry(k, c, m, j)}\n"
                    f"    first pass:  {a[m, j]:.10g}\n"
                    f"    second pass: {b[m, j]:.10g}\n"
                    f"  they may differ by at most nondet_tol={self.nondet_tol}; pass a larger "
                    "nondet_tol if the nondeterminism is expected." + self.legend)

    def expect_close(self, analytic, numeric, rule):
        """Raise if an analytic entry matches neither the central difference nor, at a kink,
        a one-sided difference; add a note for the kinks that were let through."""
        failing = []
        for k, c in self.blocks():
            a, r, l = analytic[k][c], numeric.right[k][c], numeric.left[k][c]
            kink = numeric.kinks[k][c]
            on_left, on_right, on_mean, between = self.fits(a, r, l)
            accepted = on_mean | kink & (on_left | on_right | between)
            if (kink & accepted).any():
                self.notes.append(self.kink_note(k, c, kink & accepted, a, r, l, rule))
            if not accepted.all():
                failing.append((k, c, ~accepted))
        if failing:
            raise GradcheckError(self.mismatch(failing, analytic, numeric, rule) + self.legend)

    def close(self, a, b):
        """The pass criterion, entry by entry (as numpy.isclose): |a - b| <= atol + rtol |b|."""
        return np.abs(a - b) <= self.atol + self.rtol * np.abs(b)

    def fits(self, a, r, l):
        """Whether the analytic entries match the left, the right and the central difference,
        and whether they lie between the left and the right one (within tolerance)."""
        low, high = np.minimum(l, r), np.maximum(l, r)
        between = (a >= low - self.atol - self.rtol * np.abs(low)) & \
            (a <= high + self.atol + self.rtol * np.abs(high))
        return self.close(a, l), self.close(a, r), self.close(a, (r + l) / 2), between

    def repeatable(self, first, second):
        """Whether two backward passes agree within nondet_tol (the same NaN counts as agreeing)."""
        return np.isclose(first, second, rtol=0, atol=self.nondet_tol, equal_nan=True)

    def blocks(self):
        return [(k, c) for c in range(len(self.wrt)) for k in range(len(self.out_shapes))]

    # ------------------------------------------------------------- the fast check
    def projections_agree(self, backward, forward):
        """Compare vₖᵀ Jₖᵢ uᵢ from each rule with the directional central difference, for
        random unit vectors u (one per input) and v (one per output)."""
        us = [_unit_random(self.args[i].shape) for i in self.wrt]
        vs = [_unit_random(shape) for shape in self.out_shapes]
        numeric = self.directional_differences(us, vs)
        # entries each within atol keep the projection within atol * |v|_1 * |u|_1
        atol = self.atol * np.outer([np.abs(v).sum() for v in vs], [np.abs(u).sum() for u in us])

        def agrees(analytic):
            return np.all(np.abs(analytic - numeric) <= atol + self.rtol * np.abs(numeric))

        agree = True
        if backward:
            first, second = self.backward_projections(us, vs)
            agree = agrees(first) and np.all(self.repeatable(first, second))
        if forward:
            agree = agree and agrees(self.forward_projections(us, vs))
        return agree

    def directional_differences(self, us, vs):
        numeric = np.zeros((len(vs), len(us)))
        for c, (i, u) in enumerate(zip(self.wrt, us)):
            x = self.args[i]._data
            plus, minus = self.shifted(x, self.eps * u), self.shifted(x, -self.eps * u)
            numeric[:, c] = [np.vdot(v, p - q) / (2 * self.eps) for v, p, q in zip(vs, plus, minus)]
        return numeric

    def backward_projections(self, us, vs):
        """vₖᵀ Jₖᵢ uᵢ from one backward per output seeded with vₖ, done twice."""
        outputs, xs = self.outputs(), self.wrt_tensors()
        runs = np.zeros((2, len(vs), len(us)))
        for k, (out, v) in enumerate(zip(outputs, vs)):
            if _requires_grad(out):
                for run in runs:
                    run[k] = [np.vdot(g, u) for g, u in zip(_vjp(out, xs, v), us)]
        return runs

    def forward_projections(self, us, vs):
        """vₖᵀ Jₖᵢ uᵢ from one jvp per input with tangent uᵢ (zero for the other inputs)."""
        projections = np.zeros((len(vs), len(us)))
        for c in range(len(us)):
            tangents = [u if d == c else np.zeros_like(u) for d, u in enumerate(us)]
            projections[:, c] = [np.vdot(v, t) for v, t in zip(vs, self.push(tangents))]
        return projections

    # ------------------------------------------------------------- messages
    def entry(self, k, c, m, j):
        """'output 1 element [0, 2], input 0 element [1]': entry (m, j) of block (k, c)."""
        return (f"{_element('output', k, self.out_shapes[k], m)}, "
                f"{_element('input', self.wrt[c], self.args[self.wrt[c]].shape, j)}")

    def mismatch(self, failing, analytic, numeric, rule):
        """The failure message for the first failing block, at its worst entry."""
        k, c, bad = failing[0]
        a, r, l = analytic[k][c], numeric.right[k][c], numeric.left[k][c]
        n = (r + l) / 2
        m, j = np.unravel_index(_worst(bad, a, n), a.shape)
        lines = [
            f"{self.title}: the {rule} rule disagrees with finite differences for the derivative "
            f"of output {k} with respect to input {self.wrt[c]}.",
            f"  worst element: {self.entry(k, c, m, j)}",
            f"    analytic, from the {rule} rule: {a[m, j]:.10g}",
            f"    numeric (central difference, eps={self.eps}): {n[m, j]:.10g}",
            f"    relative error |a - n| / max(|a|, |n|) = {_relative_error(a[m, j], n[m, j]):.3g}"]
        if numeric.kinks[k][c][m, j]:
            lines.append(f"  This point is at a kink (a non-differentiable point): the one-sided "
                         f"differences are {l[m, j]:.10g} (left) and {r[m, j]:.10g} (right), and "
                         "the analytic value lies outside them.")
        lines.append(f"  {bad.sum()} of {bad.size} entries of this Jacobian block fail "
                     f"|a - n| <= atol + rtol * |n| (atol={self.atol}, rtol={self.rtol}).")
        if len(failing) > 1:
            others = ", ".join(f"output {k} / input {self.wrt[c]}" for k, c, _ in failing[1:])
            lines.append(f"  Also failing: {others}.")
        return "\n".join(lines)

    def kink_note(self, k, c, kinks, a, r, l, rule):
        """The warning for the kinks of block (k, c) that were not counted as failures."""
        m, j = np.unravel_index(np.flatnonzero(kinks)[0], a.shape)
        names = ("matches the left one", "matches the right one",
                 "matches their mean (the central difference)",
                 "lies between them (a subgradient)")
        fits = self.fits(a[m, j], r[m, j], l[m, j])
        matched = next(name for name, fit in zip(names, fits) if fit)
        more = f" ({kinks.sum() - 1} more such entries in this block)" if kinks.sum() > 1 else ""
        return (f"{self.title}: {self.entry(k, c, m, j)} is at a kink (a non-differentiable "
                f"point): the one-sided differences are {l[m, j]:.6g} (left) and {r[m, j]:.6g} "
                f"(right). The {rule} rule gives {a[m, j]:.6g}, which {matched}, so "
                f"it is not counted as a failure{more}.")


def _requires_grad(x):
    return isinstance(x, Tensor) and x.requires_grad


def _data(x):
    return x._data if isinstance(x, Tensor) else x


def _vjp(out, xs, seed):
    """seedᵀ J for each of ``xs``, flattened to float64 (zeros where ``out`` does not use x);
    the graph is kept for the next seed."""
    grads = grad(out, xs, seed, retain_graph=True, allow_unused=True)
    return [np.zeros(x.size) if g is None else np.asarray(g._data, dtype=np.float64).ravel()
            for g, x in zip(grads, xs)]


def _unit_random(shape):
    """A random direction of unit length, from the library's generator."""
    v = generator().standard_normal(shape)
    return v / (np.linalg.norm(v) or 1.0)  # `or`: an empty tensor has no direction


def _relative_error(a, b):
    """|a - b| / max(|a|, |b|), the course notes' definition (0 where both are 0)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.maximum(np.abs(a), np.abs(b))
    return np.divide(np.abs(a - b), scale, out=np.zeros_like(scale), where=scale != 0)


def _worst(bad, a, b):
    """The flat index of the flagged entry with the largest relative error (ties: the largest
    absolute error); NaN counts as the worst."""
    flagged = np.flatnonzero(bad)
    relative = _relative_error(a, b).ravel()[flagged]
    absolute = np.abs(a - b).ravel()[flagged]
    return flagged[np.lexsort((absolute, relative))[-1]]


def _element(kind, index, shape, flat):
    """'input 0 element [1, 2]' (a 0-d tensor has a single element: 'input 0 (0-d)')."""
    if not shape:
        return f"{kind} {index} (0-d)"
    position = ", ".join(str(int(p)) for p in np.unravel_index(flat, shape))
    return f"{kind} {index} element [{position}]"
