"""Custom ops: autograd.Function as in PyTorch."""
import numpy as np
import pytest

import autograd
from autograd import BackwardError, Function, GraphFreedError, ShapeError, Tensor


pytestmark = pytest.mark.usefixtures("float64_default")


def leaf(values):
    return autograd.tensor(values, requires_grad=True)


class Cube(Function):
    """x**3 * k, k a plain Python number."""
    log = []

    @staticmethod
    def forward(ctx, x, k):
        Cube.log.append(("forward", autograd.is_grad_enabled(), type(x).__name__))
        ctx.save_for_backward(x)
        ctx.k = k
        return x ** 3 * k

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        Cube.log.append(("backward", ctx.needs_input_grad, type(grad).__name__))
        return grad * 3 * x ** 2 * ctx.k, None


class MulAdd(Function):
    """a * b + c, with a forward-mode rule."""

    @staticmethod
    def forward(ctx, a, b, c):
        ctx.save_for_backward(a, b)
        return a * b + c

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (grad * b if ctx.needs_input_grad[0] else None,
                grad * a if ctx.needs_input_grad[1] else None,
                grad if ctx.needs_input_grad[2] else None)

    @staticmethod
    def jvp(ctx, ta, tb, tc):
        a, b = ctx.saved_tensors
        return ta * b + a * tb + tc


class Exp(Function):
    """Saves its own output, as PyTorch's docs example does."""

    @staticmethod
    def forward(ctx, x):
        out = x.exp()
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out


def test_apply_forward_backward():
    Cube.log.clear()
    x = leaf([1.0, 2.0])
    y = Cube.apply(x, 2.0)
    assert isinstance(y, Tensor)
    np.testing.assert_array_equal(y.data, [2.0, 16.0])
    assert y.requires_grad and y.grad_fn.name == "Cube"
    assert "grad_fn=<Cube>" in repr(y)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, 24.0])  # 3 * k * x^2
    assert Cube.log == [("forward", False, "Tensor"),      # forward runs without recording
                        ("backward", (True, False), "Tensor")]


def test_needs_input_grad():
    seen = []

    class Record(Function):
        @staticmethod
        def forward(ctx, a, b, c, n):
            seen.append(ctx.needs_input_grad)
            return a * b * c * n

        @staticmethod
        def backward(ctx, grad):
            return None, grad, None, None

    a, b = leaf([1.0]), leaf([2.0])
    c = autograd.tensor([3.0])
    Record.apply(a, b, c, 4.0).sum().backward()
    assert seen == [(True, True, False, False)]
    assert a.grad is None  # backward returned None for it
    assert b.grad.item() == 1.0


def test_inside_a_bigger_graph():
    x = leaf([0.5, 1.5])
    h = x.sin()
    y = (Cube.apply(h, 1.0) * x).sum()
    y.backward()
    # d/dx [sin(x)^3 * x] = 3 sin^2 cos x + sin^3
    s, c = np.sin(x.data), np.cos(x.data)
    np.testing.assert_allclose(x.grad.data, 3 * s ** 2 * c * x.data + s ** 3, rtol=1e-14)


def test_several_uses_sum_their_paths():
    a, b, c = leaf([1.0, 2.0]), leaf([3.0, 4.0]), leaf([0.5, 0.5])
    out = MulAdd.apply(a, b, c) + MulAdd.apply(a, a, b)
    out.sum().backward()
    np.testing.assert_array_equal(a.grad.data, b.data + 2 * a.data)
    np.testing.assert_array_equal(b.grad.data, a.data + 1)
    np.testing.assert_array_equal(c.grad.data, [1.0, 1.0])


def test_non_tensor_argument_gets_no_gradient():
    x = leaf(2.0)
    k = autograd.tensor(5.0)  # a tensor that does not require grad
    y = Cube.apply(x, 1.0) * k
    y.backward()
    assert x.grad.item() == 60.0
    assert k.grad is None


def test_gradient_returned_for_a_non_tensor_argument_is_ignored():
    class Scale(Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.k, grad.sum()  # a gradient for k, which is a float

    x = leaf([1.0, 2.0])
    Scale.apply(x, 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_under_no_grad_nothing_is_recorded():
    x = leaf([1.0, 2.0])
    with autograd.no_grad():
        y = Cube.apply(x, 1.0)
    assert not y.requires_grad and y.grad_fn is None
    np.testing.assert_array_equal(y.data, [1.0, 8.0])


def test_on_tensors_that_need_no_grad():
    y = Cube.apply(autograd.tensor([2.0]), 1.0)
    assert not y.requires_grad and y.grad_fn is None


def test_forward_may_return_an_ndarray():
    class NumpyExp(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.out = np.exp(x.data)
            return ctx.out

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.out

    x = leaf([0.0, 1.0])
    y = NumpyExp.apply(x)
    assert isinstance(y, Tensor) and y.grad_fn.name == "NumpyExp"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.exp([0.0, 1.0]), rtol=1e-15)


class SortedPair(Function):
    """Two outputs, the second (an index) not differentiable: PyTorch's sort-like op."""

    @staticmethod
    def forward(ctx, x):
        order = np.argsort(x.numpy())
        ctx.order = order
        indices = autograd.tensor(order)
        ctx.mark_non_differentiable(indices)
        return x.numpy()[order] * 2, indices

    @staticmethod
    def backward(ctx, g_values, g_indices):
        assert np.all(g_indices.numpy() == 0)  # zeros for the non-differentiable output
        grad = np.zeros_like(g_values.data)
        grad[ctx.order] = 2 * g_values.data
        return grad


def test_several_outputs_each_get_their_gradient_and_marked_ones_none():
    x = leaf([3.0, 1.0, 2.0])
    values, indices = SortedPair.apply(x)
    assert not indices.requires_grad and indices.tolist() == [1, 2, 0]
    (values * autograd.tensor([1.0, 10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [200.0, 2.0, 20.0])


def test_several_outputs_used_together_sum_their_gradients():
    class SplitScale(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, ga, gb):
            assert len(ctx.saved_tensors) == 1  # still there for the second output's node
            return ga * 2 + gb * 3

    x = leaf([1.0, 2.0])
    a, b = SplitScale.apply(x)
    (a + b * b).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 + 3 * 2 * (3 * np.array([1.0, 2.0])))


def test_once_differentiable_refuses_a_second_derivative():
    class NumpySquare(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.numpy() ** 2

        @staticmethod
        @autograd.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x.numpy() * g.numpy()

    x = leaf([3.0])
    (g,) = autograd.grad(NumpySquare.apply(x).sum(), x)
    assert g.item() == 6.0
    with pytest.raises(BackwardError, match="NumpySquare.backward is marked "
                                            "@once_differentiable"):
        autograd.grad(NumpySquare.apply(x).sum(), x, create_graph=True)


def test_apply_on_the_base_class_raises():
    with pytest.raises(TypeError, match="subclass of Function"):
        Function.apply(leaf([1.0]))


def test_backward_returning_wrong_number_of_gradients():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad):
            return grad

    a = leaf([1.0, 2.0])
    with pytest.raises(BackwardError) as info:
        Bad.apply(a, a).sum().backward()
    message = str(info.value)
    assert "Bad.backward returned 1 gradient(s)" in message
    assert "forward took 2 input(s)" in message
    assert "None for inputs that need none" in message


@pytest.mark.parametrize("returned, shape", [(np.ones(3), "(3,)"), (np.ones(()), "()"),
                                             (np.ones((2, 3)), "(2, 3)")])
def test_backward_returning_wrong_shape(returned, shape):
    class BadShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, grad):
            return returned

    x = leaf([1.0, 2.0])
    with pytest.raises(ShapeError) as info:
        BadShape.apply(x).backward()
    message = str(info.value)
    assert f"BadShape.backward returned a gradient of shape {shape}" in message
    assert "input 0 of shape (2,)" in message


def test_backward_gradient_broadcast_over_the_input_is_summed_back():
    # as in PyTorch: a gradient whose shape the input broadcasts to is reduced to the input
    class Spread(Function):
        @staticmethod
        def forward(ctx, x):
            return (x * 2).sum()

        @staticmethod
        def backward(ctx, grad):
            return np.full((3, 2), 2.0) * grad.data / 3

    x = leaf([1.0, 2.0])
    Spread.apply(x).backward()
    np.testing.assert_allclose(x.grad.data, [2.0, 2.0])


def test_second_backward_after_free():
    x = leaf(2.0)
    y = Cube.apply(x, 1.0)
    y.backward()
    with pytest.raises(GraphFreedError, match="retain_graph=True"):
        y.backward()


def test_saved_tensors_freed_after_backward():
    contexts = []

    class Keep(Function):
        @staticmethod
        def forward(ctx, x):
            contexts.append(ctx)
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    x = leaf([1.0])
    y = Keep.apply(x)
    assert contexts[0].saved_tensors[0] is x
    y.sum().backward()
    with pytest.raises(GraphFreedError, match="Keep: saved tensors were freed.*retain_graph=True"):
        _ = contexts[0].saved_tensors


def test_retain_graph_through_a_function():
    x = leaf(2.0)
    y = Cube.apply(x, 1.0)
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 24.0


def test_create_graph_through_a_function():
    x = leaf(2.0)
    y = Cube.apply(x, 1.0)
    (d1,) = autograd.grad(y, x, create_graph=True)
    assert d1.item() == 12.0 and d1.requires_grad
    (d2,) = autograd.grad(d1, x, create_graph=True)
    assert d2.item() == 12.0  # 6x
    (d3,) = autograd.grad(d2, x)
    assert d3.item() == 6.0


def test_create_graph_through_a_function_saving_its_output():
    x = leaf(0.3)
    y = Exp.apply(x) * x   # f = x e^x; f'' = e^x (x + 2)
    (d1,) = autograd.grad(y, x, create_graph=True)
    (d2,) = autograd.grad(d1, x)
    assert d1.item() == pytest.approx(np.exp(0.3) * 1.3, rel=1e-14)
    assert d2.item() == pytest.approx(np.exp(0.3) * 2.3, rel=1e-14)


def test_backward_create_graph_through_a_function():
    x = leaf([1.0, -1.0])
    Cube.apply(x, 1.0).sum().backward(create_graph=True)
    g = x.grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, -6.0])


def test_function_gradient_matches_finite_differences():
    values = np.array([0.3, -0.7, 1.2])
    x = leaf(values)
    MulAdd.apply(x, x.sin(), x * x).sum().backward()
    eps = 1e-6

    def f(v):
        return (v * np.sin(v) + v * v).sum()

    numeric = [(f(values + eps * e) - f(values - eps * e)) / (2 * eps) for e in np.eye(3)]
    np.testing.assert_allclose(x.grad.data, numeric, rtol=1e-7)


def test_jvp_uses_the_static_jvp():
    a, b, c = autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0]), autograd.tensor([0.0, 1.0])
    ta, tb, tc = np.array([1.0, 0.0]), np.array([0.5, 2.0]), np.array([1.0, 1.0])
    out, tangent = autograd.jvp(lambda p, q, r: MulAdd.apply(p, q, r), (a, b, c), (ta, tb, tc))
    np.testing.assert_array_equal(out.data, [3.0, 9.0])
    np.testing.assert_array_equal(tangent.data, ta * b.data + a.data * tb + tc)


def test_jvp_with_some_inputs_constant():
    a, b = autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0])
    out, tangent = autograd.jvp(lambda p: MulAdd.apply(p, b, b) * 2, a, np.ones(2))
    np.testing.assert_array_equal(tangent.data, 2 * b.data)


def test_missing_jvp_gives_a_clear_error():
    with pytest.raises(BackwardError) as info:
        autograd.jvp(lambda v: Cube.apply(v, 1.0), autograd.tensor([1.0]), np.ones(1))
    message = str(info.value)
    assert "Cube has no forward-mode rule" in message
    assert "jvp(ctx, *input_tangents)" in message


def test_function_matches_torch():
    torch = pytest.importorskip("torch")

    class TorchCube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return x ** 3 * k

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x ** 2 * ctx.k, None

    values = np.array([0.5, -1.5, 2.0])
    x = leaf(values)
    (d1,) = autograd.grad((Cube.apply(x, 2.0) * x.sin()).sum(), x, create_graph=True)
    (d2,) = autograd.grad(d1.sum(), x)
    tx = torch.tensor(values, requires_grad=True)
    (t1,) = torch.autograd.grad((TorchCube.apply(tx, 2.0) * tx.sin()).sum(), tx,
                                create_graph=True)
    (t2,) = torch.autograd.grad(t1.sum(), tx)
    np.testing.assert_allclose(d1.data, t1.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(d2.data, t2.numpy(), rtol=1e-13)
