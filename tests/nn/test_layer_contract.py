"""The layer contract, run on every row of `layer_contract.py`: float64 gradcheck (input and
parameters), dtypes, state_dict through `autograd.save`/`load`, repr (PyTorch's where it has
the layer), train/eval; and the declaration of what input a layer takes (`_input_kind`)."""
import numpy as np
import pytest

import autograd
import nn
from autograd import DtypeError
from layer_contract import (CLASS_TARGETS, EXEMPT, LAYERS, LOSSES, REPR_NOT_YET_PYTORCH_S,
                            layer, run)


def test_every_public_class_has_a_row():
    public = {name for name in nn.__all__ if isinstance(getattr(nn, name), type)}
    missing = sorted(public - set(LAYERS) - set(LOSSES) - set(EXEMPT))
    assert not missing, f"add a row to tests/nn/layer_contract.py for {missing}"
    assert not (set(LAYERS) | set(LOSSES) | set(EXEMPT)) - public  # no stale rows


def _input(name, dtype="float64"):
    """A seeded normal input: no ties for max pooling, no kinks hit by chance."""
    values = np.random.default_rng(0).standard_normal(LAYERS[name].shape)
    return autograd.tensor(values, dtype=dtype, requires_grad=True)


def _mode(name, module):
    """Train mode, unless training is random (dropout): gradcheck needs a fixed function."""
    return module.eval() if LAYERS[name].training == "random" else module.train()


@pytest.mark.parametrize("name", LAYERS)
def test_float64_gradcheck_of_the_input_and_the_parameters(name):
    module = _mode(name, layer(name).double())
    names = [n for n, _ in module.named_parameters()]
    params = tuple(p.detach().requires_grad_() for _, p in module.named_parameters())

    def f(x, *weights):  # the row's call, on the module run with these weights
        with_weights = lambda *args: nn.utils.functional_call(  # noqa: E731
            module, dict(zip(names, weights)), args)
        return run(name, with_weights, x)

    assert autograd.gradcheck(f, (_input(name), *params))


@pytest.mark.parametrize("name", LOSSES)
def test_float64_gradcheck_of_each_loss(name):
    make, values, target, _ = LOSSES[name]
    x = autograd.tensor(values, dtype="float64", requires_grad=True)
    y = autograd.tensor(target, dtype="int64" if name in CLASS_TARGETS else "float64")
    assert autograd.gradcheck(lambda x: make()(x, y), x)


@pytest.mark.parametrize("name", LAYERS)
def test_float32_stays_float32_and_double_computes_in_float64(name):
    for convert, dtype in ((lambda m: m, np.float32), (lambda m: m.double(), np.float64)):
        module = convert(_mode(name, layer(name)))
        x = _input(name, dtype.__name__)
        out = run(name, module, x)
        out.sum().backward()
        assert out.dtype == dtype and x.grad.dtype == dtype
        assert all(p.dtype == dtype and p.grad.dtype == dtype for p in module.parameters())
        assert all(b.dtype == dtype for b in module.buffers() if b.dtype.kind == "f")


@pytest.mark.parametrize("name", LAYERS)
def test_state_dict_round_trips_through_save_and_load(name, tmp_path):
    trained = layer(name).eval()
    for p in trained.parameters():  # away from the initial values, so the load must copy
        with autograd.no_grad():
            p.mul_(1.5)
    autograd.save(trained.state_dict(), tmp_path / "layer.pt")
    autograd.manual_seed(1)
    fresh = LAYERS[name].build(nn).eval()
    fresh.load_state_dict(autograd.load(tmp_path / "layer.pt"))
    assert list(fresh.state_dict()) == list(trained.state_dict())
    x = _input(name, "float32")
    np.testing.assert_array_equal(run(name, fresh, x).numpy(), run(name, trained, x).numpy())


# the layers torch.nn does not have (they have no PyTorch repr or keys to match)
NOT_IN_TORCH = {"Maxout", "DropConnect", "VanillaDropout", "StochasticDepth"}


def test_the_layers_torch_lacks_are_the_ones_listed():
    torch = pytest.importorskip("torch")
    lacking = {n for n in LAYERS if not hasattr(torch.nn, type(layer(n)).__name__)}
    assert lacking == NOT_IN_TORCH


@pytest.mark.parametrize("name", [n for n in LAYERS if n not in NOT_IN_TORCH])
def test_repr_and_state_dict_keys_are_pytorch_s(name):
    module = layer(name)
    assert repr(module).startswith(type(module).__name__ + "(")
    torch = pytest.importorskip("torch")
    theirs = LAYERS[name].build(torch.nn)
    assert list(module.state_dict()) == list(theirs.state_dict())
    if name in REPR_NOT_YET_PYTORCH_S:
        assert repr(module) != repr(theirs), f"remove {name} from REPR_NOT_YET_PYTORCH_S"
        pytest.xfail(f"{name}'s repr is not PyTorch's yet")
    assert repr(module) == repr(theirs)


@pytest.mark.parametrize("name", LAYERS)
def test_train_and_eval_differ_exactly_where_the_row_says(name):
    x = _input(name, "float32")
    outputs = {}
    for mode in ("train", "eval"):
        module = getattr(layer(name), mode)()
        assert module.training == (mode == "train")
        outputs[mode] = run(name, module, x).numpy()
    evaluated = run(name, layer(name).eval(), x).numpy()
    np.testing.assert_array_equal(evaluated, outputs["eval"])  # eval is deterministic
    same = np.allclose(outputs["train"], outputs["eval"], rtol=1e-6, atol=1e-7)
    assert same == (LAYERS[name].training is None), LAYERS[name].training


# ------------------------------------------------------------------ what input a layer takes
@pytest.mark.parametrize("name", LAYERS)
def test_each_row_s_class_declares_float_input(name):
    module = layer(name)  # (an RNN's forward checks its input itself: it may be packed)
    assert module._input_kind == (None if isinstance(module, nn.RNNBase) else "float")


def test_the_input_check_is_declared_by_the_class_not_by_where_it_is_defined():
    namespace = {"__name__": "nn.modules.elsewhere"}  # a file inside nn, declaring nothing
    exec("import nn\nclass Twice(nn.Module):\n    def forward(self, x):\n"
         "        return x * 2\n", namespace)
    ints = autograd.tensor([1, 2])
    assert namespace["Twice"]()(ints).tolist() == [2, 4]  # not checked

    class Declared(nn.Module):  # outside nn, declaring float input
        _input_kind = "float"

        def forward(self, x):
            return x * 2

    with pytest.raises(DtypeError, match=r"^Declared: expected a floating-point input"):
        Declared()(ints)
    assert Declared()([1.0, 2.0]).dtype == np.float32  # array-likes converted


def test_layers_taking_ids_pass_them_through_containers():
    assert nn.Embedding._input_kind == "ids" and nn.Sequential._input_kind is None
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Embedding(5, 3), nn.Linear(3, 2))
    assert model(autograd.tensor([[1, 4]])).shape == (1, 2, 2)


def test_every_public_class_declares_a_known_input_kind():
    kinds = {name: getattr(nn, name)._input_kind for name in nn.__all__
             if isinstance(getattr(nn, name), type) and issubclass(getattr(nn, name), nn.Module)}
    assert {name: kind for name, kind in kinds.items() if kind not in ("float", "ids", None)} == {}
