"""Tensor.backward: seeding, accumulation, reuse, freeing, hooks, retain_grad, create_graph,
deep graphs, and the dtype/shape/writability of leaf gradients."""

import numpy as np
import pytest

import autograd
from autograd import BackwardError, GraphFreedError, ShapeError, Tensor


def leaf(values, dtype="float64"):
    return autograd.tensor(values, dtype=dtype, requires_grad=True)


# ------------------------------------------------------------------ seeding
def test_scalar_backward():
    x = leaf(3.0)
    y = x * x + 2 * x
    y.backward()
    assert x.grad.item() == pytest.approx(8.0)
    assert isinstance(x.grad, Tensor)
    assert x.grad.shape == ()


def test_one_element_output_needs_no_gradient():
    x = leaf([2.0])
    (x * 3).backward()
    np.testing.assert_array_equal(x.grad.data, [3.0])


def test_backward_on_a_leaf():
    x = leaf(2.0)
    x.backward()
    assert x.grad.item() == 1.0


def test_gradient_argument_for_non_scalar():
    x = leaf([1.0, 2.0, 3.0])
    y = x * x
    y.backward(gradient=autograd.tensor([1.0, 10.0, 100.0], dtype="float64"))
    np.testing.assert_array_equal(x.grad.data, [2.0, 40.0, 600.0])


@pytest.mark.parametrize("gradient", [np.array([1.0, 1.0]), [1.0, 1.0]])
def test_gradient_may_be_an_array_or_list(gradient):
    x = leaf([1.0, 2.0])
    (x * 5).backward(gradient=gradient)
    np.testing.assert_array_equal(x.grad.data, [5.0, 5.0])


def test_non_scalar_without_gradient_raises():
    x = leaf([[1.0, 2.0]])
    with pytest.raises(BackwardError) as info:
        (x * 2).backward()
    message = str(info.value)
    assert "(1, 2)" in message
    assert "gradient=" in message
    assert x.grad is None


def test_gradient_of_wrong_shape_raises():
    x = leaf([1.0, 2.0])
    with pytest.raises(ShapeError,
                       match=r"gradient has shape \(3,\) but the output has shape \(2,\)"):
        (x * 2).backward(gradient=np.ones(3))


def test_backward_on_tensor_without_graph_raises():
    with pytest.raises(BackwardError, match="does not require grad"):
        autograd.tensor([1.0]).sum().backward()


# ------------------------------------------------------------------ accumulation and reuse
def test_gradients_accumulate_across_calls():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0 + 2.0, 3.0 + 4.0])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_accumulation_is_in_place_as_in_pytorch():
    x = leaf([1.0, 2.0])
    (x * 2).sum().backward()
    first = x.grad
    (x * 2).sum().backward()
    assert x.grad is first  # the same Tensor, updated
    np.testing.assert_array_equal(first.data, [4.0, 4.0])


def test_accumulation_does_not_write_into_a_read_only_grad():
    x = leaf([1.0, 2.0])
    frozen = np.ones(2)
    frozen.flags.writeable = False
    x.grad = Tensor(frozen)
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])
    np.testing.assert_array_equal(frozen, [1.0, 1.0])


def test_accumulation_does_not_write_into_a_grad_that_is_in_a_graph():
    x = leaf(2.0)
    (x ** 3).backward(create_graph=True)
    first = x.grad  # 3x^2, itself in a graph
    (x * 1.0).backward()
    assert first.item() == 12.0
    assert x.grad.item() == 13.0


def test_square_by_reuse():
    x = leaf(3.0)
    (x * x).backward()
    assert x.grad.item() == 6.0


def test_node_reused_in_many_branches_sums_its_paths():
    x = leaf(2.0)
    y = x.exp()  # a non-leaf used in five branches
    z = y + y * 2 + y * y + y.sin() + y / x
    z.backward()
    e = np.exp(2.0)
    dz_dy = 1 + 2 + 2 * e + np.cos(e) + 1 / 2.0
    dz_dx = dz_dy * e - e / 4.0  # d(y/x)/dx through x directly
    assert x.grad.item() == pytest.approx(dz_dx, rel=1e-12)


def test_leaf_used_many_times():
    x = leaf([1.0, -2.0])
    out = x
    for _ in range(10):
        out = out + x
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [11.0, 11.0])


def test_diamond_graph():
    x = leaf(0.5)
    a = x * 3        #   x
    b = a.sin()      #   |
    c = a.cos()      #   a
    d = b * c        #  / \
    d.backward()     # b   c  ->  d
    xa = 1.5
    expected = 3 * (np.cos(xa) ** 2 - np.sin(xa) ** 2)
    assert x.grad.item() == pytest.approx(expected, rel=1e-12)


def test_two_diamonds_in_sequence():
    x = leaf(1.3)
    a = x * x
    b = a + a * 2          # first diamond on a
    c = b.exp() * b        # second diamond on b
    c.backward()
    bv = 3 * 1.3 ** 2
    expected = (np.exp(bv) * bv + np.exp(bv)) * 3 * 2 * 1.3
    assert x.grad.item() == pytest.approx(expected, rel=1e-12)


def test_broadcast_leaf_gets_its_own_shape():
    x = leaf([[1.0], [2.0], [3.0]])       # (3, 1)
    y = leaf([10.0, 20.0, 30.0, 40.0])    # (4,)
    (x * y).sum().backward()
    assert x.grad.shape == (3, 1)
    assert y.grad.shape == (4,)
    np.testing.assert_array_equal(x.grad.data, [[100.0], [100.0], [100.0]])
    np.testing.assert_array_equal(y.grad.data, [6.0, 6.0, 6.0, 6.0])


def test_constants_get_no_grad():
    x = leaf([1.0, 2.0])
    c = autograd.tensor([3.0, 4.0], dtype="float64")
    (x * c).sum().backward()
    assert c.grad is None
    assert x.grad is not None


# ------------------------------------------------------------------ leaf .grad properties
def test_leaf_grad_is_a_writable_owned_array():
    x = autograd.tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    x.sum().backward()  # the rule broadcasts; the leaf must not get a read-only view
    g = x.grad._data  # the array itself (.data hands out a read-only view of it)
    assert isinstance(g, np.ndarray)
    assert g.shape == (2, 3) and g.dtype == np.float32
    assert g.flags.writeable
    assert g.flags.c_contiguous and 0 not in g.strides
    g[0, 0] = 5.0  # writes only that element
    np.testing.assert_array_equal(x.grad.data, [[5.0, 1.0, 1.0], [1.0, 1.0, 1.0]])


def test_leaf_grad_of_broadcast_scalar_is_writable():
    s = autograd.tensor(2.0, requires_grad=True)
    (s * np.ones(5)).sum().backward()
    assert s.grad.shape == () and s.grad.dtype == np.float32
    assert s.grad.item() == 5.0
    assert s.grad._data.flags.writeable


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_leaf_grad_has_leaf_dtype(dtype):
    x = autograd.tensor(np.array([1.0, 2.0], dtype=dtype), requires_grad=True)
    (x * np.array([3.0, 4.0], dtype=np.float64)).sum().backward()  # float64 constant
    assert x.grad.dtype == dtype
    np.testing.assert_allclose(x.grad.data, [3.0, 4.0])


def test_float32_leaf_with_float64_constants_in_a_deeper_graph():
    w = autograd.tensor([[0.5, -1.0], [2.0, 0.1]], requires_grad=True)   # float32
    x = np.array([[1.0, 2.0]], dtype=np.float64)
    h = (x @ w).tanh() * np.float64(3.0) + np.array([1.0, 1.0])
    assert h.dtype == np.float64  # numpy promotion in the forward pass
    h.sum().backward()
    assert w.grad.dtype == np.float32
    assert w.grad.shape == (2, 2)


def test_accumulated_grad_keeps_leaf_dtype():
    # a float64 seed on a float32 leaf, twice: .grad stays float32
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    seed = autograd.tensor(np.array([1.0, 2.0]))
    x.backward(gradient=seed)
    x.backward(gradient=seed)
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])


def test_accumulated_grad_keeps_dtype_when_a_hook_changes_it():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: np.asarray(g, dtype=np.float64))
    (x * 2).sum().backward()
    (x * 2).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.data, [4.0, 4.0])


# ------------------------------------------------------------------ freeing and retain_graph
def test_retain_graph_allows_a_second_backward():
    x = leaf(2.0)
    y = x ** 3
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == pytest.approx(24.0)


def test_second_backward_without_retain_graph_raises():
    x = leaf(2.0)
    y = (x * x).exp()
    y.backward()
    with pytest.raises(GraphFreedError) as info:
        y.backward()
    assert "retain_graph=True" in str(info.value)
    assert "already freed" in str(info.value)
    assert isinstance(info.value, BackwardError)  # a RuntimeError, as in PyTorch


def test_freed_graph_releases_saved_arrays():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    node = y.grad_fn
    inner = node.next_functions[0][0]
    y.backward()
    assert node.freed and inner.freed
    assert inner.args is None and inner.ans is None
    assert node.shape == ()  # the result's shape survives (for drawing)


def test_retain_graph_keeps_saved_arrays():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    assert not y.grad_fn.freed


def test_new_graph_on_top_of_a_freed_one_raises():
    x = leaf([1.0, 2.0])
    a = x * x
    a.sum().backward()
    with pytest.raises(GraphFreedError, match="mul"):
        (a * 2).sum().backward()


def test_freed_part_not_needed_by_grad_is_fine():
    # grad() walks only the part of the graph that leads to its inputs
    x, w = leaf([1.0, 2.0]), leaf(3.0)
    a = x * x
    a.sum().backward()  # frees a's node
    b = (a * 3).sum() + w * w
    (gw,) = autograd.grad(b, w)
    assert gw.item() == 6.0


# ------------------------------------------------------------------ deep graphs
def _chain(n):
    x = autograd.tensor(1.0, dtype="float64", requires_grad=True)
    y = x
    for i in range(n):
        y = y * 1.0 if i % 2 else y + 0.0
    return x, y


def test_chain_of_100k_ops_backpropagates():
    x, y = _chain(100_000)
    y.backward()
    assert x.grad.item() == 1.0
    assert y.grad_fn.freed


def test_grad_through_a_chain_of_100k_ops():
    x, y = _chain(100_000)
    (g,) = autograd.grad(y * 3.0, x)
    assert g.item() == 3.0


@pytest.mark.slow  # the 100k chains above prove the same in make test
def test_chain_of_a_million_ops_backpropagates():
    x, y = _chain(1_000_000)
    y.backward()  # an iterative walk: no RecursionError, whatever the depth
    assert x.grad.item() == 1.0


def test_wide_graph():
    xs = [leaf(float(i)) for i in range(2000)]
    total = xs[0]
    for x in xs[1:]:
        total = total + x * x
    total.backward()
    assert xs[0].grad.item() == 1.0
    assert xs[1999].grad.item() == 2 * 1999.0


# ------------------------------------------------------------------ retain_grad
def test_non_leaf_grad_is_not_kept_by_default():
    x = leaf([1.0, 2.0])
    h = x * 2
    (h * h).sum().backward()
    assert h.grad is None


def test_retain_grad_on_non_leaf():
    x = leaf([1.0, 2.0])
    h = x * 2
    h.retain_grad()
    (h * h).sum().backward()
    np.testing.assert_array_equal(h.grad.data, [4.0, 8.0])
    np.testing.assert_array_equal(x.grad.data, [8.0, 16.0])
    assert not h.is_leaf


def test_retained_grad_accumulates():
    x = leaf([1.0, 2.0])
    h = x * 2
    h.retain_grad()
    loss = (h * h).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    np.testing.assert_array_equal(h.grad.data, [8.0, 16.0])


def test_retain_grad_on_leaf_is_harmless():
    x = leaf([1.0])
    x.retain_grad()
    (x * 4).sum().backward()
    assert x.grad.item() == 4.0


# ------------------------------------------------------------------ hooks
def test_hook_on_leaf_sees_the_gradient():
    x = leaf([1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.numpy().copy()))
    (x * 3).sum().backward()
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], [3.0, 3.0])
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_hook_on_leaf_replaces_the_gradient():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: g * 0 + 7)
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [7.0, 7.0])


def test_hook_on_non_leaf_replaces_the_gradient_downstream():
    x = leaf([1.0, 2.0])
    h = x * 2
    calls = []

    def scale(g):
        calls.append(g.numpy().copy())
        return g * 10

    h.register_hook(scale)
    (h * h).sum().backward()
    np.testing.assert_array_equal(calls[0], [4.0, 8.0])
    np.testing.assert_array_equal(x.grad.data, [80.0, 160.0])


def test_hook_sees_the_summed_gradient_of_a_reused_tensor():
    x = leaf(1.0)
    h = x * 3
    seen = []
    h.register_hook(lambda g: seen.append(g.item()))
    (h + h * 2 + h * h).backward()
    assert seen == [1.0 + 2.0 + 6.0]


def test_hook_handle_remove():
    x = leaf([1.0, 2.0])
    h = x * 2
    leaf_handle = x.register_hook(lambda g: g * 0)
    node_handle = h.register_hook(lambda g: g * 10)
    (h * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])
    leaf_handle.remove()
    leaf_handle.remove()  # twice is harmless
    x.grad = None
    h2 = x * 2
    (h2 * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])
    node_handle.remove()  # h's node is freed already; removing is still fine


def test_hooks_run_in_registration_order():
    x = leaf(1.0)
    order = []
    x.register_hook(lambda g: order.append("a") or g * 2)
    x.register_hook(lambda g: order.append("b") or g + 1)
    (x * 5).backward()
    assert order == ["a", "b"]
    assert x.grad.item() == 11.0  # (5 * 2) + 1


def test_hook_on_tensor_without_grad_raises():
    with pytest.raises(BackwardError, match="does not require grad"):
        autograd.tensor([1.0]).register_hook(lambda g: g)


def test_hooks_fire_in_grad_too():
    x = leaf(2.0)
    x.register_hook(lambda g: g * 100)
    (g,) = autograd.grad(x * 3, x)
    assert g.item() == 300.0
    assert x.grad is None


# ------------------------------------------------------------------ create_graph
def test_create_graph_gives_differentiable_grad():
    x = leaf(2.0)
    y = x ** 3
    y.backward(create_graph=True)
    g = x.grad
    assert g.item() == pytest.approx(12.0)  # 3x^2
    assert g.requires_grad and g.grad_fn is not None
    x.grad = None
    g.backward()
    assert x.grad.item() == pytest.approx(12.0)  # 6x


def test_create_graph_second_derivative_of_vector_function():
    x = leaf([1.0, -2.0, 0.5])
    (x ** 3).sum().backward(create_graph=True)
    first = x.grad
    x.grad = None
    first.sum().backward()
    np.testing.assert_allclose(x.grad.data, 6 * np.array([1.0, -2.0, 0.5]))


def test_create_graph_retains_graph_by_default():
    x = leaf(1.5)
    y = x.sin()
    y.backward(create_graph=True)
    y.backward()  # retain_graph defaults to create_graph
    assert x.grad.item() == pytest.approx(2 * np.cos(1.5))


def test_no_create_graph_gives_plain_grad():
    x = leaf(2.0)
    (x ** 3).backward()
    assert not x.grad.requires_grad and x.grad.grad_fn is None


# ------------------------------------------------------------------ course notes
def test_course_notes_worked_example(float64_default):
    """L = -log(sigmoid(w*x)) at w = 3, x = 3: dL/dw = -3 (1 - sigmoid(9)) ≈ -3.7018e-4."""
    w = autograd.tensor(3.0, requires_grad=True)
    x = autograd.tensor(3.0)
    loss = -autograd.log(autograd.sigmoid(w * x))
    loss.backward()
    expected = -3.0 * (1.0 - 1.0 / (1.0 + np.exp(-9.0)))
    assert w.grad.dtype == np.float64
    assert abs(w.grad.item() - expected) < 1e-8
    assert w.grad.item() == pytest.approx(-3.7018e-4, abs=1e-8)
    assert x.grad is None


# ------------------------------------------------------------------ PyTorch parity
def test_accumulation_and_hooks_match_torch():
    torch = pytest.importorskip("torch")
    values = np.array([0.3, -1.2, 2.0])

    def run(lib, make):
        x = make(values)
        h = x * 2
        h.register_hook(lambda g: g * 3)
        x.register_hook(lambda g: g + 1)
        h.retain_grad()
        loss = (h * h).sum() + (x * h).sum()
        loss.backward(retain_graph=True)
        loss.backward()
        return np.asarray(x.grad.detach() if lib == "torch" else x.grad), \
            np.asarray(h.grad.detach() if lib == "torch" else h.grad)

    ours = run("autograd", lambda v: autograd.tensor(v, requires_grad=True))
    theirs = run("torch", lambda v: torch.tensor(v, requires_grad=True))
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_create_graph_matches_torch():
    torch = pytest.importorskip("torch")
    values = np.array([0.3, -1.2, 2.0])
    x = autograd.tensor(values, requires_grad=True)
    (x.sin() * x).sum().backward(create_graph=True)
    g = x.grad
    x.grad = None
    (g * g).sum().backward()

    tx = torch.tensor(values, requires_grad=True)
    (tx.sin() * tx).sum().backward(create_graph=True)
    tg = tx.grad
    tx.grad = None
    (tg * tg).sum().backward()
    np.testing.assert_allclose(g.data, tg.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)


def test_backward_inputs_limits_the_walk_and_the_accumulation():
    x = autograd.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    w = autograd.tensor(3.0, dtype="float64", requires_grad=True)
    h = x * w          # a non-leaf input: its .grad is filled, the walk stops there
    loss = (h * h).sum()
    loss.backward(inputs=[h, w], retain_graph=True)
    np.testing.assert_allclose(h.grad.data, 2 * h.data)
    np.testing.assert_allclose(w.grad.data, 2 * 3.0 * (1 + 4))
    assert x.grad is None
    loss.backward(inputs=w)   # accumulates like any backward
    np.testing.assert_allclose(w.grad.data, 2 * 30.0)


def test_backward_inputs_must_require_grad():
    x = autograd.tensor([1.0], requires_grad=True)
    with pytest.raises(autograd.BackwardError, match=r"inputs\[1\] does not require grad"):
        (x * 2).sum().backward(inputs=[x, autograd.tensor([1.0])])


def test_grad_leaves_retained_gradients_alone():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.retain_grad()
    autograd.grad((h * h).sum(), x)
    assert h.grad is None


def test_a_leaf_adopts_its_first_gradient_when_nothing_else_holds_it():
    import nn

    layer = nn.Linear(4, 3)
    layer(autograd.randn(5, 4)).sum().backward()
    g = layer.weight.grad._data
    assert g.base is None and g.flags.writeable  # the fused rule's own result, not a copy
    a = autograd.tensor([1.0, 2.0], requires_grad=True)
    b = autograd.tensor([3.0, 4.0], requires_grad=True)
    ((a + b) * autograd.tensor([2.0, 3.0])).sum().backward()  # add hands one array to both
    assert not np.shares_memory(a.grad._data, b.grad._data)  # each leaf gets its own
    a.grad._data += 1
    np.testing.assert_array_equal(b.grad.data, [2.0, 3.0])
