"""Property-based fuzzing (hypothesis): random chains of 3 to 6 registered ops on random
float64 shapes, each chain checked three ways:

- its reverse- and forward-mode derivatives against central differences (`gradcheck`,
  which also accepts a one-sided derivative at a kink, with a warning);
- forward mode against reverse mode: ``v · (J u) == (Jᵀ v) · u`` for random u, v;
- the same chain built twice gives bit-identical values and gradients.

Values come from a numpy generator seeded by hypothesis (generic points: no exact zeros or
ties for relu, abs, max or maximum to sit on). Each op draws its parameters (axes, keepdims,
indices, shapes) from the shape it receives; binary ops and matmuls bring a new leaf of a
broadcastable or matching shape, so gradients also flow into several inputs.

The default run is a fast, derandomized profile (the same examples every run, a few
seconds); ``make fuzz`` (``AUTOGRAD_FUZZ=long``) draws thousands of fresh chains.
"""
import math
import os
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

import autograd
from autograd import registry

LONG = os.environ.get("AUTOGRAD_FUZZ") == "long"
FUZZ = settings(max_examples=4000 if LONG else 60, derandomize=not LONG, deadline=None,
                database=None, print_blob=LONG,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
MAX_SIZE = 24  # elements in any intermediate: gradcheck costs two calls per input element
OPS = registry.names()


def op(name):
    """The registered op ``name`` (the fuzz draws only ops the registry declares)."""
    return OPS[name]


# ------------------------------------------------------------------ one step of a chain
# Each maker takes (draw, x, rng) -- x the current tensor -- and returns (label, fn, leaves):
# fn(x, *leaves) computes the step; leaves are new float64 inputs requiring grad.
def _leaf(rng, shape, positive=False):
    values = rng.uniform(0.5, 2.0, shape) if positive else rng.uniform(-2.0, 2.0, shape)
    return autograd.tensor(values, dtype="float64", requires_grad=True)


def _axis(draw, ndim):
    return draw(st.integers(-ndim, ndim - 1))


def _axes(draw, ndim):
    """None, one axis, or a tuple of distinct axes (some negative)."""
    if ndim == 0 or draw(st.booleans()):
        return None
    picked = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    axes = tuple(a - ndim if draw(st.booleans()) else a for a in picked)
    return axes[0] if len(axes) == 1 and draw(st.booleans()) else axes


UNARY = {  # smooth on the values they meet, or with kinks that generic points avoid
    "sin": lambda x: op("sin")(x), "cos": lambda x: op("cos")(x),
    "tanh": lambda x: op("tanh")(x), "sigmoid": lambda x: op("sigmoid")(x),
    "erf": lambda x: op("erf")(x), "neg": lambda x: op("neg")(x),
    "exp": lambda x: op("exp")(op("tanh")(x)),  # bounded input: no overflow down the chain
    "log": lambda x: op("log")(x * x + 0.5), "log1p": lambda x: op("log1p")(x * x),
    "sqrt": lambda x: op("sqrt")(x * x + 0.1), "expm1": lambda x: op("expm1")(op("sin")(x)),
    "abs": lambda x: op("abs")(x), "relu": lambda x: op("relu")(x),
    "clip": lambda x: op("clip")(x, -1.0, 1.0),
    "logaddexp": lambda x: op("logaddexp")(0.0, x),
    "power": lambda x: op("power")(x, 2),
}


def unary(draw, x, rng):
    name = draw(st.sampled_from(sorted(UNARY)))
    return name, UNARY[name], ()


def _broadcastable(draw, shape):
    """A shape that broadcasts against ``shape`` to ``shape``: leading axes dropped, some
    axes of size 1."""
    keep = draw(st.integers(0, len(shape)))
    tail = shape[len(shape) - keep:]
    return tuple(1 if draw(st.booleans()) else n for n in tail)


BINARY = {
    "add": lambda x, y: x + y, "sub": lambda x, y: y - x, "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y, "rdiv": lambda x, y: y / (x * x + 1),
    "maximum": lambda x, y: op("maximum")(x, y), "minimum": lambda x, y: op("minimum")(y, x),
    "power": lambda x, y: op("power")(y, x),  # y > 0
    "where": lambda x, y: op("where")(x.numpy() > 0, x, y),
    "logaddexp": lambda x, y: op("logaddexp")(x, y),
}
POSITIVE_OPERAND = {"div", "power"}


def binary(draw, x, rng):
    name = draw(st.sampled_from(sorted(BINARY)))
    other = _broadcastable(draw, x.shape)
    if draw(st.booleans()):  # broadcast the chain itself instead: a leaf of a larger shape
        other = (draw(st.integers(1, 2)),) + tuple(n if n != 1 else draw(st.integers(1, 3))
                                                   for n in x.shape)
    y = _leaf(rng, other, positive=name in POSITIVE_OPERAND)
    return f"{name} with {other}", BINARY[name], (y,)


REDUCTIONS = ("sum", "mean", "prod", "amax", "amin", "logsumexp", "var", "std", "norm")


def reduction(draw, x, rng):
    name = draw(st.sampled_from(REDUCTIONS))
    axes, keepdims = _axes(draw, x.ndim), draw(st.booleans())
    if name == "norm":
        return f"norm(dim={axes}, keepdim={keepdims})", \
            lambda x: op("norm")(x, 2, axes, keepdims), ()
    extra = {"correction": 0} if name in ("var", "std") else {}  # any axis size, even 1
    return f"{name}(axis={axes}, keepdims={keepdims})", \
        lambda x: op(name)(x, axes, keepdims=keepdims, **extra), ()


def along_axis(draw, x, rng):
    """Softmax-like ops along one axis (they keep the shape)."""
    assume(x.ndim >= 1)
    name, axis = draw(st.sampled_from(["softmax", "log_softmax"])), _axis(draw, x.ndim)
    return f"{name}(axis={axis})", lambda x: op(name)(x, axis), ()


def matmul(draw, x, rng):
    """x @ W, W @ x, or a vector product, batched by broadcasting where x has more axes."""
    assume(x.ndim >= 1)
    k = draw(st.integers(1, 3))
    form = draw(st.sampled_from(["x@W", "W@x", "x@v", "v@x", "dot"]))
    n = x.shape[-1]
    if form == "x@W":
        w = _leaf(rng, (n, k))
        return f"matmul x {x.shape} @ W {w.shape}", lambda x, w: x @ w, (w,)
    if form == "x@v":
        v = _leaf(rng, (n,))
        return f"matmul x {x.shape} @ v {v.shape}", lambda x, v: op("matmul")(x, v), (v,)
    if form == "dot":  # PyTorch's dot: two vectors
        assume(x.ndim == 1)
        v = _leaf(rng, (n,))
        return f"dot x {x.shape}, v {v.shape}", lambda x, v: op("dot")(x, v), (v,)
    m = x.shape[-2] if x.ndim >= 2 else x.shape[0]
    if form == "v@x":
        v = _leaf(rng, (m,))
        return f"matmul v {v.shape} @ x {x.shape}", lambda x, v: v @ x, (v,)
    w = _leaf(rng, (k, m))
    return f"matmul W {w.shape} @ x {x.shape}", lambda x, w: op("matmul")(w, x), (w,)


def indexing(draw, x, rng):
    """Basic (ints, slices with steps, None, ...) and fancy (integer arrays with repeats,
    boolean masks, gather) indexing."""
    assume(x.ndim >= 1)
    form = draw(st.sampled_from(["basic", "fancy", "mask", "gather"]))
    if form == "basic":
        index = []
        for n in x.shape:
            kind = draw(st.sampled_from(["int", "slice", "all"] if n else ["all"]))
            if kind == "int":
                index.append(draw(st.integers(-n, n - 1)))
            elif kind == "slice":
                start, step = draw(st.integers(0, n - 1)), draw(st.sampled_from([1, 2, -1]))
                index.append(slice(start, None, step))
            else:
                index.append(slice(None))
        if draw(st.booleans()):
            index.insert(draw(st.integers(0, len(index))), None)
        if draw(st.booleans()) and len(index) > 1:
            index = [Ellipsis] + index[2:]
        index = tuple(index)
        return f"x[{index}]", lambda x: x[index], ()
    if form == "fancy":
        axis = draw(st.integers(0, x.ndim - 1))
        assume(x.shape[axis] > 0)
        picks = draw(st.lists(st.integers(-x.shape[axis], x.shape[axis] - 1), min_size=1,
                              max_size=4))
        index = (slice(None),) * axis + (np.array(picks),)
        return f"x[{index}] (repeats add up)", lambda x: x[index], ()
    if form == "mask":
        mask = rng.uniform(size=x.shape) < 0.6
        assume(mask.any())
        return f"x[mask {mask.astype(int).tolist()}]", lambda x: x[mask], ()
    axis = draw(st.integers(0, x.ndim - 1))
    assume(x.shape[axis] > 0)
    shape = x.shape[:axis] + (draw(st.integers(1, 3)),) + x.shape[axis + 1:]
    index = autograd.tensor(rng.integers(0, x.shape[axis], shape))
    return f"gather(dim={axis}, index {index.tolist()})", \
        lambda x: op("gather")(x, axis, index), ()


def shape_op(draw, x, rng):
    name = draw(st.sampled_from(["reshape", "transpose", "swapaxes", "expand_dims",
                                 "squeeze", "flatten", "concatenate", "stack", "repeat",
                                 "expand", "pad", "split", "permute"]))
    if name == "reshape":
        assume(x.size > 0)
        sizes = [n for n in range(1, x.size + 1) if x.size % n == 0]
        first = draw(st.sampled_from(sizes))
        shape = (first, -1) if draw(st.booleans()) else (x.size // first, first, 1)
        return f"reshape{shape}", lambda x: x.reshape(shape), ()
    if name in ("transpose", "permute"):
        order = tuple(draw(st.permutations(range(x.ndim))))
        return f"{name}{order}", lambda x: op(name)(x, *order) if order else x.T, ()
    if name == "swapaxes":
        assume(x.ndim >= 1)
        a, b = _axis(draw, x.ndim), _axis(draw, x.ndim)
        return f"swapaxes({a}, {b})", lambda x: op("swapaxes")(x, a, b), ()
    if name == "expand_dims":
        axis = _axis(draw, x.ndim + 1)
        return f"unsqueeze({axis})", lambda x: x.unsqueeze(axis), ()
    if name == "squeeze":
        return "squeeze()", lambda x: x.squeeze(), ()
    if name == "flatten":
        return "flatten()", lambda x: x.flatten(), ()
    if name in ("concatenate", "stack"):
        assume(x.ndim >= 1 or name == "stack")
        axis = _axis(draw, x.ndim + (name == "stack"))
        y = _leaf(rng, x.shape)
        return f"{name}([x, y, x], {axis})", lambda x, y: op(name)([x, y, x], axis), (y,)
    if name == "repeat":
        reps = tuple(draw(st.lists(st.integers(1, 2), min_size=x.ndim, max_size=x.ndim + 1)))
        assume(reps)
        return f"repeat{reps}", lambda x: x.repeat(*reps), ()
    if name == "expand":
        sizes = (draw(st.integers(1, 2)),) + tuple(
            n if n != 1 or draw(st.booleans()) else draw(st.integers(1, 3)) for n in x.shape)
        sizes = tuple(-1 if s == n and draw(st.booleans()) else s
                      for s, n in zip(sizes, (1,) + x.shape))
        return f"expand{sizes}", lambda x: x.expand(*sizes), ()
    if name == "pad":
        widths = tuple((draw(st.integers(0, 1)), draw(st.integers(0, 1))) for _ in x.shape)
        value = draw(st.sampled_from([0.0, 1.5]))
        return f"pad({widths}, {value})", \
            lambda x: op("pad")(x, widths, constant_values=value) if widths else x + 0, ()
    assume(x.ndim >= 1)  # split: keep one part
    axis = _axis(draw, x.ndim)
    at = draw(st.integers(0, x.shape[axis]))
    part = draw(st.integers(0, 1))
    return f"split(at {at}, axis {axis})[{part}]", \
        lambda x: np.split(x, [at], axis)[part], ()  # numpy's split points, on a Tensor


STEPS = [unary, unary, binary, binary, reduction, along_axis, matmul, indexing, indexing,
         shape_op, shape_op]


@st.composite
def chains(draw):
    """(description, fn(*leaves), leaves): a chain of 3 to 6 steps from one random leaf."""
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=3)))
    leaves = [_leaf(rng, shape)]
    steps, x = [], leaves[0]
    for _ in range(draw(st.integers(3, 6))):
        maker = draw(st.sampled_from(STEPS))
        label, fn, new = maker(draw, x, rng)
        position = len(leaves)
        try:
            x = fn(x, *new)
        except autograd.AutogradError:  # the library's own refusal (max of nothing): fine
            assume(False)
        assume(x.size <= MAX_SIZE)
        leaves.extend(new)
        steps.append((label, fn, position, len(new)))
    return steps, leaves


def run(steps, leaves, seen=None):
    """The chain as a function of its leaves (each intermediate value appended to ``seen``)."""
    x = leaves[0]
    for _, fn, position, count in steps:
        x = fn(x, *leaves[position:position + count])
        if seen is not None:
            seen.append(x)
    return x


def describe(steps, leaves):
    return (f"leaf 0 of shape {leaves[0].shape}; " +
            " -> ".join(label for label, *_ in steps))


def usable(out):
    """A chain whose value is finite, moderate and not constant (so gradcheck's tolerances
    mean something)."""
    values = out.numpy()
    return out.requires_grad and np.all(np.isfinite(values)) and np.all(np.abs(values) < 1e4)


def finite_throughout(steps, leaves):
    """A usable chain whose every intermediate value is finite too: an infinite one in the
    middle (logsumexp over an empty split, -inf) makes the chain rule multiply a zero
    tangent by an infinite partial, NaN in forward mode here as in PyTorch, while the
    finite differences see a constant."""
    seen = []
    return usable(run(steps, leaves, seen)) and all(np.all(np.isfinite(v.numpy())) for v in seen)


# ------------------------------------------------------------------ what the fuzz found
def test_an_infinite_value_in_the_middle_gives_forward_mode_nan_as_pytorch():
    """logsumexp over an empty split is -inf; squaring it downstream multiplies the (zero)
    tangent by an infinite partial: forward mode gives NaN, as torch.func.jvp does, where
    reverse mode, whose gradient never reaches the empty part, gives 0 (as torch's). The
    fuzz's gradient checks skip such chains (`finite_throughout`)."""
    x = autograd.tensor([0.5], dtype="float64", requires_grad=True)

    def f(x):
        lse = autograd.logsumexp(x[:0], 0)
        return 1 / (lse * lse + 1)

    assert np.isnan(autograd.jvp(f, x.detach(), autograd.ones(1, dtype="float64"))[1].item())
    assert autograd.grad(f(x), x)[0].tolist() == [0.0]


@pytest.mark.parametrize("reduce, grad", [
    (lambda x: x[:0].mean(), [0.0, 0.0]),                # nothing reaches x
    (lambda x: x[:1].var(ddof=1), [math.nan, 0.0]),      # 0 / 0 for x[0]
    (lambda x: x[:1].std(correction=1), [math.nan, 0.0]),
])
def test_a_mean_over_nothing_is_nan_with_a_gradient(reduce, grad):
    """An empty mean (split at 0, then mean) and the unbiased variance of one entry are NaN,
    as in numpy and PyTorch; their backward used to divide by the Python int 0 and raise
    ZeroDivisionError."""
    x = autograd.tensor([0.5, 2.0], dtype="float64", requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = reduce(x)
        out.backward()
    assert np.isnan(out.item())
    np.testing.assert_array_equal(x.grad.numpy(), grad)


def test_the_norm_of_zeros_has_slope_zero():
    """PyTorch's rule; sqrt's slope at 0 made it NaN (found as log_softmax of one entry,
    which is 0, then norm)."""
    x = autograd.zeros(3, dtype="float64", requires_grad=True)
    x.norm().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])


@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "logsumexp"])
def test_softmax_over_an_empty_axis_is_empty(fn):
    """An empty axis (a split at 0) gave numpy's bare "zero-size array to reduction
    operation maximum" error; PyTorch returns an empty result (logsumexp: -inf, the log of
    an empty sum)."""
    x = autograd.zeros(2, 0, dtype="float64", requires_grad=True)
    out = getattr(autograd, fn)(x, 1)
    expected = np.full(2, -np.inf) if fn == "logsumexp" else np.zeros((2, 0))
    np.testing.assert_array_equal(out.numpy(), expected)
    out.sum().backward()
    assert x.grad.shape == (2, 0)


# ------------------------------------------------------------------ the properties
def test_every_fuzzed_op_is_registered():
    names = set(UNARY) | {"maximum", "minimum", "where", "logaddexp", "matmul", "dot",
                          "softmax", "log_softmax", "gather", "swapaxes", "concatenate",
                          "stack", "pad", "split", "permute", "transpose"} | set(REDUCTIONS)
    missing = sorted(n for n in names if n not in OPS)
    assert not missing, f"the fuzz draws ops the registry does not declare: {missing}"


@FUZZ
@given(chains())
def test_gradients_match_central_differences_in_both_modes(chain):
    steps, leaves = chain
    note(describe(steps, leaves))
    assume(finite_throughout(steps, leaves))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a kink met by chance is accepted with a warning
        assert autograd.gradcheck(lambda *xs: run(steps, xs), tuple(leaves),
                                  check_forward_ad=True)


@FUZZ
@given(chains(), st.integers(0, 2 ** 32 - 1))
def test_forward_mode_agrees_with_reverse_mode(chain, seed):
    steps, leaves = chain
    note(describe(steps, leaves))
    assume(finite_throughout(steps, leaves))
    out = run(steps, leaves)
    rng = np.random.default_rng(seed)
    us = [rng.standard_normal(x.shape) for x in leaves]
    v = rng.standard_normal(out.shape)
    primals = [x.detach() for x in leaves]
    _, tangent = autograd.jvp(lambda *xs: run(steps, xs), tuple(primals), tuple(us))
    grads = autograd.grad(out, leaves, autograd.tensor(v, dtype="float64"), allow_unused=True)
    reverse = sum(float(np.sum(g.numpy() * u)) for g, u in zip(grads, us) if g is not None)
    forward = float(np.sum(tangent.numpy() * v))
    assert math.isclose(forward, reverse, rel_tol=1e-9, abs_tol=1e-9), (forward, reverse)


@FUZZ
@given(chains())
def test_the_same_chain_twice_gives_identical_values_and_gradients(chain):
    steps, leaves = chain
    note(describe(steps, leaves))
    results = []
    for _ in range(2):
        out = run(steps, leaves)
        seed = autograd.tensor(np.linspace(-1, 1, out.size).reshape(out.shape),
                               dtype="float64")
        grads = autograd.grad(out, leaves, seed, allow_unused=True)
        results.append((out.numpy(), [None if g is None else g.numpy() for g in grads]))
    (value_a, grads_a), (value_b, grads_b) = results
    np.testing.assert_array_equal(value_a, value_b)
    for a, b in zip(grads_a, grads_b):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_array_equal(a, b)
