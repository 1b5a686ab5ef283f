"""Property-based tests (hypothesis) for the two places gradients classically go wrong:
broadcasting (a gradient must be summed back to its input's shape) and indexing (repeated
indices accumulate; slices and masks scatter back). Expected gradients are computed here
independently of the engine: by counting, with np.bincount / np.add.at, which output
elements each input element feeds.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import autograd

SETTINGS = settings(max_examples=40, deadline=None, database=None)


def t64(values, requires_grad=True):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def unbroadcast(values, shape):
    """Sum ``values`` (of the broadcast shape) onto ``shape`` by counting where each element
    of an array of ``shape`` lands when broadcast: no axis bookkeeping, so it is an
    independent oracle for the engine's sum_to."""
    size = int(np.prod(shape, dtype=int))
    owner = np.broadcast_to(np.arange(size).reshape(shape), values.shape)
    return np.bincount(owner.ravel(), weights=values.ravel(), minlength=size).reshape(shape)


def sum_over_broadcast_axes(values, shape):
    """The same reduction by axes: the leading axes, then the size-1 axes of ``shape``."""
    lead = values.ndim - len(shape)
    out = values.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and out.shape[i] != 1)
    return out.sum(axis=axes, keepdims=True).reshape(shape)


# op -> (forward, local partial derivatives (da, db) on broadcast numpy arrays, input kinds)
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: (np.ones_like(a), np.ones_like(b)), "any"),
    "sub": (lambda a, b: a - b, lambda a, b: (np.ones_like(a), -np.ones_like(b)), "any"),
    "mul": (lambda a, b: a * b, lambda a, b: (b, a), "any"),
    "div": (lambda a, b: a / b, lambda a, b: (1 / b, -a / b ** 2), "positive b"),
    "power": (lambda a, b: a ** b, lambda a, b: (b * a ** (b - 1), a ** b * np.log(a)),
              "positive a"),
    "maximum": (autograd.maximum, lambda a, b: ((a > b) * 1.0, (b > a) * 1.0), "any"),
    "minimum": (autograd.minimum, lambda a, b: ((a < b) * 1.0, (b < a) * 1.0), "any"),
}

SHAPES = mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)


def _operands(shapes, kind, seed):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-2, 2, shapes.input_shapes[0])
    b = rng.uniform(-2, 2, shapes.input_shapes[1])
    if kind == "positive b":
        b = np.abs(b) + 0.5
    if kind == "positive a":
        a = np.abs(a) + 0.5
    return a, b, rng.standard_normal(shapes.result_shape)


@pytest.mark.parametrize("name", list(BINARY))
@SETTINGS
@given(shapes=SHAPES, seed=st.integers(0, 2 ** 32 - 1))
def test_binary_op_gradients_are_summed_over_broadcast_axes(name, shapes, seed):
    forward, partials, kind = BINARY[name]
    a0, b0, g = _operands(shapes, kind, seed)
    a, b = t64(a0), t64(b0)
    out = forward(a, b)
    assert out.shape == shapes.result_shape
    ga, gb = autograd.grad(out, (a, b), g)
    assert ga.shape == a0.shape and gb.shape == b0.shape
    assert ga.dtype == gb.dtype == np.float64
    da, db = partials(*np.broadcast_arrays(a0, b0))
    for got, local, x0 in ((ga, da, a0), (gb, db, b0)):
        expected = unbroadcast(g * local, x0.shape)
        np.testing.assert_allclose(got.data, expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(got.data, sum_over_broadcast_axes(g * local, x0.shape),
                                   rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", list(BINARY))
@SETTINGS
@given(shapes=SHAPES, seed=st.integers(0, 2 ** 32 - 1))
def test_binary_op_tangents_broadcast_forward(name, shapes, seed):
    """Forward mode: the output tangent is da * ta + db * tb, broadcast to the result."""
    forward, partials, kind = BINARY[name]
    a0, b0, _ = _operands(shapes, kind, seed)
    rng = np.random.default_rng(seed + 1)
    ta, tb = rng.standard_normal(a0.shape), rng.standard_normal(b0.shape)
    _, tangent = autograd.jvp(forward, (t64(a0, False), t64(b0, False)), (ta, tb))
    assert tangent.shape == shapes.result_shape
    da, db = partials(*np.broadcast_arrays(a0, b0))
    np.testing.assert_allclose(tangent.data, da * ta + db * tb, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(shapes=SHAPES, seed=st.integers(0, 2 ** 32 - 1))
def test_broadcast_gradients_pass_gradcheck(shapes, seed):
    a0, b0, _ = _operands(shapes, "positive b", seed)
    assert autograd.gradcheck(lambda a, b: a * b + a / b - b, (t64(a0), t64(b0)))


@SETTINGS
@given(shapes=SHAPES, seed=st.integers(0, 2 ** 32 - 1))
def test_where_gradients_over_three_broadcast_shapes(shapes, seed):
    rng = np.random.default_rng(seed)
    cond = rng.random(shapes.input_shapes[0]) > 0.5
    x0 = rng.standard_normal(shapes.input_shapes[1])
    y0 = rng.standard_normal(shapes.result_shape[len(shapes.result_shape) // 2:])
    x, y = t64(x0), t64(y0)
    out = autograd.where(cond, x, y)
    g = rng.standard_normal(out.shape)
    gx, gy = autograd.grad(out, (x, y), g)
    c = np.broadcast_to(cond, out.shape)
    np.testing.assert_allclose(gx.data, unbroadcast(np.where(c, g, 0), x0.shape), atol=1e-12)
    np.testing.assert_allclose(gy.data, unbroadcast(np.where(c, 0, g), y0.shape), atol=1e-12)


# ------------------------------------------------------------------ indexing
@st.composite
def int_index(draw):
    """(x shape, integer index array with repeats and negatives, along axis 0, or a pair of
    arrays for the first two axes)."""
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    n = shape[0]
    length = draw(st.integers(1, 8))
    idx = np.array(draw(st.lists(st.integers(-n, n - 1), min_size=length, max_size=length)))
    if len(shape) >= 2 and draw(st.booleans()):
        m = shape[1]
        jdx = np.array(draw(st.lists(st.integers(-m, m - 1), min_size=length, max_size=length)))
        return shape, (idx, jdx)
    if draw(st.booleans()):
        idx = idx.reshape(-1, 1) if length > 1 else idx  # a 2-D index array
    return shape, idx


@SETTINGS
@given(case=int_index(), seed=st.integers(0, 2 ** 32 - 1))
def test_integer_array_indexing_accumulates_repeated_indices(case, seed):
    shape, index = case
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal(shape)
    x = t64(x0)
    out = x[index]
    np.testing.assert_array_equal(out.data, x0[index])
    # with ones: each element's gradient counts how often it was picked
    (g,) = autograd.grad(out.sum(), x)
    counts = np.zeros(shape)
    np.add.at(counts, index, 1.0)
    np.testing.assert_array_equal(g.data, counts)
    # with a random upstream gradient: np.add.at of it
    w = rng.standard_normal(out.shape)
    (g,) = autograd.grad(x[index], x, w)
    expected = np.zeros(shape)
    np.add.at(expected, index, w)
    np.testing.assert_allclose(g.data, expected, rtol=1e-12, atol=1e-12)
    # forward mode picks the tangent's entries
    u = rng.standard_normal(shape)
    _, tangent = autograd.jvp(lambda a: a[index], (t64(x0, False),), (u,))
    np.testing.assert_array_equal(tangent.data, u[index])


@st.composite
def slices(draw):
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    parts = []
    for n in shape:
        bound = st.none() | st.integers(-n - 1, n + 1)
        step = st.none() | st.integers(-3, 3).filter(bool)
        parts.append(slice(draw(bound), draw(bound), draw(step)))
    return shape, tuple(parts[:draw(st.integers(1, len(parts)))])


@SETTINGS
@given(case=slices(), seed=st.integers(0, 2 ** 32 - 1))
def test_slicing_gradient_is_the_mask(case, seed):
    shape, index = case
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal(shape)
    x = t64(x0)
    out = x[index]
    np.testing.assert_array_equal(out.data, x0[index])
    (g,) = autograd.grad((out * 1.0).sum() if out.size else x.sum() * 0.0, x)
    mask = np.zeros(shape)
    mask[index] = 1.0
    np.testing.assert_array_equal(g.data, mask)
    if out.size:
        w = rng.standard_normal(out.shape)
        (g,) = autograd.grad(x[index], x, w)
        expected = np.zeros(shape)
        expected[index] = w
        np.testing.assert_array_equal(g.data, expected)


@SETTINGS
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
       seed=st.integers(0, 2 ** 32 - 1))
def test_boolean_mask_gradient_scatters_back(shape, seed):
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal(shape)
    mask = rng.random(shape) > 0.5
    x = t64(x0)
    out = x[mask]
    np.testing.assert_array_equal(out.data, x0[mask])
    w = rng.standard_normal(out.shape)
    (g,) = autograd.grad((out * t64(w, False)).sum() + 0.0 * x.sum(), x)
    expected = np.zeros(shape)
    expected[mask] = w
    np.testing.assert_allclose(g.data, expected, rtol=1e-12, atol=1e-12)
