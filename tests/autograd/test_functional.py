"""Derivatives as functions: grad, jvp (forward mode), vjp, jacobian, hessian, hvp."""
import numpy as np
import pytest

import autograd
from autograd import BackwardError, ShapeError, Tensor, UnusedInputError


pytestmark = pytest.mark.usefixtures("float64_default")


def leaf(values):
    return autograd.tensor(values, dtype="float64", requires_grad=True)


RNG = np.random.default_rng(1234)


# ------------------------------------------------------------------ grad
def test_grad_returns_a_tuple_and_leaves_dot_grad_alone():
    x = leaf([1.0, 2.0, 3.0])
    y = (x ** 2).sum()
    result = autograd.grad(y, x)
    assert isinstance(result, tuple) and len(result) == 1
    assert isinstance(result[0], Tensor)
    np.testing.assert_array_equal(result[0].data, [2.0, 4.0, 6.0])
    assert x.grad is None
    assert not result[0].requires_grad


def test_grad_does_not_touch_existing_grad():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    autograd.grad((x * x).sum(), x)
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_grad_several_inputs_in_order():
    x, y, z = leaf(2.0), leaf(3.0), leaf(5.0)
    out = x * y + y * z * z
    gx, gz, gy = autograd.grad(out, [x, z, y])
    assert gx.item() == 3.0
    assert gz.item() == 2 * 3.0 * 5.0
    assert gy.item() == 2.0 + 25.0


def test_grad_several_outputs_are_summed():
    x = leaf([1.0, 2.0])
    (g,) = autograd.grad([(x * x).sum(), (3 * x).sum()], x)
    np.testing.assert_array_equal(g.data, [2.0 + 3.0, 4.0 + 3.0])


def test_grad_outputs_weights_a_non_scalar_output():
    x = leaf([1.0, 2.0, 3.0])
    y = x * x
    (g,) = autograd.grad(y, x, grad_outputs=autograd.tensor([1.0, 10.0, 100.0]))
    np.testing.assert_array_equal(g.data, [2.0, 40.0, 600.0])
    (g,) = autograd.grad(x * x, x, grad_outputs=np.array([1.0, 0.0, -1.0]))
    np.testing.assert_array_equal(g.data, [2.0, 0.0, -6.0])


def test_grad_non_scalar_without_grad_outputs_raises():
    x = leaf([1.0, 2.0])
    with pytest.raises(BackwardError, match=r"shape \(2,\).*gradient="):
        autograd.grad(x * x, x)


def test_grad_outputs_count_must_match():
    x = leaf([1.0, 2.0])
    with pytest.raises(ShapeError, match=r"1 output\(s\) but 2 grad_outputs"):
        autograd.grad((x * x).sum(), x, grad_outputs=[None, None])


def test_grad_of_input_that_does_not_require_grad_raises():
    x = leaf([1.0])
    c = autograd.tensor([2.0])
    with pytest.raises(BackwardError, match="input 1 does not require grad"):
        autograd.grad((x * c).sum(), [x, c])


def test_unused_input_raises():
    x, unused = leaf([1.0, 2.0]), leaf([[1.0, 2.0, 3.0]])
    with pytest.raises(UnusedInputError) as info:
        autograd.grad((x * x).sum(), [x, unused])
    message = str(info.value)
    assert "input 1" in message
    assert "(1, 3)" in message
    assert "allow_unused=True" in message


def test_allow_unused_gives_none():
    x, unused = leaf([1.0, 2.0]), leaf(1.0)
    gx, gu = autograd.grad((x * x).sum(), [x, unused], allow_unused=True)
    np.testing.assert_array_equal(gx.data, [2.0, 4.0])
    assert gu is None


def test_grad_frees_graph_unless_retained():
    x = leaf(1.0)
    y = x.exp() * 2
    autograd.grad(y, x)
    with pytest.raises(autograd.GraphFreedError, match="retain_graph=True"):
        autograd.grad(y, x)
    z = x.exp() * 2
    autograd.grad(z, x, retain_graph=True)
    (g,) = autograd.grad(z, x)
    assert g.item() == pytest.approx(2 * np.e)


def test_grad_with_respect_to_a_non_leaf_intermediate():
    x = leaf([1.0, 2.0])
    h = x * 3
    y = (h ** 2).sum()
    gh, gx = autograd.grad(y, [h, x])
    np.testing.assert_array_equal(gh.data, [6.0, 12.0])   # 2h
    np.testing.assert_array_equal(gx.data, [18.0, 36.0])  # 2h * 3
    assert h.grad is None and x.grad is None


def test_grad_of_an_output_with_respect_to_itself():
    x = leaf([1.0, 2.0])
    (g,) = autograd.grad(x, x, grad_outputs=np.array([3.0, 4.0]))
    np.testing.assert_array_equal(g.data, [3.0, 4.0])


def test_grad_keeps_input_dtype():
    x = autograd.tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    (g,) = autograd.grad((x * np.array([0.5, 0.25])).sum(), x)
    assert g.dtype == np.float32


def test_create_graph_third_derivative_of_sin():
    for value in (0.7, -1.3, 2.9):
        x = leaf(value)
        (d1,) = autograd.grad(x.sin(), x, create_graph=True)
        (d2,) = autograd.grad(d1, x, create_graph=True)
        (d3,) = autograd.grad(d2, x)
        assert d1.requires_grad and d2.requires_grad and not d3.requires_grad
        assert d1.item() == pytest.approx(np.cos(value), abs=1e-14)
        assert d2.item() == pytest.approx(-np.sin(value), abs=1e-14)
        assert d3.item() == pytest.approx(-np.cos(value), abs=1e-14)


def test_create_graph_higher_derivatives_of_a_composite():
    # f(x) = exp(x) * x**2: f' = e^x (x^2 + 2x), f'' = e^x (x^2 + 4x + 2), f''' = e^x (x^2 + 6x + 6)
    x = leaf(0.4)
    y = x.exp() * x ** 2
    (d1,) = autograd.grad(y, x, create_graph=True)
    (d2,) = autograd.grad(d1, x, create_graph=True)
    (d3,) = autograd.grad(d2, x)
    e, v = np.exp(0.4), 0.4
    assert d1.item() == pytest.approx(e * (v * v + 2 * v), rel=1e-13)
    assert d2.item() == pytest.approx(e * (v * v + 4 * v + 2), rel=1e-13)
    assert d3.item() == pytest.approx(e * (v * v + 6 * v + 6), rel=1e-13)


def test_mixed_second_derivative():
    x, y = leaf(1.5), leaf(-0.5)
    f = (x * y).sin() * x
    (gx,) = autograd.grad(f, x, create_graph=True)
    (gxy,) = autograd.grad(gx, y)
    # d/dx = cos(xy) y x + sin(xy); d/dy of that = -sin(xy) x^2 y + 2 x cos(xy)
    xv, yv = 1.5, -0.5
    expected = -np.sin(xv * yv) * xv * xv * yv + 2 * xv * np.cos(xv * yv)
    assert gxy.item() == pytest.approx(expected, rel=1e-13)


# ------------------------------------------------------------------ jvp (forward mode)
def test_jvp_returns_outputs_and_tangent():
    x = autograd.tensor([0.1, 0.2, 0.3])
    v = autograd.tensor([1.0, 2.0, -1.0])
    out, tangent = autograd.jvp(lambda a: a.sin(), x, v)
    np.testing.assert_allclose(out.data, np.sin([0.1, 0.2, 0.3]), rtol=1e-15)
    np.testing.assert_allclose(tangent.data, np.cos([0.1, 0.2, 0.3]) * [1.0, 2.0, -1.0],
                               rtol=1e-15)


@pytest.mark.parametrize("fn, derivative", [
    (lambda a: a.exp(), np.exp),
    (lambda a: a.log(), lambda v: 1 / v),
    (lambda a: a.tanh(), lambda v: 1 - np.tanh(v) ** 2),
    (lambda a: a.sigmoid(), lambda v: np.exp(-v) / (1 + np.exp(-v)) ** 2),
    (lambda a: a.sqrt(), lambda v: 0.5 / np.sqrt(v)),
    (lambda a: a ** 3, lambda v: 3 * v ** 2),
    (lambda a: 2.0 ** a, lambda v: np.log(2.0) * 2.0 ** v),
    (lambda a: 1.0 / a, lambda v: -1 / v ** 2),
    (lambda a: a.cos() * a, lambda v: -np.sin(v) * v + np.cos(v)),
])
def test_jvp_closed_forms(fn, derivative):
    values = np.array([0.3, 1.1, 2.5])
    tangent_in = np.array([1.0, -2.0, 0.5])
    out, tangent = autograd.jvp(fn, autograd.tensor(values), autograd.tensor(tangent_in))
    np.testing.assert_allclose(tangent.data, derivative(values) * tangent_in, rtol=1e-12)


def test_jvp_tangents_may_be_omitted_for_one_element_primals():
    out, tangent = autograd.jvp(lambda a: a * a * a, autograd.tensor(2.0))
    assert out.item() == 8.0 and tangent.item() == 12.0
    with pytest.raises(ShapeError, match="tangents are required"):
        autograd.jvp(lambda a: a, autograd.tensor([1.0, 2.0]))


def test_jvp_checks_tangents():
    x = autograd.tensor([1.0, 2.0])
    with pytest.raises(ShapeError,
                       match=r"tangent 0 has shape \(3,\) but its primal has shape \(2,\)"):
        autograd.jvp(lambda a: a, x, np.ones(3))
    with pytest.raises(ShapeError, match=r"2 primal\(s\) but 1 tangent\(s\)"):
        autograd.jvp(lambda a, b: a + b, (x, x), (np.ones(2),))


def test_jvp_several_inputs_and_outputs():
    a, b = autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0])
    ta, tb = np.array([1.0, 0.5]), np.array([-1.0, 2.0])
    (prod, total), (t_prod, t_total) = autograd.jvp(lambda p, q: (p * q, (p + q).sum()),
                                                    (a, b), (ta, tb))
    np.testing.assert_array_equal(prod.data, [3.0, 8.0])
    np.testing.assert_array_equal(t_prod.data, ta * [3.0, 4.0] + [1.0, 2.0] * tb)
    assert total.item() == 10.0
    assert t_total.item() == pytest.approx(ta.sum() + tb.sum())


def test_jvp_of_an_output_that_ignores_the_input_is_zero():
    out, tangent = autograd.jvp(lambda a: autograd.tensor([5.0, 6.0]) * 2, autograd.tensor(1.0))
    np.testing.assert_array_equal(tangent.data, [0.0, 0.0])


def test_jvp_is_forward_mode_and_needs_no_graph():
    # runs under no_grad: nothing is recorded, so no backward pass can be involved
    x = autograd.tensor([0.5, 1.5])
    with autograd.no_grad():
        out, tangent = autograd.jvp(lambda a: (a * a).exp(), x, np.ones(2))
    assert out.grad_fn is None
    np.testing.assert_allclose(tangent.data, 2 * x.data * np.exp(x.data ** 2), rtol=1e-13)


def test_jvp_leaves_no_tangent_behind():
    x = autograd.tensor([1.0, 2.0])
    out, _ = autograd.jvp(lambda a: a * 2, x, np.ones(2))
    assert x._tangent is None and out._tangent is None
    # ops after jvp are plain again
    y = x * 3
    assert y._tangent is None


def _jacobian_times(jac, tangents):
    """sum over inputs of J_i contracted with v_i over the input axes."""
    total = 0
    for block, v in zip(jac, tangents):
        total = total + np.tensordot(np.asarray(block), v, axes=v.ndim)
    return total


JVP_CASES = {
    "elementwise": (lambda x: x.sin() * x.sum(), [(3,)]),
    "matmul-tanh": (lambda A, b: (A @ b).tanh(), [(2, 3), (3,)]),
    "softmax": (lambda x: x.reshape(2, 3).softmax(axis=-1), [(6,)]),
    "broadcast": (lambda x, y: x[:, None] * y + y.exp(), [(3,), (2, 1, 4)]),
    "reductions": (lambda x: x.amax(0) + x.logsumexp(0) + x.mean(0),
                   [(4, 3)]),
    "index-concat": (lambda x, y: autograd.concatenate([x[::2] * 2, y[[0, 0, 1]]]),
                     [(5,), (3,)]),
    "norm": (lambda x: (x - x.mean()) / (x.var() + 1e-3).sqrt(), [(5,)]),
}


@pytest.mark.parametrize("name", sorted(JVP_CASES))
def test_jvp_agrees_with_jacobian(name):
    fn, shapes = JVP_CASES[name]
    primals = tuple(autograd.tensor(RNG.uniform(0.2, 1.5, s)) for s in shapes)
    tangents = tuple(RNG.standard_normal(s) for s in shapes)
    out, tangent = autograd.jvp(fn, primals, tangents)
    jac = autograd.jacobian(fn, primals)  # primals is a tuple, so jac is one per input
    assert isinstance(jac, tuple) and len(jac) == len(primals)
    expected = _jacobian_times(jac, tangents)
    assert tangent.shape == out.shape
    np.testing.assert_allclose(tangent.data, expected, rtol=1e-10, atol=1e-12)


def test_jvp_agrees_with_jacobian_several_outputs():
    def fn(a, b):
        return (a * b).sum(axis=1), a.T @ b, (a / b).exp()

    primals = (autograd.tensor(RNG.uniform(0.5, 1.0, (2, 3))),
               autograd.tensor(RNG.uniform(0.5, 1.0, (2, 3))))
    tangents = (RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3)))
    outs, out_tangents = autograd.jvp(fn, primals, tangents)
    jacs = autograd.jacobian(fn, primals)
    assert len(out_tangents) == 3 and len(jacs) == 3
    for out, t, jac in zip(outs, out_tangents, jacs):
        assert t.shape == out.shape
        np.testing.assert_allclose(t.data, _jacobian_times(jac, tangents), rtol=1e-10)


# ------------------------------------------------------------------ vjp
def test_vjp_returns_outputs_and_vector_jacobian_product():
    x = autograd.tensor([1.0, 2.0, 3.0])
    v = autograd.tensor([1.0, 0.0, 2.0])
    out, result = autograd.vjp(lambda a: a ** 2, x, v)
    np.testing.assert_array_equal(out.data, [1.0, 4.0, 9.0])
    np.testing.assert_array_equal(result.data, [2.0, 0.0, 12.0])
    assert not out.requires_grad and out.grad_fn is None  # detached, as in PyTorch
    assert x.grad is None and not x.requires_grad


def test_vjp_scalar_output_needs_no_v_and_several_inputs_give_a_tuple():
    a, b = autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0])
    out, (ga, gb) = autograd.vjp(lambda p, q: (p * q).sum(), (a, b))
    assert out.item() == 11.0
    np.testing.assert_array_equal(ga.data, [3.0, 4.0])
    np.testing.assert_array_equal(gb.data, [1.0, 2.0])


def test_vjp_unused_input_gives_zeros():
    a, b = autograd.tensor([1.0, 2.0]), autograd.tensor([3.0])
    _, (ga, gb) = autograd.vjp(lambda p, q: p.sum() * 2, (a, b))
    np.testing.assert_array_equal(ga.data, [2.0, 2.0])
    np.testing.assert_array_equal(gb.data, [0.0])


def test_vjp_agrees_with_jacobian():
    fn, (shape,) = JVP_CASES["softmax"]
    x = autograd.tensor(RNG.standard_normal(shape))
    v = RNG.standard_normal((2, 3))
    _, result = autograd.vjp(fn, x, v)
    jac = np.asarray(autograd.jacobian(fn, x))
    np.testing.assert_allclose(result.data, np.tensordot(v, jac, axes=2), rtol=1e-12)


def test_vjp_create_graph_is_differentiable():
    x = leaf([0.5, 1.0])
    out, result = autograd.vjp(lambda a: a.sin(), x, np.ones(2), create_graph=True)
    assert result.requires_grad
    (g,) = autograd.grad(result.sum(), x)
    np.testing.assert_allclose(g.data, -np.sin([0.5, 1.0]), rtol=1e-14)


# ------------------------------------------------------------------ jacobian
def test_jacobian_shape_is_output_shape_plus_input_shape():
    x = autograd.tensor(RNG.standard_normal((2, 3)))
    jac = autograd.jacobian(lambda a: a.sum(axis=0), x)
    assert jac.shape == (3, 2, 3)
    expected = np.zeros((3, 2, 3))
    for j in range(3):
        expected[j, :, j] = 1.0
    np.testing.assert_array_equal(jac.data, expected)


def test_jacobian_of_elementwise_is_diagonal():
    values = np.array([0.1, 0.5, 0.9])
    jac = autograd.jacobian(lambda a: a.exp(), autograd.tensor(values))
    np.testing.assert_allclose(jac.data, np.diag(np.exp(values)), rtol=1e-15)


def test_jacobian_of_matmul():
    A = RNG.standard_normal((2, 3))
    jac = autograd.jacobian(lambda x: autograd.tensor(A) @ x, autograd.tensor(np.ones(3)))
    np.testing.assert_allclose(jac.data, A, rtol=1e-15)


def test_jacobian_several_inputs_and_outputs_are_tuples():
    a, b = autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0, 5.0])
    jac = autograd.jacobian(lambda p, q: (autograd.outer(p, q), p.sum() * q), (a, b))
    assert isinstance(jac, tuple) and len(jac) == 2
    (j_outer_a, j_outer_b), (j_scaled_a, j_scaled_b) = jac
    assert j_outer_a.shape == (2, 3, 2) and j_outer_b.shape == (2, 3, 3)
    assert j_scaled_a.shape == (3, 2) and j_scaled_b.shape == (3, 3)
    np.testing.assert_array_equal(j_scaled_a.data, [[3.0, 3.0], [4.0, 4.0], [5.0, 5.0]])
    np.testing.assert_array_equal(j_scaled_b.data, 3.0 * np.eye(3))
    # d outer[i, j] / d a[k] = delta_ik q[j]
    expected = np.zeros((2, 3, 2))
    for i in range(2):
        expected[i, :, i] = [3.0, 4.0, 5.0]
    np.testing.assert_array_equal(j_outer_a.data, expected)


def test_jacobian_scalar_input_and_output():
    jac = autograd.jacobian(lambda a: a ** 3, autograd.tensor(2.0))
    assert jac.shape == ()
    assert jac.item() == 12.0


def test_jacobian_of_unused_input_is_zero():
    jac = autograd.jacobian(lambda p, q: p * 2, (autograd.tensor([1.0, 2.0]),
                                                  autograd.tensor([1.0])))
    assert jac[1].shape == (2, 1)
    np.testing.assert_array_equal(jac[1].data, np.zeros((2, 1)))


# ------------------------------------------------------------------ hessian / hvp
def test_hessian_of_a_quadratic_form():
    A = np.array([[1.0, 2.0, 0.0], [3.0, 4.0, -1.0], [0.5, 0.0, 2.0]])
    x = autograd.tensor(RNG.standard_normal(3))
    H = autograd.hessian(lambda v: v @ autograd.tensor(A) @ v, x)
    assert H.shape == (3, 3)
    np.testing.assert_allclose(H.data, A + A.T, rtol=1e-14)


def test_hessian_shape_for_matrix_input():
    x = autograd.tensor(RNG.standard_normal((2, 2)))
    H = autograd.hessian(lambda a: (a ** 3).sum(), x)
    assert H.shape == (2, 2, 2, 2)
    expected = np.diag((6 * x.numpy()).ravel()).reshape(2, 2, 2, 2)
    np.testing.assert_allclose(H.data, expected, rtol=1e-14)


def test_hessian_of_several_inputs_is_nested():
    a, b = autograd.tensor([1.0, 2.0]), autograd.tensor(3.0)
    H = autograd.hessian(lambda p, q: (p * p).sum() * q, (a, b))
    (haa, hab), (hba, hbb) = H
    np.testing.assert_allclose(haa.data, 2 * 3.0 * np.eye(2))
    np.testing.assert_allclose(hab.data, [2.0, 4.0])
    np.testing.assert_allclose(hba.data, [2.0, 4.0])
    assert hbb.item() == 0.0


def test_hvp_equals_hessian_times_v():
    def f(x):
        return (x.sin() * x).sum() + (x[:2] * x[1:]).sum() ** 2

    x = autograd.tensor(RNG.standard_normal(3))
    v = RNG.standard_normal(3)
    out, hv = autograd.hvp(f, x, v)
    H = autograd.hessian(f, x)
    np.testing.assert_allclose(hv.data, H.data @ v, rtol=1e-12)
    assert out.item() == pytest.approx(f(x).item())
    assert not out.requires_grad  # detached, as in PyTorch
    assert not x.requires_grad and x.grad is None


def test_hvp_of_quadratic_form():
    A = np.array([[2.0, 1.0], [0.0, 3.0]])
    out, hv = autograd.hvp(lambda v: v @ autograd.tensor(A) @ v,
                           autograd.tensor([1.0, 1.0]), autograd.tensor([1.0, 2.0]))
    assert out.item() == 6.0
    np.testing.assert_allclose(hv.data, (A + A.T) @ [1.0, 2.0])


def test_hessian_matches_torch():
    torch = pytest.importorskip("torch")
    from torch.autograd.functional import hessian as torch_hessian
    from torch.autograd.functional import hvp as torch_hvp

    values = RNG.standard_normal(4)
    v = RNG.standard_normal(4)

    def f_ours(x):
        return (x.tanh() * x.exp()).sum() + (x ** 2).sum() * x[0]

    def f_torch(x):
        return (x.tanh() * x.exp()).sum() + (x ** 2).sum() * x[0]

    ours = autograd.hessian(f_ours, autograd.tensor(values)).data
    theirs = torch_hessian(f_torch, torch.tensor(values)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)
    _, hv = autograd.hvp(f_ours, autograd.tensor(values), v)
    _, thv = torch_hvp(f_torch, torch.tensor(values), torch.tensor(v))
    np.testing.assert_allclose(hv.data, thv.numpy(), rtol=1e-12)


# ------------------------------------------------------------------ built on autograd.func
def test_jacobian_strategies_agree():
    # vectorize=False is a loop of backward passes (jacrev(chunk_size=1)); vectorize=True one
    # batched backward (jacrev); forward-mode one batched forward pass (jacfwd)
    fn, shapes = JVP_CASES["broadcast"]
    xs = tuple(autograd.tensor(RNG.uniform(0.2, 1.5, s)) for s in shapes)
    loop = autograd.jacobian(fn, xs)
    for kwargs in ({"vectorize": True}, {"vectorize": True, "strategy": "forward-mode"}):
        for a, b in zip(autograd.jacobian(fn, xs, **kwargs), loop):
            np.testing.assert_allclose(a.data, b.data, rtol=1e-12, atol=1e-14)
    with pytest.raises(NotImplementedError, match="vectorize=True"):
        autograd.jacobian(fn, xs, strategy="forward-mode")


def test_hessian_strategies_and_vhp_agree_with_the_closed_form():
    # f = sum(x^3) * x0: H = diag(6 x) x0 + 3 x^2 e0^T + e0 (3 x^2)^T
    x = RNG.uniform(0.5, 1.5, 3)
    e0 = np.eye(3)[0]
    expected = np.diag(6 * x) * x[0] + np.outer(3 * x ** 2, e0) + np.outer(e0, 3 * x ** 2)

    def f(v):
        return (v ** 3).sum() * v[0]

    for kwargs in ({}, {"vectorize": True},
                   {"vectorize": True, "outer_jacobian_strategy": "forward-mode"}):
        np.testing.assert_allclose(autograd.hessian(f, autograd.tensor(x), **kwargs).data,
                                   expected, rtol=1e-12)
    u = RNG.standard_normal(3)
    _, vh = autograd.vhp(f, autograd.tensor(x), u)
    _, hv = autograd.hvp(f, autograd.tensor(x), u)
    np.testing.assert_allclose(vh.data, u @ expected, rtol=1e-12)
    np.testing.assert_allclose(hv.data, expected @ u, rtol=1e-12)


def test_jvp_inside_jvp_is_a_second_derivative():
    # d/dx [jvp of sin at x along 1] along 1 = -sin x; the inner jvp keeps its graph
    # (create_graph=True) so that the outer level sees through it, as in PyTorch
    x = autograd.tensor([0.3, 1.2])
    inner = lambda a: autograd.jvp(lambda b: b.sin(), a, autograd.ones(2),  # noqa: E731
                                   create_graph=True)[1]
    _, second = autograd.jvp(inner, x, autograd.ones(2))
    np.testing.assert_allclose(second.data, -np.sin([0.3, 1.2]), rtol=1e-14)


def test_strict_refuses_an_output_independent_of_an_input():
    a, b = autograd.tensor([1.0, 2.0]), autograd.tensor([3.0])
    for call in (lambda: autograd.jacobian(lambda p, q: p * 2, (a, b), strict=True),
                 lambda: autograd.vjp(lambda p, q: p.sum(), (a, b), strict=True),
                 lambda: autograd.jvp(lambda p, q: p * 2, (a, b), (a, b), strict=True)):
        with pytest.raises(RuntimeError, match="independent of input 1"):
            call()
    assert autograd.jacobian(lambda p, q: p * q, (a, b), strict=True)[1].shape == (2, 1)
