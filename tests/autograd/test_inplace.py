"""In-place changes: every route by which a value a graph saved can change between forward
and backward either gives the right gradient or raises — never a silently wrong gradient."""
import threading

import numpy as np
import pytest

import autograd
import nn
import optim
from autograd import DtypeError, InplaceError, ShapeError, gradcheck

STALE = r"changed in place afterwards: it is at version \d+, \w+ needs version \d+"


def leaf(values, dtype="float64"):
    return autograd.tensor(values, dtype=dtype, requires_grad=True)


# ------------------------------------------------------------------ routes that must raise
def _saved_by_mul():
    """x (a non-leaf) is saved by the mul that uses it: changing it breaks that mul."""
    w = leaf([1.0, 2.0])
    x = w * 3
    return w, x, (x * x).sum()


@pytest.mark.parametrize("change", [
    lambda x: x.__iadd__(1.0),
    lambda x: x.__isub__(1.0),
    lambda x: x.__imul__(2.0),
    lambda x: x.__itruediv__(2.0),
    lambda x: x.__ipow__(2.0),
    lambda x: x.add_(1.0),
    lambda x: x.sub_(1.0, alpha=2),
    lambda x: x.mul_(2.0),
    lambda x: x.div_(2.0),
    lambda x: x.pow_(2.0),
    lambda x: x.clamp_(min=4.0),
    lambda x: x.zero_(),
    lambda x: x.fill_(5.0),
    lambda x: x.copy_(np.array([7.0, 8.0])),
    lambda x: x.__setitem__(0, 9.0),
    lambda x: x.detach().add_(1.0),  # a detached alias shares the version counter
], ids=["+=", "-=", "*=", "/=", "**=", "add_", "sub_", "mul_", "div_", "pow_", "clamp_", "zero_",
        "fill_", "copy_", "setitem", "detach-add_"])
def test_changing_a_saved_value_in_place_makes_backward_raise(change):
    _, x, loss = _saved_by_mul()
    change(x)
    with pytest.raises(InplaceError, match=r"backward: mul saved its input 0 \(shape \(2,\)\) "
                                           r"to compute its gradient, and that tensor was "
                                           + STALE):
        loss.backward()


def test_changing_a_saved_result_in_place_makes_backward_raise():
    x = leaf([0.5, 1.0])
    y = x.exp()  # exp's rule reads its result
    loss = y.sum()
    y += 1
    with pytest.raises(InplaceError, match=r"exp saved its result .*version 1, exp needs "
                                           r"version 0"):
        loss.backward()


def test_a_slice_view_of_a_saved_constant_shares_its_version():
    w = leaf([1.0, 2.0, 3.0])
    x = autograd.tensor([1.0, 2.0, 3.0], dtype="float64")  # a constant the mul saves for w
    loss = (x * w).sum()
    view = x[0:2]
    view += 10.0
    assert x.numpy()[0] == 11.0  # the view wrote into x's memory
    with pytest.raises(InplaceError, match="mul saved its input 0"):
        loss.backward()


def test_a_view_of_a_tensor_in_a_graph_refuses_in_place_changes():
    x = leaf([1.0, 2.0, 3.0]) * 1
    with pytest.raises(InplaceError, match=r"add_: the tensor \(shape \(2,\)\) is a view of "
                                           r"another tensor \(shape \(3,\)\)"):
        x[0:2].add_(1.0)


def _model_and_loss():
    """Two layers: the first one's gradient reads the second one's weight."""
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)).double()
    x = autograd.tensor([[1.0, 2.0], [3.0, -1.0]], dtype="float64")
    return model, ((model(x) - 1.0) ** 2).mean()


@pytest.mark.parametrize("change", [
    lambda model: optim.Adam(model.parameters(), lr=0.1).step(),
    lambda model: optim.SGD(model.parameters(), lr=0.1, momentum=0.9).step(),
    lambda model: nn.init.zeros_(model[2].weight),
    lambda model: nn.init.xavier_uniform_(model[2].weight),
    lambda model: model.load_state_dict({k: np.ones(v.shape)
                                         for k, v in model.state_dict().items()}),
    lambda model: model.to(autograd.float32),
    lambda model: setattr(model[2].weight, "data", np.ones((1, 3))),
], ids=["adam-step", "sgd-step", "init.zeros_", "init.xavier", "load_state_dict", "Module.to",
        "data-assignment"])
def test_changing_parameters_between_forward_and_backward_makes_backward_raise(change):
    model, loss = _model_and_loss()
    for p in model.parameters():  # a gradient for the optimizers to use
        p.grad = autograd.zeros_like(p) + 1
    change(model)
    with pytest.raises(InplaceError, match=STALE):
        loss.backward()


@pytest.mark.parametrize("write", [
    lambda t: t.numpy().__setitem__(0, 5.0),
    lambda t: np.asarray(t).__setitem__(0, 5.0),
    lambda t: t.detach().numpy().__setitem__(0, 5.0),
    lambda t: t.data.numpy().__setitem__(0, 5.0),
], ids=["numpy()", "np.asarray", "detach().numpy()", "data.numpy()"])
def test_arrays_handed_out_are_read_only(write):
    w = leaf([1.0, 2.0])
    loss = (w * w).sum()
    with pytest.raises(ValueError, match="read-only"):
        write(w)
    loss.backward()  # nothing changed: the gradient is the right one
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])


def test_np_array_of_a_tensor_is_a_writable_copy():
    w = leaf([1.0, 2.0])
    copy = np.array(w)
    copy[0] = 9.0
    assert w.numpy()[0] == 1.0


# ------------------------------------------------------------------ routes that must be right
def test_the_tutorial_update_under_no_grad_changes_the_parameter_itself():
    autograd.manual_seed(0)
    x = autograd.linspace(-1, 1, 50, dtype="float64")
    y = 3 * x - 0.5
    a, b = leaf(0.0), leaf(0.0)
    params = [a, b]
    for _ in range(200):
        loss = ((a * x + b - y) ** 2).mean()
        loss.backward()
        with autograd.no_grad():
            for p in params:
                p -= 0.1 * p.grad  # rebinds p to the same tensor: the update lands
                p.grad = None
    assert a.item() == pytest.approx(3.0, abs=1e-3) and b.item() == pytest.approx(-0.5, abs=1e-3)
    assert a.is_leaf and a.requires_grad and a._version == 200


def test_an_in_place_change_of_a_leaf_that_requires_grad_is_refused_with_a_hint():
    a = leaf([1.0])
    a.grad = autograd.tensor([1.0], dtype="float64")
    with pytest.raises(InplaceError, match=r"sub_: a leaf tensor that requires grad \(shape "
                                           r"\(1,\)\) cannot be changed in place .*no_grad"):
        a -= 0.1 * a.grad
    assert a.item() == 1.0  # nothing lost


def test_in_place_ops_on_non_leaves_give_the_gradients_of_their_out_of_place_forms():
    def in_place(x, y):
        z = x * 1.0
        z.mul_(y)
        z += x
        z[0] = y[1] * 2.0
        z.clamp_(min=-0.5)
        return z * z

    def out_of_place(x, y):
        z = x * y + x
        z = autograd.concatenate([autograd.reshape(y[1] * 2.0, (1,)), z[1:]])
        z = autograd.clip(z, -0.5)
        return z * z

    x, y = leaf([0.3, -1.2, 2.0]), leaf([1.5, 0.7, -0.4])
    assert gradcheck(in_place, (x, y))
    grads = autograd.grad(in_place(x, y).sum(), (x, y))
    expected = autograd.grad(out_of_place(x, y).sum(), (x, y))
    for g, e in zip(grads, expected):
        np.testing.assert_allclose(g.data, e.data, rtol=1e-12)


def test_in_place_records_and_counts_versions():
    x = autograd.zeros(3)
    assert x._version == 0
    x += 1
    x.mul_(3)
    x[1] = 0
    assert x._version == 3
    np.testing.assert_array_equal(x.data, [3.0, 0.0, 3.0])
    w = leaf([1.0, 2.0, 3.0])
    x.add_(w)  # a plain tensor changed by one that requires grad joins the graph
    assert x.requires_grad and x.grad_fn.name == "add"


def test_in_place_errors_name_the_op_and_lose_nothing():
    ints = autograd.tensor([1, 2])
    with pytest.raises(DtypeError, match=r"add_: .*tensor dtype int64"):
        ints += 1.5
    with pytest.raises(ShapeError, match=r"add_: .*cannot change the shape"):
        autograd.zeros(2).add_(autograd.zeros(3, 2))
    with pytest.raises(InplaceError, match="read-only"):
        autograd.broadcast_to(autograd.zeros(3), (2, 3)).add_(1.0)
    np.testing.assert_array_equal(ints.data, [1, 2])


def test_two_threads_backward_into_one_leaf_lose_no_update():
    w = leaf(np.zeros(1000))

    def work():
        for _ in range(100):
            (w * 1.0).sum().backward()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    np.testing.assert_array_equal(w.grad.data, np.full(1000, 600.0))


# ------------------------------------------------------------------ PyTorch's signatures
@pytest.mark.parametrize("call", [
    lambda x: x.div_(2.0, alpha=2), lambda x: x.mul_(2.0, alpha=2),
    lambda x: x.pow_(2.0, alpha=2), lambda x: x.add_(2.0, 2), lambda x: x.div_(2.0, "floor"),
], ids=["div_-alpha", "mul_-alpha", "pow_-alpha", "add_-positional-alpha",
        "div_-positional-rounding_mode"])
def test_in_place_arithmetic_takes_only_pytorch_s_keywords(call):
    with pytest.raises(TypeError, match="argument"):
        call(autograd.ones(2))


@pytest.mark.parametrize("mode, want", [("trunc", [2, -2, 3]), ("floor", [2, -3, 3])])
def test_div__rounds_the_quotient_as_div_does(mode, want):
    x = autograd.tensor([7, -7, 9])  # stays integer, as PyTorch's
    assert x.div_(3, rounding_mode=mode) is x
    assert x.dtype == np.int64 and x.tolist() == want
    y = leaf([7.0, -7.0]) * 1
    y.div_(autograd.tensor([2.0, 2.0]), rounding_mode=mode)
    assert y.tolist() == [3.0, -3.0 if mode == "trunc" else -4.0]
    y.sum().backward()  # a rounded quotient has gradient 0


def test_div__refuses_an_unknown_rounding_mode():
    with pytest.raises(TypeError, match="div: rounding_mode must be None, 'trunc' or 'floor'"):
        autograd.ones(2).div_(2, rounding_mode="round")
