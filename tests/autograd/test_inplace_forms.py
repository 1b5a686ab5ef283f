"""PyTorch's in-place forms (autograd/inplace.py), addcmul/addcdiv, index_put/put,
fill_diagonal_, detach_ and the random draws of autograd/random.py: what the op table and the
oracle rows do not check (coverage of PyTorch's list, versions, aliases, graphs, vmap,
generators)."""
import inspect

import numpy as np
import pytest

import autograd
from autograd import inplace
from autograd.func import vmap

SHAPE_CHANGING = {"squeeze_", "unsqueeze_", "t_", "transpose_", "swapaxes_", "swapdims_",
                  "resize_", "resize_as_", "as_strided_"}


def test_every_torch_in_place_method_whose_op_we_have_is_here():
    torch = pytest.importorskip("torch")
    ours = set(autograd.__all__) | set(dir(autograd.Tensor))
    wanted = [m for m in dir(torch.Tensor) if m.endswith("_") and not m.startswith("_")
              and m[:-1] in ours and m not in SHAPE_CHANGING]
    assert [m for m in wanted if not hasattr(autograd.Tensor, m)] == []


def test_the_forms_are_one_entry_per_op_with_the_op_s_signature():
    assert autograd.Tensor.arcsin_ is autograd.Tensor.asin_ is autograd.asin_
    assert autograd.Tensor.subtract_ is autograd.Tensor.sub_  # an existing form is reused
    assert autograd.registry.REGISTRY["abs_"].aliases == ("absolute_",)
    assert str(inspect.signature(autograd.Tensor.round_)) == "(x, decimals=0)"
    assert autograd.registry.REGISTRY["eq_"].kind == "none"  # as eq: no gradient
    assert autograd.registry.REGISTRY["sqrt_"].kind == "inplace"
    assert "sqrt" in inplace.INPLACE


def test_gradients_through_in_place_forms_on_non_leaves():
    def f(x, y):
        h = x * 1
        h.sin_().mul_(y).addcmul_(x, y, value=0.5).exp_()
        g = (y * 1).abs_().sqrt_().add_(0.1).reciprocal_()
        return h.addcdiv_(x, g, value=-0.3).tanh_().lerp_(y, 0.25).clamp_min_(-0.8)

    x = autograd.tensor(np.linspace(-1, 1, 6).reshape(2, 3), dtype="float64", requires_grad=True)
    y = autograd.tensor([0.7, -1.2, 0.4], dtype="float64", requires_grad=True)
    assert autograd.gradcheck(f, (x, y))
    assert autograd.gradgradcheck(f, (x, y))


def test_versions_aliases_and_errors():
    x = autograd.ones(3)
    x.exp_()
    assert x._version == 1
    base = autograd.zeros(3)
    base[1:].exp_()  # a view: the base sees the change
    np.testing.assert_array_equal(base.numpy(), [0.0, 1.0, 1.0])
    with pytest.raises(autograd.InplaceError, match="sigmoid_: a leaf tensor that requires"):
        autograd.ones(2, requires_grad=True).sigmoid_()
    with pytest.raises(autograd.DtypeError, match="sqrt_: the result has dtype float32, which "
                                                  "cannot be stored in place in a tensor of "
                                                  "dtype int64"):
        autograd.tensor([1, 4]).sqrt_()
    with pytest.raises(autograd.DtypeError, match="float_power_: the result is float64"):
        autograd.ones(2).float_power_(2)
    with pytest.raises(autograd.ShapeError, match="addcmul_: the result has shape \\(2, 3\\)"):
        autograd.ones(3).addcmul_(autograd.ones(2, 3), autograd.ones(3))
    y = autograd.ones(3, requires_grad=True) * 1
    s = y.sin()
    y.exp_()
    with pytest.raises(autograd.InplaceError):
        s.sum().backward()


def test_a_comparison_in_place_keeps_the_tensor_in_the_graph_with_zero_gradient():
    x = autograd.tensor([0.5, 2.0], requires_grad=True)
    y = x * 1
    y.gt_(1.0)
    assert y.requires_grad and y.dtype == np.float32
    np.testing.assert_array_equal(y.numpy(), [0.0, 1.0])
    (y * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])


def test_addcmul_addcdiv():
    i, a, b = autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0]), autograd.tensor([2.0, 8.0])
    np.testing.assert_allclose(autograd.addcmul(i, a, b, value=0.5).numpy(), [4.0, 18.0])
    np.testing.assert_allclose(i.addcdiv(a, b, value=-2).numpy(), [-2.0, 1.0])
    with pytest.raises(autograd.DtypeError, match="addcdiv: integer division"):
        autograd.addcdiv(i, autograd.tensor([1, 2]), autograd.tensor([1, 2]))


def test_index_put_put_fill_diagonal():
    x = autograd.zeros(2, 3)
    x.index_put_((autograd.tensor([1, 1]), autograd.tensor([2, 2])), autograd.tensor(1.0),
                 accumulate=True)
    assert x[1, 2].item() == 2.0
    with pytest.raises(autograd.IndexingError, match="index_put: index 3 is out of range for "
                                                      "dimension 0 of size 2"):
        x.index_put((autograd.tensor([3]),), autograd.tensor(1.0))
    with pytest.raises(autograd.ShapeError, match="index_put: values of shape \\(4,\\)"):
        x.index_put((autograd.tensor([0]),), autograd.zeros(4))
    with pytest.raises(TypeError, match="index_put: indices must be a tuple of tensors"):
        x.index_put(autograd.tensor([0]), autograd.tensor(1.0))
    with pytest.raises(autograd.ShapeError, match="put: index has 2 entries but source has 3"):
        x.put(autograd.tensor([0, 1]), autograd.zeros(3))
    for shape, wrap in [((7, 3), True), ((7, 3), False), ((3, 5), True), ((4, 4, 4), False)]:
        expected = np.zeros(shape)
        np.fill_diagonal(expected, 2.0, wrap=wrap)
        got = autograd.zeros(*shape, dtype="float64").fill_diagonal_(2.0, wrap=wrap)
        np.testing.assert_array_equal(got.numpy(), expected)
    with pytest.raises(autograd.ShapeError, match="fill_diagonal_: .* got shape \\(2, 3, 3\\)"):
        autograd.zeros(2, 3, 3).fill_diagonal_(1.0)


def test_detach_():
    y = autograd.ones(2, requires_grad=True) * 2
    assert y.detach_() is y and not y.requires_grad and y.is_leaf
    with pytest.raises(RuntimeError, match="detach_: .* is a view of another tensor"):
        autograd.ones(2, 3)[0].detach_()


@pytest.mark.filterwarnings("ignore:vmap")  # the draws have no batching rule: a loop
def test_in_place_forms_under_vmap():
    x = autograd.tensor(np.arange(1.0, 7.0).reshape(2, 3))
    out = vmap(lambda r: r.clone().sqrt_().addcmul_(r, r, value=0.5))(x)
    np.testing.assert_allclose(out.numpy(), np.sqrt(x.numpy()) + 0.5 * x.numpy() ** 2, rtol=1e-6)
    for draw in (lambda r: autograd.bernoulli(r / 10), lambda r: r.clone().exponential_(),
                 lambda r: autograd.multinomial(r, 2), lambda r: r.clone().random_(3)):
        with pytest.raises(RuntimeError, match="randomness error mode"):
            vmap(draw)(x)
        rows = autograd.ones(2, 50) * 2  # equal samples: "same" draws them alike
        same = vmap(draw, randomness="same")(rows).numpy()
        different = vmap(draw, randomness="different")(rows).numpy()
        assert (same[0] == same[1]).all() and not (different[0] == different[1]).all()


DRAWS = {
    "bernoulli": lambda g: autograd.bernoulli(autograd.full((50,), 0.5), generator=g),
    "bernoulli_": lambda g: autograd.zeros(50).bernoulli_(0.5, generator=g),
    "multinomial": lambda g: autograd.multinomial(autograd.ones(2, 9), 9, generator=g),
    "multinomial-replacement": lambda g: autograd.multinomial(autograd.ones(9), 50, True,
                                                              generator=g),
    "poisson": lambda g: autograd.poisson(autograd.full((50,), 4.0), generator=g),
    "random_": lambda g: autograd.zeros(50).random_(0, 100, generator=g),
    "exponential_": lambda g: autograd.zeros(50).exponential_(generator=g),
    "geometric_": lambda g: autograd.zeros(50).geometric_(0.3, generator=g),
    "log_normal_": lambda g: autograd.zeros(50).log_normal_(generator=g),
    "cauchy_": lambda g: autograd.zeros(50).cauchy_(generator=g),
    "normal_": lambda g: autograd.zeros(50).normal_(0.0, 2.0, generator=g),
    "uniform_": lambda g: autograd.zeros(50).uniform_(-1.0, 1.0, generator=g),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_draws_repeat_with_the_seed_and_follow_a_generator(name):
    draw = DRAWS[name]
    autograd.manual_seed(3)
    a = draw(None).numpy()
    autograd.manual_seed(3)
    np.testing.assert_array_equal(draw(None).numpy(), a)
    b = draw(np.random.default_rng(1)).numpy()
    np.testing.assert_array_equal(draw(np.random.default_rng(1)).numpy(), b)
    assert not np.array_equal(a, draw(None).numpy())  # the generator moved on
    with pytest.raises(TypeError, match="generator must be a numpy.random.Generator"):
        draw(3)


def test_multinomial():
    autograd.manual_seed(0)
    rows = autograd.multinomial(autograd.rand(50, 6), 6).numpy()
    assert rows.dtype == np.int64 and (np.sort(rows, 1) == np.arange(6)).all()
    with pytest.raises(ValueError, match="multinomial: cannot draw 4 samples without "
                                         "replacement from 3 categories"):
        autograd.multinomial(autograd.ones(3), 4)
    with pytest.raises(ValueError, match="multinomial: every row of weights must have a "
                                         "positive sum"):
        autograd.multinomial(autograd.zeros(2, 3), 1, True)
    with pytest.raises(autograd.ShapeError, match="multinomial: input must have 1 or 2"):
        autograd.multinomial(autograd.ones(2, 2, 2), 1)


def test_known_differences_from_torch_in_porting_md():
    # a value exp_'s rule keeps is its own copy: a later in-place change does not stale it
    x = autograd.tensor([0.5, 1.0], dtype="float64", requires_grad=True)
    y = x * 1
    y.exp_().add_(1)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.5, 1.0]))
    # an in-place change of a view of a tensor in a graph raises
    with pytest.raises(autograd.InplaceError, match="sqrt_: the tensor .* is a view"):
        (x * 1)[1:].sqrt_()
