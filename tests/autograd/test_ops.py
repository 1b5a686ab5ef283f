"""Per-op correctness, table-driven (the table is op_cases.CASES).

Every case is driven four ways, all in float64:
  1. forward value against numpy (the same lambda run on ndarrays);
  2. `autograd.gradcheck` (reverse-mode Jacobian against central differences);
  3. `autograd.gradgradcheck` (second derivatives);
  4. forward mode: each `autograd.jvp` column against the reverse-mode `autograd.jacobian`;
and a sample (``third=True``) also has its third derivatives checked by nesting
`autograd.grad(create_graph=True)` and finite differences.

Dedicated tests below cover what the table cannot: ties and kinks (the documented rules),
zeros in prod, stability at logits of magnitude 1e4, non-differentiable ops (comparisons,
argmax/argmin, sign), the reachability of every op as a Tensor method and as
`autograd.<numpy name>`, and parity with PyTorch when it is installed.
"""

import numpy as np
import pytest

import autograd
from autograd import Tensor
from op_cases import CASES, NP

# A warning (e.g. gradcheck's "at a kink" note, or numpy's overflow) means a test point is bad.
pytestmark = pytest.mark.filterwarnings("error")

THIRD = [c for c in CASES if c.third]


def _ids(cases):
    return [c.id for c in cases]


def leaves(case, requires_grad=True):
    return tuple(autograd.tensor(x, requires_grad=requires_grad) for x in case.inputs)


def as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def run(case):
    """The op under test, as a function of Tensors only."""
    return lambda *xs: case.fn(autograd, *xs)


def test_the_table_is_unique_and_big_enough():
    ids = _ids(CASES)
    assert len(ids) == len(set(ids)), "duplicate case ids"
    assert len(CASES) > 250 and len(THIRD) >= 20
    assert all(x.dtype == np.float64 for c in CASES for x in c.inputs)


# ============================================================ 1. forward values vs numpy
@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_forward_matches_numpy(case):
    xs = leaves(case)
    outs = as_list(case.fn(autograd, *xs))
    refs = as_list(case.fn(NP, *case.inputs))
    assert len(outs) == len(refs)
    for out, ref in zip(outs, refs):
        assert isinstance(out, Tensor)
        ref = np.asarray(ref)
        assert out.shape == ref.shape, (out.shape, ref.shape)
        assert out.dtype == np.float64
        np.testing.assert_allclose(out.data, ref, rtol=1e-12, atol=1e-12)
        assert out.requires_grad and out.grad_fn is not None


# ============================================================ 2. first derivatives
@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_gradcheck(case):
    xs = leaves(case)
    assert autograd.gradcheck(run(case), xs)
    # every gradient has its input's shape and dtype (the classic broadcasting bug)
    outs = as_list(run(case)(*xs))
    seeds = [np.ones(o.shape) for o in outs]
    grads = autograd.grad(outs, xs, seeds, allow_unused=True)
    for g, x in zip(grads, xs):
        assert g is not None
        assert g.shape == x.shape and g.dtype == np.float64


# ============================================================ 3. second derivatives
@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_gradgradcheck(case):
    assert autograd.gradgradcheck(run(case), leaves(case))


# ============================================================ 4. forward mode vs reverse mode
def _jacobian_blocks(case, xs):
    """[output][input] -> ndarray of shape (output size, input size), from reverse mode."""
    out = run(case)(*xs)
    jac = autograd.jacobian(run(case), xs)
    if not isinstance(out, (list, tuple)):
        jac = (jac,)
    return [[np.asarray(block.data).reshape(o.size, x.size) for block, x in zip(row, xs)]
            for row, o in zip(jac, as_list(out))]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_jvp_columns_match_reverse_jacobian(case):
    xs = leaves(case, requires_grad=False)
    blocks = _jacobian_blocks(case, xs)
    expected_values = as_list(run(case)(*xs))
    for c, x in enumerate(xs):
        for j in range(x.size):
            tangents = [np.zeros(p.shape) for p in xs]
            tangents[c].flat[j] = 1.0
            values, column = autograd.jvp(run(case), xs, tangents)
            values, column = as_list(values), as_list(column)
            assert len(column) == len(blocks)
            for k, (v, t) in enumerate(zip(values, column)):
                np.testing.assert_array_equal(v.data, expected_values[k].data)
                assert t.shape == v.shape
                np.testing.assert_allclose(np.ravel(t.data), blocks[k][c][:, j],
                                           rtol=1e-10, atol=1e-12,
                                           err_msg=f"output {k}, input {c}, element {j}")


def test_jvp_with_a_random_tangent_is_j_times_u():
    """One jvp with all tangents random at once is the sum of the columns."""
    rng = np.random.default_rng(0)
    for case in CASES[::7]:
        xs = leaves(case, requires_grad=False)
        blocks = _jacobian_blocks(case, xs)
        us = [rng.standard_normal(x.shape) for x in xs]
        _, tangent = autograd.jvp(run(case), xs, us)
        for k, t in enumerate(as_list(tangent)):
            expected = sum(b @ u.ravel() for b, u in zip(blocks[k], us))
            np.testing.assert_allclose(np.ravel(t.data), expected, rtol=1e-10, atol=1e-12,
                                       err_msg=case.id)


# ============================================================ 5. third derivatives (a sample)
def _second_derivative_fn(case):
    """x -> d/dx <v, d/dx <w, fn(x)>>: a Hessian-vector product built by nesting
    autograd.grad(create_graph=True). Its gradcheck compares third derivatives with
    finite differences of second ones."""
    rng = np.random.default_rng(len(case.id))
    outs = as_list(run(case)(*leaves(case)))
    ws = [rng.standard_normal(o.shape) for o in outs]
    vs = [rng.standard_normal(x.shape) for x in case.inputs]

    def second(*xs):
        f = sum((o * w).sum() for o, w in zip(as_list(run(case)(*xs)), ws))
        g = autograd.grad(f, xs, create_graph=True)
        inner = sum((gi * v).sum() for gi, v in zip(g, vs))
        if not inner.requires_grad:  # linear in x: second derivatives are 0
            return tuple(Tensor(np.zeros(x.shape)) for x in xs)
        h = autograd.grad(inner, xs, create_graph=True, allow_unused=True)
        return tuple(Tensor(np.zeros(x.shape)) if hi is None else hi for hi, x in zip(h, xs))

    return second


@pytest.mark.parametrize("case", THIRD, ids=_ids(THIRD))
def test_third_derivatives(case):
    assert autograd.gradcheck(_second_derivative_fn(case), leaves(case))


def _nth_derivative(fn, x0, n):
    x = autograd.tensor(x0, dtype="float64", requires_grad=True)
    y = fn(x)
    for _ in range(n):
        (y,) = autograd.grad(y, x, create_graph=True)
    return y.item()


CLOSED_FORM_THIRD = [
    ("exp", autograd.exp, np.exp, 0.7),
    ("log", autograd.log, lambda x: 2 / x ** 3, 1.3),
    ("log1p", autograd.log1p, lambda x: 2 / (1 + x) ** 3, 0.4),
    ("sqrt", autograd.sqrt, lambda x: 3 / 8 * x ** -2.5, 1.7),
    ("sin", autograd.sin, lambda x: -np.cos(x), 0.9),
    ("cos", autograd.cos, np.sin, 0.9),
    ("tanh", autograd.tanh, lambda x: -2 * (1 - np.tanh(x) ** 2) * (1 - 3 * np.tanh(x) ** 2), 0.6),
    ("sigmoid", autograd.sigmoid,
     lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s) * (1 - 6 * s + 6 * s * s), 0.8),
    ("pow", lambda x: x ** 3.5, lambda x: 3.5 * 2.5 * 1.5 * x ** 0.5, 1.2),
    ("scalar**x", lambda x: 2.0 ** x, lambda x: np.log(2.0) ** 3 * 2.0 ** x, 0.3),
    ("1/x", lambda x: 1.0 / x, lambda x: -6 / x ** 4, 1.1),
    ("x*x*x", lambda x: x * x * x, lambda x: 6.0, -0.4),
]


@pytest.mark.parametrize("name, fn, d3, x0", CLOSED_FORM_THIRD,
                         ids=[c[0] for c in CLOSED_FORM_THIRD])
def test_third_derivative_closed_form(name, fn, d3, x0):
    """Three nested autograd.grad(create_graph=True) calls give the textbook d3f/dx3, and it
    agrees with a central difference of the (nested-grad) second derivative."""
    assert _nth_derivative(fn, x0, 3) == pytest.approx(d3(x0), rel=1e-10)
    h = 1e-5
    fd = (_nth_derivative(fn, x0 + h, 2) - _nth_derivative(fn, x0 - h, 2)) / (2 * h)
    assert _nth_derivative(fn, x0, 3) == pytest.approx(fd, rel=1e-6)


# ============================================================ ties and kinks: the rules
def t64(values, requires_grad=True):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def grad_of(fn, *xs, seed=None):
    out = fn(*xs)
    seed = np.ones(out.shape) if seed is None else seed
    return [g.data for g in autograd.grad(out, xs, seed)]


@pytest.mark.parametrize("op", [autograd.maximum, autograd.minimum])
def test_maximum_minimum_ties_share_the_gradient_equally(op):
    """Rule: where x == y, each of maximum/minimum's inputs gets half the gradient."""
    x = t64([1.0, 2.0, 3.0, -1.0])
    y = t64([1.0, 5.0, 0.0, -1.0])
    gx, gy = grad_of(op, x, y, seed=np.array([2.0, 1.0, 1.0, 4.0]))
    wins_x = np.array([1.0, 0.0, 1.0]) if op is autograd.maximum else np.array([1.0, 1.0, 0.0])
    np.testing.assert_array_equal(gx, [1.0, *wins_x[1:], 2.0])
    np.testing.assert_array_equal(gy, [1.0, *(1 - wins_x[1:]), 2.0])
    # the same rule in forward mode
    _, tx = autograd.jvp(lambda a: op(a, y.detach()), (x.detach(),), (np.ones(4),))
    np.testing.assert_array_equal(tx.data, [0.5, *wins_x[1:], 0.5])
    # and with broadcasting: the tied scalar collects half of each tied entry
    s = t64(2.0)
    gs, gv = grad_of(op, s, t64([2.0, 2.0, 7.0]))
    assert gs == (1.0 if op is autograd.maximum else 2.0)
    np.testing.assert_array_equal(gv, [0.5, 0.5, 1.0 if op is autograd.maximum else 0.0])


@pytest.mark.parametrize("op", [autograd.maximum, autograd.minimum])
def test_maximum_of_a_tensor_with_itself_has_gradient_one(op):
    x = t64([0.3, -2.0])
    (g,) = grad_of(lambda a: op(a, a), x)
    np.testing.assert_array_equal(g, [1.0, 1.0])


@pytest.mark.parametrize("name", ["amax", "amin"])
def test_max_min_ties_share_the_gradient_equally(name):
    """Rule: the k entries that attain a max/min each get 1/k of its gradient."""
    sign = 1.0 if name == "amax" else -1.0
    x = t64(sign * np.array([[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 5.0, 5.0], [0.0, -1.0, 4.0, 4.0]]))
    (g,) = grad_of(lambda a: getattr(a, name)(axis=1), x)
    np.testing.assert_allclose(g, [[0, 0.5, 0.5, 0], [0.25] * 4, [0, 0, 0.5, 0.5]])
    (g,) = grad_of(lambda a: getattr(a, name)(), x)
    np.testing.assert_allclose(g, np.where(x.numpy() == sign * 5.0, 0.25, 0.0))
    (g,) = grad_of(lambda a: getattr(a, name)(axis=0, keepdims=True), x)
    np.testing.assert_allclose(g, [[0] * 4, [1] * 4, [0] * 4])
    # the forward-mode rule agrees: tangent = mean of the tied entries' tangents
    u = np.arange(12.0).reshape(3, 4)
    _, t = autograd.jvp(lambda a: getattr(a, name)(axis=1), (x.detach(),), (u,))
    np.testing.assert_allclose(t.data, [1.5, 5.5, 10.5])
    # its second derivative is 0 (piecewise linear), ties included (no finite-difference check
    # here: the first derivative jumps at a tie)
    (g,) = autograd.grad((getattr(x, name)(axis=1) ** 2).sum(), x, create_graph=True)
    (gg,) = autograd.grad((g * t64(u, False)).sum(), x)
    share = np.array([[0, 0.5, 0.5, 0], [0.25] * 4, [0, 0, 0.5, 0.5]])
    np.testing.assert_allclose(gg.data, 2 * share * (share * u).sum(1, keepdims=True))


def test_relu_abs_kinks_have_gradient_zero_and_clip_bounds_pass_it():
    x = t64([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(grad_of(autograd.relu, x)[0], [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(grad_of(autograd.abs, x)[0], [-1.0, 0.0, 1.0])
    # clip: the gradient passes where a_min <= x <= a_max, bounds included (PyTorch's clamp)
    x = t64([-2.0, -1.0, 0.0, 1.0, 2.0])
    np.testing.assert_array_equal(grad_of(lambda a: autograd.clip(a, -1.0, 1.0), x)[0],
                                  [0, 1, 1, 1, 0])
    np.testing.assert_array_equal(grad_of(lambda a: autograd.clip(a, None, 1.0), x)[0],
                                  [1, 1, 1, 1, 0])
    np.testing.assert_array_equal(grad_of(lambda a: autograd.clip(a, -1.0, None), x)[0],
                                  [0, 1, 1, 1, 1])
    # gradcheck sees the kink at 0 and accepts relu's 0 (one-sided value) with a warning
    with pytest.warns(UserWarning, match="kink"):
        assert autograd.gradcheck(autograd.relu, t64([0.0, 1.0]))


def test_clamp_with_no_bounds_raises_as_pytorch_but_np_clip_copies():
    x = t64([[1.0, -3.0]])
    for call in (lambda: autograd.clip(x), lambda: x.clamp(), lambda: (x * 1).clamp_()):
        with pytest.raises(TypeError, match="clamp_?: give min, max or both"):
            call()
    y = np.clip(x, None, None)  # numpy's meaning: an identity copy, in the graph
    np.testing.assert_array_equal(y.numpy(), x.numpy())
    assert y.requires_grad and not np.shares_memory(y.numpy(), x.numpy())


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_along_a_dim_route_the_whole_gradient_to_the_returned_index(name):
    """PyTorch's rule for max(dim)/min(dim): the values are read at the indices returned,
    so at ties the first tied entry (numpy's and torch's index) gets everything; amax/amin
    and max() without a dim share it (test above)."""
    sign = 1.0 if name == "max" else -1.0
    x = t64(sign * np.array([[1.0, 3.0, 3.0], [5.0, 5.0, 5.0]]))
    values, indices = getattr(x, name)(dim=1)
    np.testing.assert_array_equal(indices.numpy(), [1, 0])
    (g,) = autograd.grad(values, x, np.array([2.0, 4.0]))
    np.testing.assert_array_equal(g.numpy(), [[0, 2, 0], [4, 0, 0]])
    (g,) = autograd.grad(getattr(x, name)(0, keepdim=True).values.sum(), x)
    np.testing.assert_array_equal(g.numpy(), [[0, 0, 0], [1, 1, 1]])
    _, t = autograd.jvp(lambda a: getattr(a, name)(dim=1).values, (x.detach(),),
                        (np.arange(6.0).reshape(2, 3),))
    np.testing.assert_array_equal(t.numpy(), [1.0, 3.0])
    (g,) = autograd.grad(getattr(x, name)(), x)  # no dim: the five tied 5s share
    np.testing.assert_allclose(g.numpy(), np.where(x.numpy() == sign * 5, 1 / 3, 0))


# ============================================================ prod with zeros: exact
@pytest.mark.parametrize("values, expected", [
    ([2.0, 0.0, 3.0], [0.0, 6.0, 0.0]),  # one zero: the product of the others
    ([2.0, 0.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0]),  # two zeros: all zero
    ([0.0], [1.0]),
    ([2.0, 4.0, -0.5], [-2.0, -1.0, 8.0]),
])
def test_prod_gradient_is_exact_with_zeros(values, expected):
    (g,) = grad_of(lambda a: a.prod(), t64(values))
    np.testing.assert_array_equal(g, expected)
    _, t = autograd.jvp(lambda a: a.prod(), (t64(values, False),), (np.ones(len(values)),))
    assert t.item() == sum(expected)


def test_prod_gradient_with_zeros_per_slice():
    x = t64([[2.0, 0.0, 3.0], [0.0, 0.0, 4.0], [1.0, 2.0, 3.0]])
    (g,) = grad_of(lambda a: a.prod(axis=1), x)
    np.testing.assert_array_equal(g, [[0, 6, 0], [0, 0, 0], [6, 3, 2]])
    (g,) = grad_of(lambda a: a.prod(axis=0, keepdims=True), x)
    np.testing.assert_array_equal(g, [[0, 0, 12], [2, 0, 9], [0, 0, 12]])
    # second derivatives at the zeros, exact: d2/dx0dx1 of x0*x1*x2 at x1=0 is x2
    h = autograd.hessian(lambda a: a.prod(), t64([2.0, 0.0, 3.0]))
    np.testing.assert_array_equal(h.data, [[0, 3, 0], [3, 0, 2], [0, 2, 0]])
    h = autograd.hessian(lambda a: a.prod(), t64([2.0, 0.0, 0.0]))
    np.testing.assert_array_equal(h.data, [[0, 0, 0], [0, 0, 2], [0, 2, 0]])


def _third_derivative_tensor(fn, x0):
    """T[i, j, k] = d3 fn / dx_i dx_j dx_k by three nested autograd.grad calls."""
    x = t64(x0)
    n = x.size
    T = np.zeros((n, n, n))
    (g,) = autograd.grad(fn(x), x, create_graph=True)
    for i in range(n):
        (h,) = autograd.grad(g.flatten()[i], x, create_graph=True)
        for j in range(n):
            hij = h.flatten()[j]
            if hij.requires_grad:
                (t,) = autograd.grad(hij, x, retain_graph=True, allow_unused=True)
                T[i, j] = 0.0 if t is None else t.numpy().ravel()
    return T


@pytest.mark.parametrize("row", [
    [1.5, -0.8, 0.0, 1.3, 2.0],  # one zero
    [1.5, 0.0, 0.0, 1.3, 2.0],  # two zeros
    [0.0, 0.0, -0.7, 0.0, 2.0],  # three zeros
    [0.0, 0.0, 0.0, 0.0, 2.0],  # four zeros
    [1.5, -0.8, 0.5, 1.3, 2.0],  # none
])
def test_prod_derivatives_up_to_third_order_are_exact_with_zeros(row):
    """d3 prod / dx_i dx_j dx_k = the product of the entries other than i, j, k (i, j, k
    distinct), else 0; likewise for the first and second derivatives."""
    x0 = np.array(row)
    n = len(row)
    others = lambda *ks: np.prod(np.delete(x0, ks))  # noqa: E731
    (g,) = grad_of(lambda a: a.prod(), t64(x0))
    np.testing.assert_allclose(g, [others(i) for i in range(n)], rtol=1e-14)
    H = autograd.hessian(lambda a: a.prod(), t64(x0)).data
    np.testing.assert_allclose(H, [[others(i, j) if i != j else 0 for j in range(n)]
                                   for i in range(n)], rtol=1e-13, atol=1e-13)
    T = _third_derivative_tensor(lambda a: a.prod(), x0)
    expected = np.array([[[others(i, j, k) if len({i, j, k}) == 3 else 0 for k in range(n)]
                          for j in range(n)] for i in range(n)])
    np.testing.assert_allclose(T, expected, rtol=1e-13, atol=1e-13)
    # and along an axis: prod over rows of a 2-D array holding this row and its reverse
    X0 = np.stack([x0, x0[::-1]])
    T2 = _third_derivative_tensor(lambda a: (a.prod(axis=1) * t64([1.0, -2.0], False)).sum(), X0)
    np.testing.assert_allclose(T2.reshape(2, n, 2, n, 2, n)[0, :, 0, :, 0, :], expected,
                               rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(T2.reshape(2, n, 2, n, 2, n)[1, :, 1, :, 1, :],
                               -2 * expected[::-1, ::-1, ::-1], rtol=1e-13, atol=1e-13)
    assert not T2.reshape(2, n, 2, n, 2, n)[0, :, 1].any()


# ============================================================ stability at logits of 1e4
def _log_softmax_ref(x, axis=-1):
    shift = x.max(axis=axis, keepdims=True)
    return x - shift - np.log(np.exp(x - shift).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("scale", [1e4, -1e4, 1e17, 1e300])
def test_softmax_family_is_stable_for_huge_logits(scale):
    x0 = scale * np.array([[1.0, -1.0, 0.0, 1.0], [0.5, 0.5, -0.25, 0.0]])
    w = np.array([[1.0, 2.0, -1.0, 0.5], [0.0, -3.0, 1.0, 2.0]])
    ref_ls = _log_softmax_ref(x0)
    ref_sm = np.exp(ref_ls)
    x = t64(x0)
    ls = autograd.log_softmax(x, axis=-1)
    sm = autograd.softmax(x, axis=-1)
    lse = autograd.logsumexp(x, axis=-1)
    assert np.isfinite(ls.data).all() and np.isfinite(sm.data).all()
    np.testing.assert_allclose(ls.data, ref_ls, rtol=1e-12)
    np.testing.assert_allclose(sm.data, ref_sm, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(lse.data, x0.max(axis=-1) + np.log(
        np.exp(x0 - x0.max(axis=-1, keepdims=True)).sum(-1)), rtol=1e-12)
    # gradients, finite and closed-form: d<w, log_softmax>/dx = w - softmax * sum(w)
    (g,) = grad_of(lambda a: autograd.log_softmax(a, axis=-1), x, seed=w)
    assert np.isfinite(g).all()
    np.testing.assert_allclose(g, w - ref_sm * w.sum(-1, keepdims=True), rtol=1e-12, atol=1e-12)
    # d<w, softmax>/dx = softmax * (w - <w, softmax>)
    (g,) = grad_of(lambda a: autograd.softmax(a, axis=-1), x, seed=w)
    np.testing.assert_allclose(g, ref_sm * (w - (w * ref_sm).sum(-1, keepdims=True)),
                               rtol=1e-12, atol=1e-12)
    (g,) = grad_of(lambda a: autograd.logsumexp(a, axis=-1), x, seed=w[:, 0])
    np.testing.assert_allclose(g, ref_sm * w[:, :1], rtol=1e-12, atol=1e-12)
    # second derivatives stay finite too
    (g,) = autograd.grad((autograd.log_softmax(x) * t64(w, False)).sum(), x, create_graph=True)
    (gg,) = autograd.grad((g * g).sum(), x)
    assert np.isfinite(gg.data).all()


def test_logsumexp_of_minus_inf_rows():
    x = t64([[-np.inf, -np.inf], [0.0, -np.inf]])
    out = autograd.logsumexp(x, axis=1)  # no RuntimeWarning (warnings are errors here)
    assert out.numpy()[0] == -np.inf and out.numpy()[1] == 0.0


# ============================================================ indexing specifics
def test_repeated_integer_indices_accumulate_their_gradient():
    x = t64([10.0, 20.0, 30.0])
    (g,) = grad_of(lambda a: a[[0, 0, 1]], x, seed=np.array([1.0, 2.0, 4.0]))
    np.testing.assert_array_equal(g, [3.0, 4.0, 0.0])
    y = t64(np.zeros((2, 3)))
    (g,) = grad_of(lambda a: a[[1, 1, 0, 1], [2, 2, 0, 2]], y)
    np.testing.assert_array_equal(g, [[1, 0, 0], [0, 0, 3]])
    # a Tensor (integer) index works as an array index
    (g,) = grad_of(lambda a: a[autograd.tensor([2, 2])], x)
    np.testing.assert_array_equal(g, [0.0, 0.0, 2.0])


def test_boolean_mask_gradient_is_the_mask():
    x = t64(np.arange(6.0).reshape(2, 3))
    mask = x.numpy() > 2.5
    (g,) = grad_of(lambda a: a[mask], x)
    np.testing.assert_array_equal(g, mask.astype(float))
    # a boolean Tensor from a comparison works as a mask
    (g,) = grad_of(lambda a: a[a > 2.5], x)
    np.testing.assert_array_equal(g, mask.astype(float))


# ============================================================ non-differentiable ops
COMPARISONS = [
    (lambda a, b: a < b, np.less, "less"), (lambda a, b: a <= b, np.less_equal, "less_equal"),
    (lambda a, b: a > b, np.greater, "greater"),
    (lambda a, b: a >= b, np.greater_equal, "greater_equal"),
    (lambda a, b: a == b, np.equal, "eq"), (lambda a, b: a != b, np.not_equal, "not_equal"),
]


@pytest.mark.parametrize("operator, ref, name", COMPARISONS, ids=[c[2] for c in COMPARISONS])
def test_comparisons_return_boolean_non_differentiable_tensors(operator, ref, name):
    a0 = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    b0 = np.array([2.0, 2.0, 2.0])
    a, b = t64(a0), t64(b0)
    for out in (operator(a, b), getattr(autograd, name)(a, b), operator(a, 2.0),
                operator(2.0, a), operator(a0, b)):
        assert isinstance(out, Tensor)
        assert out.dtype == np.bool_
        assert not out.requires_grad and out.grad_fn is None
    np.testing.assert_array_equal(operator(a, b).data, ref(a0, b0))
    np.testing.assert_array_equal(operator(2.0, a).data, ref(2.0, a0))
    np.testing.assert_array_equal(operator(a0, b).data, ref(a0, b0))
    # a comparison used as a where-condition lets the gradient through the branches only
    (ga, gb) = grad_of(lambda x, y: autograd.where(operator(x, y), x, y * 2), a, b)
    m = ref(a0, b0)
    np.testing.assert_array_equal(ga, m.astype(float))
    np.testing.assert_array_equal(gb, 2 * (~m).sum(0))


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (0, False), (-1, True), (1, False)])
def test_argmax_argmin_are_not_differentiable(name, axis, keepdims):
    x0 = np.array([[[1.0, 5.0], [3.0, -2.0], [3.0, 7.0]]])
    x = t64(x0)
    for out in (getattr(autograd, name)(x, axis=axis, keepdims=keepdims),
                getattr(x, name)(axis=axis, keepdims=keepdims)):
        expected = getattr(np, name)(x0, axis=axis, keepdims=keepdims)
        np.testing.assert_array_equal(out.data, expected)
        assert out.shape == np.shape(expected)
        assert out.dtype.kind == "i"
        assert not out.requires_grad and out.grad_fn is None


def test_argmax_ties_pick_the_first_as_numpy():
    x = t64([1.0, 4.0, 4.0, 0.0])
    assert autograd.argmax(x).item() == 1 and autograd.argmin(-x).item() == 1


def test_sign_passes_a_zero_gradient_as_pytorch():
    x = t64([-2.0, 0.0, 3.0])
    out = autograd.sign(x)
    np.testing.assert_array_equal(out.data, [-1, 0, 1])
    assert out.requires_grad
    (g,) = grad_of(lambda a: autograd.sign(a) * a, x)
    np.testing.assert_array_equal(g, [-1.0, 0.0, 1.0])  # only the product rule's other term


def test_astype_round_trip_keeps_gradient_dtype():
    x = t64([1.5, -2.0])
    y = (x.astype(np.float32) * 2).astype(np.float64)
    (g,) = autograd.grad(y.sum(), x)
    assert g.dtype == np.float64
    np.testing.assert_array_equal(g.data, [2.0, 2.0])


def test_an_integer_or_boolean_result_never_requires_grad():
    x = t64([1.5, -2.7])
    for y in (x.long(), x.int(), x.bool(), x.to(autograd.int64), x.astype(np.int32),
              x.sum(dtype=autograd.int64), (x * 2).long() + 1):
        assert not y.requires_grad and y.grad_fn is None
    assert x.float().requires_grad  # floating conversions stay differentiable


@pytest.mark.parametrize("name", ["exp", "log", "expm1", "log1p", "sqrt", "rsqrt", "sin", "cos",
                                  "tanh", "erf", "sigmoid", "reciprocal"])
def test_float_ops_on_integers_give_the_default_float_dtype(name):
    """PyTorch's rule (numpy's would be float64), also through numpy's ufuncs."""
    for values in ([1, 2, 3], [True, False]):
        with np.errstate(divide="ignore"):  # log(False) = -inf
            y = getattr(autograd, name)(autograd.tensor(values))
            want = getattr(autograd, name)(autograd.tensor(values, dtype="float32"))
        assert y.dtype == np.float32, (name, values)
        np.testing.assert_array_equal(y.numpy(), want.numpy())
    assert np.exp(autograd.tensor([1])).dtype == np.float32
    assert autograd.exp(autograd.tensor([1.0], dtype="float64")).dtype == np.float64


def test_mean_var_std_of_integers_raise_as_pytorch_but_numpy_s_functions_average_them():
    x = autograd.tensor([1, 2, 4])
    with pytest.raises(autograd.DtypeError, match=r"mean: input dtype int64 is not floating "
                                                  r"point.*dtype=autograd.float32"):
        x.mean()
    for call in (x.var, x.std, lambda: autograd.var_mean(x)):
        with pytest.raises(autograd.DtypeError, match="var/std: input dtype int64"):
            call()
    with pytest.raises(autograd.DtypeError, match="bool"):
        autograd.tensor([True, False]).mean()
    assert x.mean(dtype=autograd.float32).item() == pytest.approx(7 / 3)
    m, v = np.mean(x), np.var(x)  # numpy's meaning: float64
    assert m.dtype == v.dtype == np.float64 and m.item() == pytest.approx(7 / 3)
    assert v.item() == pytest.approx(np.var([1, 2, 4]))


def test_dot_takes_two_vectors_as_pytorch_and_np_dot_keeps_numpy_s_meaning():
    a, b = t64([1.0, 2.0]), t64([[3.0, 4.0], [5.0, 6.0]])
    assert a.dot(b[0]).item() == 11.0
    for x, y in ((b, a), (a, b), (a, t64([1.0, 2.0, 3.0])), (t64(2.0), a)):
        with pytest.raises(autograd.ShapeError, match="dot: .*two 1-D tensors of the same "
                                                      "length"):
            autograd.dot(x, y)
    np.testing.assert_array_equal(np.dot(b, a).numpy(), [11.0, 17.0])
    assert np.dot(b, a).requires_grad


def test_masked_fill_takes_a_boolean_mask_only():
    x = t64([1.0, 2.0, 3.0])
    with pytest.raises(autograd.DtypeError, match="masked_fill: the mask must be boolean.*int64"):
        x.masked_fill(autograd.tensor([1, 0, 1]), 0.0)
    with pytest.raises(autograd.DtypeError, match="masked_fill"):
        (x * 1).masked_fill_(autograd.tensor([1.0, 0.0, 1.0]), 0.0)
    np.testing.assert_array_equal(x.masked_fill(x > 1.5, 0.0).numpy(), [1.0, 0.0, 0.0])


def test_a_negative_step_reverses_as_numpy_a_deliberate_extension():
    """PyTorch refuses ``x[::-1]`` (docs/porting.md, known differences); here it means
    numpy's reversal, and the gradient flows back reversed."""
    x = t64([1.0, 2.0, 3.0, 4.0])
    y = x[::-2]
    np.testing.assert_array_equal(y.numpy(), [4.0, 2.0])
    (g,) = autograd.grad(y, x, np.array([10.0, 20.0]))
    np.testing.assert_array_equal(g.numpy(), [0.0, 20.0, 0.0, 10.0])
    assert autograd.gradcheck(lambda a: a[::-1] * a, (x,))


# ============================================================ reachability of every op
# autograd.<numpy name> for every op numpy has a function for
NUMPY_FUNCTIONS = [
    "add", "subtract", "multiply", "divide", "true_divide", "power", "negative", "abs",
    "absolute", "exp", "expm1", "log", "log1p", "logaddexp", "sqrt", "sin", "cos", "tanh",
    "maximum", "minimum",
    "clip", "where", "less", "less_equal", "greater", "greater_equal", "equal", "not_equal",
    "sign", "sum", "mean", "prod", "max", "min", "amax", "amin", "var", "std", "argmax",
    "argmin", "matmul", "dot", "outer", "reshape", "transpose", "swapaxes", "squeeze",
    "expand_dims", "broadcast_to", "concatenate", "stack", "split", "pad",
]
# ops numpy has no function for: still reachable as autograd.<name>
OTHER_FUNCTIONS = ["sigmoid", "relu", "logsumexp", "softmax", "log_softmax", "flatten",
                   "getitem", "sum_to", "astype"]
# Tensor methods: every ndarray method among the ops, plus the usual torch-style ones
NDARRAY_METHODS = ["clip", "sum", "mean", "prod", "max", "min", "argmax",
                   "argmin", "dot", "reshape", "transpose", "swapaxes", "squeeze", "flatten",
                   "astype", "__getitem__", "__abs__", "__neg__", "__add__", "__radd__",
                   "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
                   "__rtruediv__", "__pow__", "__rpow__", "__matmul__", "__rmatmul__",
                   "__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"]
TORCH_STYLE_METHODS = ["exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu",
                       "abs", "logsumexp", "softmax", "log_softmax", "var", "std", "amax",
                       "amin"]


@pytest.mark.parametrize("name", NUMPY_FUNCTIONS + OTHER_FUNCTIONS)
def test_every_op_is_an_autograd_function(name):
    assert callable(getattr(autograd, name))
    if name in NUMPY_FUNCTIONS:
        assert hasattr(np, name)


@pytest.mark.parametrize("name", NDARRAY_METHODS + TORCH_STYLE_METHODS)
def test_every_op_is_a_tensor_method(name):
    assert callable(getattr(Tensor, name))
    if name in NDARRAY_METHODS:
        assert hasattr(np.ndarray, name)
    assert isinstance(Tensor.T, property) and hasattr(np.ndarray, "T")


UNARY_METHODS = [
    ("exp", ()), ("log", ()), ("log1p", ()), ("sqrt", ()), ("sin", ()), ("cos", ()),
    ("tanh", ()), ("sigmoid", ()), ("relu", ()), ("abs", ()), ("logsumexp", (0,)),
    ("softmax", (0,)), ("log_softmax", (0,)), ("clip", (0.8, 1.2)), ("sum", (1,)),
    ("mean", (1,)), ("prod", (0,)), ("amax", (1,)), ("amin", (1,)), ("var", (1,)), ("std", (1,)),
    ("argmax", (1,)), ("argmin", (0,)), ("swapaxes", (0, 1)), ("squeeze", ()),
    ("flatten", ()), ("transpose", ()),
]


@pytest.mark.parametrize("name, args", UNARY_METHODS, ids=[m[0] for m in UNARY_METHODS])
def test_method_and_function_agree(name, args):
    x = t64([[0.5, 1.5, 1.1], [0.9, 0.7, 1.3]])
    by_method = getattr(x, name)(*args)
    by_function = getattr(autograd, name)(x, *args)
    np.testing.assert_array_equal(by_method.data, by_function.data)
    if name in NDARRAY_METHODS:
        np.testing.assert_allclose(by_method.data, getattr(x.data, name)(*args), rtol=1e-14)


def test_numpy_ufuncs_on_tensors_run_the_differentiable_ops():
    x = t64([0.5, 1.5])
    for ufunc in (np.exp, np.log, np.sin, np.tanh, np.sqrt, np.negative, np.abs):
        out = ufunc(x)
        assert isinstance(out, Tensor) and out.requires_grad
        np.testing.assert_allclose(out.data, ufunc(x.data))


# ============================================================ parity with PyTorch
def _torch_cases(torch):
    rng = np.random.default_rng(42)
    r = lambda *s: rng.uniform(-1.5, 1.5, s)  # noqa: E731
    p = lambda *s: rng.uniform(0.5, 2.0, s)  # noqa: E731
    ties = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, -1.0]])
    zeros = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 1.5]])
    idx = np.array([0, 0, 2, 1, 2])
    return [
        ("add-bcast", lambda a, b: a + b, lambda a, b: a + b, [r(3, 1), r(1, 4)]),
        ("mul-bcast", lambda a, b: a * b, lambda a, b: a * b, [r(2, 3), r(3)]),
        ("div", lambda a, b: a / b, lambda a, b: a / b, [r(2, 3), p(2, 1)]),
        ("pow-tt", lambda a, b: a ** b, lambda a, b: a ** b, [p(2, 3), r(3)]),
        ("scalar**t", lambda a: 2.0 ** a, lambda a: 2.0 ** a, [r(4)]),
        ("exp-log", lambda a: autograd.log(autograd.exp(a) + 1), lambda a: torch.log(a.exp() + 1),
         [r(2, 3)]),
        ("sqrt-log1p", lambda a: autograd.sqrt(a) + autograd.log1p(a),
         lambda a: a.sqrt() + a.log1p(), [p(5)]),
        ("trig", lambda a: autograd.sin(a) * autograd.cos(a) + autograd.tanh(a),
         lambda a: a.sin() * a.cos() + a.tanh(), [r(2, 3)]),
        ("sigmoid", autograd.sigmoid, torch.sigmoid, [r(2, 3) * 5]),
        ("relu", autograd.relu, torch.relu, [r(3, 3)]),
        ("abs", autograd.abs, torch.abs, [r(4)]),
        ("maximum-ties", autograd.maximum, torch.maximum,
         [ties, np.array([[1.0, 0.0, 3.0], [5.0, 2.0, -2.0]])]),
        ("minimum-bcast", autograd.minimum, torch.minimum, [r(3, 1), r(4)]),
        # off the bounds: PyTorch changed its gradient exactly at them between versions
        ("clip", lambda a: autograd.clip(a, -0.5, 0.5), lambda a: a.clamp(-0.5, 0.5),
         [np.array([-1.0, -0.4, 0.0, 0.3, 1.0])]),
        ("where", lambda a, b: autograd.where(a > b, a, b), lambda a, b: torch.where(a > b, a, b),
         [r(2, 3), r(3)]),
        ("sum-tuple", lambda a: a.sum(axis=(0, 2)), lambda a: a.sum(dim=(0, 2)), [r(2, 3, 2)]),
        ("mean-keep", lambda a: a.mean(axis=-1, keepdims=True),
         lambda a: a.mean(dim=-1, keepdim=True), [r(2, 3)]),
        ("prod-zeros", lambda a: a.prod(axis=1), lambda a: a.prod(dim=1), [zeros]),
        ("prod-one-zero-all", lambda a: a.prod(), lambda a: a.prod(),
         [np.array([1.5, 0.0, 2.0])]),
        ("amax-ties", lambda a: a.amax(1), lambda a: a.amax(dim=1), [ties]),
        ("amin-ties-all", lambda a: a.min(), lambda a: a.amin(), [ties]),
        ("var-ddof1", lambda a: a.var(axis=0, ddof=1), lambda a: a.var(dim=0, correction=1),
         [r(3, 2)]),
        ("std", lambda a: a.std(), lambda a: a.std(), [r(2, 3)]),
        ("std-biased", lambda a: a.std(correction=0), lambda a: a.std(correction=0), [r(2, 3)]),
        ("logsumexp", lambda a: autograd.logsumexp(a, axis=1), lambda a: a.logsumexp(dim=1),
         [r(2, 4)]),
        ("softmax", lambda a: autograd.softmax(a, axis=0), lambda a: a.softmax(dim=0), [r(3, 2)]),
        ("log_softmax-1e4", lambda a: autograd.log_softmax(a), lambda a: a.log_softmax(dim=-1),
         [1e4 * np.array([[1.0, -1.0, 0.0], [0.3, 0.3, -2.0]])]),
        ("matmul-batched", lambda a, b: a @ b, lambda a, b: a @ b, [r(2, 1, 3, 4), r(5, 4, 2)]),
        ("matmul-1d", lambda a, b: a @ b, lambda a, b: a @ b, [r(3), r(2, 3, 4)]),
        ("outer", autograd.outer, torch.outer, [r(3), r(2)]),
        ("getitem-repeats", lambda a: a[idx], lambda a: a[torch.as_tensor(idx)], [r(3, 2)]),
        ("getitem-mixed", lambda a: a[1:, [0, 0]], lambda a: a[1:, [0, 0]], [r(3, 2)]),
        ("getitem-neg-step", lambda a: a[:, ::-2],
         lambda a: a.flip(1)[:, ::2], [r(2, 5)]),
        ("pad", lambda a: autograd.pad(a, ((1, 0), (2, 1))),
         lambda a: torch.nn.functional.pad(a, (2, 1, 1, 0)), [r(2, 3)]),
        ("concat-stack", lambda a, b: autograd.stack([autograd.concatenate([a, b], 1),
                                                       autograd.concatenate([b, a], 1)]),
         lambda a, b: torch.stack([torch.cat([a, b], 1), torch.cat([b, a], 1)]),
         [r(2, 1), r(2, 1)]),
        ("split", lambda a: np.split(a, [1, 3], axis=1)[1] * 2,
         lambda a: torch.tensor_split(a, [1, 3], dim=1)[1] * 2, [r(2, 4)]),
        ("transpose-expand", lambda a: autograd.expand_dims(a.transpose(2, 0, 1), 1),
         lambda a: a.permute(2, 0, 1).unsqueeze(1), [r(2, 3, 2)]),
    ]


def test_parity_with_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    for name, ours, theirs, inputs in _torch_cases(torch):
        xs = [t64(x) for x in inputs]
        ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
        out, ref = ours(*xs), theirs(*ts)
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-12,
                                   err_msg=name)
        w = rng.standard_normal(out.shape)
        grads = autograd.grad(out, xs, w)
        ref_grads = torch.autograd.grad(ref, ts, torch.tensor(w))
        for k, (g, rg) in enumerate(zip(grads, ref_grads)):
            np.testing.assert_allclose(g.data, rg.numpy(), rtol=1e-11, atol=1e-12,
                                       err_msg=f"{name}: gradient for input {k}")


def test_second_derivative_parity_with_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    for name, ours, theirs, inputs in _torch_cases(torch):
        if name in ("relu", "abs", "clip", "maximum-ties", "minimum-bcast", "amax-ties",
                    "amin-ties-all", "where"):
            continue  # piecewise linear: second derivatives are 0 on both sides
        xs = [t64(x) for x in inputs]
        ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
        out, ref = ours(*xs), theirs(*ts)
        w = rng.standard_normal(out.shape)
        v = [rng.standard_normal(x.shape) for x in inputs]
        g = autograd.grad(out, xs, w, create_graph=True)
        rg = torch.autograd.grad(ref, ts, torch.tensor(w), create_graph=True)
        inner = sum((gi * vi).sum() for gi, vi in zip(g, v))
        rinner = sum((gi * torch.tensor(vi)).sum() for gi, vi in zip(rg, v))
        if not inner.requires_grad:
            assert not rinner.requires_grad or all(
                h is None or not h.abs().max() for h in
                torch.autograd.grad(rinner, ts, allow_unused=True)), name
            continue
        hs = autograd.grad(inner, xs, allow_unused=True)
        rhs = torch.autograd.grad(rinner, ts, allow_unused=True)
        for k, (h, rh) in enumerate(zip(hs, rhs)):
            h = np.zeros(inputs[k].shape) if h is None else h.data
            rh = np.zeros(inputs[k].shape) if rh is None else rh.numpy()
            np.testing.assert_allclose(h, rh, rtol=1e-10, atol=1e-10,
                                       err_msg=f"{name}: second derivative, input {k}")


@pytest.mark.parametrize("widths, error, match", [
    ((-1, 1), ValueError, r"pad: pad_width must be non-negative, got \(-1, 1\)"),
    (1.5, TypeError, "pad: pad_width must be integers, got 1.5"),
    (((1, 1),) * 3, ValueError, r"pad: pad_width .* does not fit an input of 2 dimensions")])
def test_pad_names_a_bad_pad_width(widths, error, match):
    with pytest.raises(error, match=match):
        autograd.pad(autograd.ones(2, 2), widths)
