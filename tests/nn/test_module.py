"""Module plumbing: registration, traversal, modes, state dicts, containers, functional_call."""
from collections import OrderedDict

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor


class Affine(nn.Module):
    """y = x * scale + shift, with a running count buffer: a minimal layer for these tests."""

    def __init__(self, n):
        super().__init__()
        self.scale = nn.Parameter(np.ones(n))
        self.shift = nn.Parameter(np.zeros(n))
        self.register_buffer("calls", np.zeros((), dtype=np.int64))

    def forward(self, x):
        self.calls.detach().add_(1)
        return x * self.scale + self.shift

    def extra_repr(self):
        return f"n={self.scale.shape[0]}"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = Affine(3)
        self.second = Affine(3)
        self.gain = nn.Parameter(np.array(2.0))

    def forward(self, x):
        return self.second(self.first(x)) * self.gain


def test_assignment_registers_parameters_modules_and_buffers():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "gain", "first.scale", "first.shift", "second.scale", "second.shift"]
    assert [n for n, _ in net.named_buffers()] == ["first.calls", "second.calls"]
    assert [n for n, _ in net.named_modules()] == ["", "first", "second"]
    assert list(net.children()) == [net.first, net.second]
    assert [n for n, _ in net.named_parameters(recurse=False)] == ["gain"]


def test_shared_parameter_is_listed_once():
    net = Net()
    net.second.scale = net.first.scale
    assert len(list(net.parameters())) == 4


def test_reassigning_a_name_moves_it_between_registries():
    layer = Affine(2)
    layer.shift = None  # a parameter slot may be emptied (like bias=False)
    assert [n for n, _ in layer.named_parameters()] == ["scale"]
    layer.calls = np.array(5)  # buffers accept arrays
    assert isinstance(layer.calls, Tensor) and layer.calls.item() == 5
    del layer.scale
    assert list(layer.parameters()) == []


def test_errors_name_the_module_and_what_is_expected():
    class Forgot(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(np.ones(2))

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Forgot()
    layer = Affine(2)
    with pytest.raises(TypeError, match="cannot assign Tensor as parameter 'scale' of Affine"):
        layer.scale = autograd.ones(2)
    with pytest.raises(AttributeError, match="'Affine' object has no attribute 'nope'"):
        _ = layer.nope
    with pytest.raises(NotImplementedError, match="Module must define forward"):
        nn.Module()(1)


def test_forward_runs_and_gradients_reach_every_parameter():
    net = Net()
    x = autograd.tensor([1.0, 2.0, 3.0], dtype="float64")
    net(x).sum().backward()
    np.testing.assert_allclose(net.gain.grad.data, 6.0)
    np.testing.assert_allclose(net.first.scale.grad.data, [2.0, 4.0, 6.0])
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_train_and_eval_reach_every_module():
    net = Net()
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_state_dict_is_a_snapshot_with_dotted_names():
    net = Net()
    state = net.state_dict()
    assert list(state) == ["gain", "first.scale", "first.shift", "first.calls",
                           "second.scale", "second.shift", "second.calls"]
    net.gain.detach().copy_(7.0)
    assert state["gain"].item() == 2.0  # a copy: training on does not change it


def test_load_state_dict_copies_into_the_same_arrays():
    source, target = Net(), Net()
    source.first.scale.detach().copy_([1.0, 2.0, 3.0])
    scale = target.first.scale
    arrays = {k: v.numpy() for k, v in source.state_dict().items()}  # arrays load too
    assert target.load_state_dict(arrays) == ([], [])
    assert target.first.scale is scale
    np.testing.assert_array_equal(scale.data, [1.0, 2.0, 3.0])


def test_load_state_dict_reports_missing_unexpected_and_mismatched_keys():
    net = Net()
    state = net.state_dict()
    del state["gain"]
    state["extra"] = np.zeros(1)
    with pytest.raises(nn.StateDictError, match="missing key.*gain.*unexpected key.*extra.*"
                                                "strict=False"):
        net.load_state_dict(state)
    assert net.load_state_dict(state, strict=False) == (["gain"], ["extra"])
    state["first.scale"] = np.zeros(4)
    with pytest.raises(nn.StateDictError,
                       match=r"shape mismatch for first.scale: saved \(4,\), model \(3,\)"):
        net.load_state_dict(state, strict=False)


def test_non_persistent_buffers_stay_out_of_the_state_dict():
    layer = Affine(2)
    layer.register_buffer("scratch", np.zeros(2), persistent=False)
    assert "scratch" not in layer.state_dict()
    assert [n for n, _ in layer.named_buffers()] == ["calls", "scratch"]


def test_double_and_float_cast_parameters_buffers_and_grads():
    net = Net().float()
    assert all(p.dtype == np.float32 for p in net.parameters())
    assert net.first.calls.dtype == np.int64  # integer buffers are left alone
    net(autograd.ones(3)).sum().backward()
    net.double()
    assert all(p.dtype == np.float64 and p.grad.dtype == np.float64 for p in net.parameters())


def test_apply_and_requires_grad_():
    net = Net()
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Affine", "Affine", "Net"]
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_repr_is_nested_like_pytorch():
    assert repr(Net()) == ("Net(\n  (first): Affine(n=3)\n  (second): Affine(n=3)\n)")
    seq = nn.Sequential(Affine(1), nn.Sequential(Affine(2)))
    assert repr(seq) == ("Sequential(\n  (0): Affine(n=1)\n  (1): Sequential(\n"
                         "    (0): Affine(n=2)\n  )\n)")


def test_hooks_can_replace_inputs_and_outputs():
    layer = Affine(1)
    pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 10,))
    post = layer.register_forward_hook(lambda m, args, out: out + 1)
    assert layer(autograd.tensor([1.0])).item() == 11.0
    pre.remove()
    post.remove()
    assert layer(autograd.tensor([1.0])).item() == 1.0


def test_sequential_chains_indexes_and_slices():
    a, b, c = Affine(1), Affine(1), Affine(1)
    b.scale.detach().copy_(3.0)
    seq = nn.Sequential(a, b, c)
    assert seq(autograd.tensor([2.0])).item() == 6.0
    assert len(seq) == 3 and seq[-1] is c and list(seq) == [a, b, c]
    assert list(seq[1:]) == [b, c] and isinstance(seq[1:], nn.Sequential)
    del seq[0]
    assert [n for n, _ in seq.named_children()] == ["0", "1"]
    with pytest.raises(IndexError, match="index 5 is out of range for 2 module"):
        seq[5]
    named = nn.Sequential(OrderedDict(inp=a, out=c))
    assert [n for n, _ in named.named_parameters()] == [
        "inp.scale", "inp.shift", "out.scale", "out.shift"]


def test_module_list_and_dict_register_their_members():
    blocks = nn.ModuleList([Affine(1), Affine(1)])
    blocks.append(Affine(1))
    blocks.insert(0, Affine(2))
    assert len(blocks) == 4 and blocks[0].scale.shape == (2,)
    assert len(list(blocks.parameters())) == 8
    heads = nn.ModuleDict({"a": Affine(1)})
    heads["b"] = Affine(1)
    assert "b" in heads and list(heads) == ["a", "b"]
    assert [n for n, _ in heads.named_parameters()] == ["a.scale", "a.shift", "b.scale",
                                                        "b.shift"]


def test_functional_call_differentiates_substituted_parameters():
    net = Net().double()
    x = autograd.tensor([1.0, 2.0, 3.0], dtype="float64")
    params = {n: Tensor(p.data * 2, requires_grad=True) for n, p in net.named_parameters()}
    out = nn.utils.functional_call(net, params, x)
    np.testing.assert_allclose(out.data, ((x.data * 2 + 0) * 2 + 0) * 4)
    out.sum().backward()
    np.testing.assert_allclose(params["gain"].grad.data, 24.0)
    assert net.gain.grad is None and net.gain.item() == 2.0  # the module's own are untouched

    def loss(*values):
        return nn.utils.functional_call(net, dict(zip(params, values)), (x,)).sum()

    assert autograd.gradcheck(loss, tuple(params.values()))


def test_functional_call_restores_after_an_error_and_checks_names():
    net = Net()
    gain = net.gain
    with pytest.raises(ValueError, match="no parameter or buffer named 'gian'.*gain"):
        nn.utils.functional_call(net, {"gian": autograd.ones(())}, autograd.ones(3))
    with pytest.raises(ValueError, match=r"strict=True\): missing .*first.scale"):
        nn.utils.functional_call(net, {"gain": autograd.ones(())}, autograd.ones(3), strict=True)
    with pytest.raises(autograd.ShapeError,
                       match=r"mul: .*shapes \(3,\) \(5,\)"):  # the forward fails
        nn.utils.functional_call(net, {"first.scale": autograd.ones(5)}, autograd.ones(3))
    assert net.gain is gain and net.first.scale.shape == (3,)


def test_shared_submodule_is_saved_under_every_path_as_pytorch():
    shared = Affine(2)
    seq = nn.Sequential(shared, Affine(2), shared)
    assert [k for k in seq.state_dict() if k.endswith("scale")] == ["0.scale", "1.scale",
                                                                    "2.scale"]
    assert len(list(seq.parameters())) == 4  # but each parameter once for optimizers
    state = {k: v.numpy() * 0 + 3 for k, v in seq.state_dict().items()}
    assert seq.load_state_dict(state) == ([], [])
    assert shared.scale.numpy().tolist() == [3.0, 3.0]


def test_reassigning_a_parameter_keeps_its_place():
    layer = Affine(2)
    layer.scale = nn.Parameter(np.zeros(2))
    assert [n for n, _ in layer.named_parameters()] == ["scale", "shift"]


def test_register_parameter_refuses_a_plain_tensor():
    layer = Affine(1)
    with pytest.raises(TypeError, match="'w' must be an nn.Parameter or None, got Tensor"):
        layer.register_parameter("w", autograd.ones(1))


def test_bad_indices_and_state_dicts_get_clear_errors():
    with pytest.raises(TypeError, match="Sequential indices must be integers or slices, got "
                                        "str '0'"):
        nn.Sequential(Affine(1))["0"]
    with pytest.raises(TypeError, match="expected a dict of name -> Tensor or array.*list"):
        Affine(1).load_state_dict([1, 2])


def test_sequential_slice_keeps_names():
    seq = nn.Sequential(OrderedDict(a=Affine(1), b=Affine(1), c=Affine(1)))
    assert list(seq[1:].state_dict()) == ["b.scale", "b.shift", "b.calls", "c.scale", "c.shift",
                                          "c.calls"]


def test_functional_call_replaces_tied_weights_everywhere():
    net = Net().double()
    net.second.scale = net.first.scale
    x = autograd.tensor([1.0, 2.0, 3.0], dtype="float64")
    scale = autograd.tensor([2.0, 2.0, 2.0], dtype="float64", requires_grad=True)
    for name in ("first.scale", "second.scale"):  # either name of the tied weight
        out = nn.utils.functional_call(net, {name: scale}, x)
        np.testing.assert_allclose(out.data, x.data * 4 * 2)
    assert net.second.scale is net.first.scale and net.first.scale.numpy().tolist() == [1, 1, 1]


def test_a_property_on_the_class_decides_its_own_assignment():
    class Scaled(Affine):
        @property
        def double_scale(self):
            return self.scale * 2

        @double_scale.setter
        def double_scale(self, value):
            raise AttributeError("double_scale is computed from scale")

    layer = Scaled(1)
    with pytest.raises(AttributeError, match="computed from scale"):
        layer.double_scale = nn.Parameter(np.ones(1))
    assert [n for n, _ in layer.named_parameters()] == ["scale", "shift"]
