"""Tensor basics: dtype rules, construction, array facts, repr, numpy interop, factories."""
import numpy as np
import pytest

import autograd
from autograd import DtypeError, ShapeError, Tensor


# ------------------------------------------------------------------ dtype rules
@pytest.mark.parametrize("data, dtype", [
    (1.5, np.float32),
    ([1.0, 2.0], np.float32),
    ([[1.0, 2.0], [3.0, 4.0]], np.float32),
    ([1, 2.5], np.float32),          # mixed int/float list: a float list
    (3, np.int64),
    ([1, 2, 3], np.int64),
    (True, np.bool_),
    ([True, False], np.bool_),
])
def test_python_data_dtype(data, dtype):
    assert autograd.tensor(data).dtype == dtype
    assert Tensor(data).dtype == dtype


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.int64,
                                   np.uint8, np.bool_])
def test_numpy_arrays_keep_their_dtype(dtype):
    array = np.zeros(3, dtype=dtype)
    assert Tensor(array).dtype == dtype
    assert autograd.tensor(array).dtype == dtype


def test_numpy_scalars_keep_their_dtype():
    assert autograd.tensor(np.float64(2.0)).dtype == np.float64
    assert autograd.tensor(np.float32(2.0)).dtype == np.float32
    assert autograd.tensor(np.int32(2)).dtype == np.int32


def test_explicit_dtype_wins():
    assert autograd.tensor([1, 2], dtype="float64").dtype == np.float64
    assert autograd.tensor([1.5], dtype=np.float16).dtype == np.float16
    assert Tensor(np.zeros(2, dtype=np.float32), dtype="float64").dtype == np.float64


def test_default_dtype_is_float32():
    assert autograd.get_default_dtype() == np.float32


def test_set_default_dtype_changes_python_floats(float64_default):
    assert autograd.get_default_dtype() == np.float64
    assert autograd.tensor(1.5).dtype == np.float64
    assert autograd.tensor([1.0, 2.0]).dtype == np.float64
    assert autograd.zeros(2).dtype == np.float64
    assert autograd.randn(2).dtype == np.float64
    # ints and numpy arrays are unaffected
    assert autograd.tensor(3).dtype == np.int64
    assert autograd.tensor(np.zeros(2, dtype=np.float32)).dtype == np.float32


def test_set_default_dtype_accepts_numpy_dtypes():
    previous = autograd.get_default_dtype()
    try:
        autograd.set_default_dtype(np.float64)
        assert autograd.get_default_dtype() == np.float64
    finally:
        autograd.set_default_dtype(previous)
    assert autograd.get_default_dtype() == np.float32


def test_set_default_dtype_rejects_non_float():
    with pytest.raises(DtypeError, match="expected a floating dtype, got int32"):
        autograd.set_default_dtype("int32")
    assert autograd.get_default_dtype() == np.float32


# ------------------------------------------------------------------ copy vs share
def test_tensor_factory_copies():
    array = np.zeros(3)
    t = autograd.tensor(array)
    array[0] = 5.0
    assert t.numpy()[0] == 0.0
    assert not np.shares_memory(t.numpy(), array)


def test_tensor_constructor_shares():
    array = np.zeros(3)
    t = Tensor(array)
    array[0] = 5.0
    assert t.numpy()[0] == 5.0
    assert np.shares_memory(t.numpy(), array)
    assert not t.numpy().flags.writeable  # handed out read-only: writes go through the tensor


def test_tensor_of_tensor_copies_data():
    a = autograd.tensor([1.0, 2.0])
    b = autograd.tensor(a)
    assert b.dtype == np.float32
    assert not np.shares_memory(a.numpy(), b.numpy())
    np.testing.assert_array_equal(b.data, [1.0, 2.0])


# ------------------------------------------------------------------ array facts
def test_zero_d_scalar():
    s = autograd.tensor(3.0)
    assert s.shape == ()
    assert s.ndim == 0
    assert s.size == 1
    assert s.item() == 3.0
    assert isinstance(s.item(), float)
    assert float(s) == 3.0
    assert isinstance(s.numpy(), np.ndarray)
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(s)


def test_shape_ndim_dtype_size():
    t = autograd.tensor(np.arange(24, dtype=np.float64).reshape(2, 3, 4))
    assert t.shape == (2, 3, 4)
    assert t.ndim == 3
    assert t.size == 24
    assert t.dtype == np.float64


def test_item_of_one_element_and_int():
    assert autograd.tensor([[2.5]]).item() == 2.5
    value = autograd.tensor(7).item()
    assert value == 7 and isinstance(value, int)
    with pytest.raises(ValueError):
        autograd.tensor([1.0, 2.0]).item()


def test_int_and_float_of_any_one_element_tensor_as_pytorch():
    assert int(autograd.tensor([[-2.7]])) == -2 and int(autograd.tensor([7])) == 7
    assert float(autograd.tensor([[3]])) == 3.0 and isinstance(float(autograd.tensor([3])), float)
    for convert in (int, float):
        with pytest.raises(ShapeError, match=r"\(2,\) \(2 elements\): only a one-element"):
            convert(autograd.tensor([1.0, 2.0]))


def test_numpy_returns_the_shared_array():
    t = autograd.tensor([1.0, 2.0])
    assert t.numpy() is t.numpy()
    assert isinstance(t.numpy(), np.ndarray)


def test_array_protocol():
    t = autograd.tensor([[1.0, 2.0], [3.0, 4.0]])
    a = np.asarray(t)
    assert isinstance(a, np.ndarray)
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, [[1.0, 2.0], [3.0, 4.0]])
    assert np.shares_memory(a, t.numpy())
    a64 = np.asarray(t, dtype=np.float64)
    assert a64.dtype == np.float64
    copied = np.array(t, copy=True)
    assert not np.shares_memory(copied, t.numpy())


def test_transpose_property():
    t = autograd.tensor(np.arange(6.0).reshape(2, 3))
    assert t.T.shape == (3, 2)
    np.testing.assert_array_equal(t.T.data, np.arange(6.0).reshape(2, 3).T)
    assert autograd.tensor([1.0, 2.0]).T.shape == (2,)


def test_len_and_iter():
    t = autograd.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    assert len(t) == 3
    rows = list(t)
    assert len(rows) == 3
    assert all(isinstance(r, Tensor) and r.shape == (2,) for r in rows)
    np.testing.assert_array_equal(rows[2].data, [5.0, 6.0])
    # iteration is differentiable: each row is an indexing op of t
    total = rows[0].sum() + 2 * rows[2].sum()
    total.backward()
    np.testing.assert_array_equal(t.grad.data, [[1, 1], [0, 0], [2, 2]])


def test_tolist():
    assert autograd.tensor([[1.0, 2.0]]).tolist() == [[1.0, 2.0]]


# ------------------------------------------------------------------ repr
def test_repr_plain():
    assert repr(autograd.tensor([1.0, 2.0])) == "Tensor([1., 2.])"
    assert repr(autograd.tensor(2.5)) == "Tensor(2.5)"
    assert repr(autograd.tensor([1, 2])) == "Tensor([1, 2])"


def test_repr_shows_requires_grad_and_grad_fn():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "Tensor([1., 2.], requires_grad=True)"
    assert repr(x * 2) == "Tensor([2., 4.], grad_fn=<mul>)"


def test_repr_shows_non_default_dtype():
    assert repr(autograd.tensor(np.zeros(2))) == "Tensor([0., 0.], dtype=float64)"
    assert "dtype=int32" in repr(autograd.tensor(np.zeros(2, dtype=np.int32)))


def test_repr_multiline_is_aligned():
    text = repr(autograd.tensor(np.eye(2)))
    assert text == "Tensor([[1., 0.],\n        [0., 1.]], dtype=float64)"


# ------------------------------------------------------------------ graph state
def test_requires_grad_on_int_tensor_raises():
    with pytest.raises(DtypeError) as info:
        autograd.tensor([1, 2], requires_grad=True)
    message = str(info.value)
    assert "only floating-point tensors can require gradients" in message
    assert "int64" in message
    assert "dtype='float32'" in message  # says how to fix it


def test_requires_grad_on_bool_and_setter():
    with pytest.raises(DtypeError, match="got dtype bool"):
        autograd.tensor([True], requires_grad=True)
    t = autograd.tensor(np.arange(3, dtype=np.int32))
    with pytest.raises(DtypeError, match="int32"):
        t.requires_grad = True
    with pytest.raises(DtypeError):
        t.requires_grad_()
    assert t.requires_grad is False


def test_requires_grad_defaults_and_setter():
    x = autograd.tensor([1.0])
    assert x.requires_grad is False
    assert x.requires_grad_() is x
    assert x.requires_grad is True
    x.requires_grad = False
    assert x.requires_grad is False


def test_cannot_turn_off_requires_grad_on_non_leaf():
    x = autograd.tensor([1.0], requires_grad=True)
    y = x * 2
    with pytest.raises(autograd.BackwardError, match="non-leaf.*detach"):
        y.requires_grad = False


def test_is_leaf_and_grad_fn():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    c = autograd.tensor([3.0, 4.0])
    assert x.is_leaf and x.grad_fn is None
    assert c.is_leaf and c.grad_fn is None
    y = x * c
    assert not y.is_leaf
    assert y.requires_grad
    assert y.grad_fn.name == "mul"
    assert y.sum().grad_fn.name == "sum"
    assert x.exp().grad_fn.name == "exp"
    assert (x @ c).grad_fn.name == "matmul"
    # ops on tensors that need no grad record nothing
    z = c * 2
    assert z.is_leaf and z.grad_fn is None and not z.requires_grad


def test_grad_fn_next_functions_link_the_graph():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    c = autograd.tensor([3.0, 4.0])
    y = (x * c).exp()
    mul_node = y.grad_fn.next_functions[0][0]
    assert mul_node.name == "mul"
    assert mul_node.next_functions[0][0].variable is x  # a leaf: an AccumulateGrad
    assert mul_node.next_functions[1][0] is None  # c needs no gradient


def test_detach():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and d.grad_fn is None
    assert np.shares_memory(d.numpy(), y.numpy())
    np.testing.assert_array_equal(d.data, [3.0, 6.0])
    # gradients do not flow through a detached tensor
    (y * d).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [9.0, 18.0])  # 3 * d, not 2 * 9x


def test_setitem_writes_into_a_plain_tensor_and_counts_a_version():
    t = autograd.tensor([1.0, 2.0, 3.0])
    t[0] = 5.0
    t[[1, 2]] = autograd.tensor([7.0, 8.0])
    np.testing.assert_array_equal(t.data, [5.0, 7.0, 8.0])
    assert t._version == 2


# ------------------------------------------------------------------ numpy interop
def test_ndarray_times_tensor_is_in_the_graph():
    x = autograd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a = np.array([2.0, 3.0, 4.0])
    y = a * x
    assert isinstance(y, Tensor)
    assert y.grad_fn is not None and y.grad_fn.name == "mul"
    np.testing.assert_allclose(y.data, [2.0, 6.0, 12.0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, [2.0, 3.0, 4.0])
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("make", [
    lambda x: np.array([1.0, 1.0]) + x,
    lambda x: np.array([1.0, 1.0]) - x,
    lambda x: np.array([1.0, 1.0]) / x,
    lambda x: np.array([[1.0, 0.0], [0.0, 1.0]]) @ x,
    lambda x: np.array([2.0, 2.0]) ** x,
])
def test_reflected_ops_with_ndarray_on_the_left(make):
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = make(x)
    assert isinstance(y, Tensor) and y.requires_grad
    y.sum().backward()
    assert x.grad is not None and x.grad.shape == (2,)


def test_numpy_scalar_times_tensor():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = np.float64(2) * x
    assert isinstance(y, Tensor)
    assert y.grad_fn.name == "mul"
    np.testing.assert_allclose(y.data, [2.0, 4.0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, [2.0, 2.0])
    assert x.grad.dtype == np.float32


def test_numpy_ufunc_on_tensor():
    x = autograd.tensor([0.0, 1.0], requires_grad=True)
    y = np.exp(x)
    assert isinstance(y, Tensor)
    assert y.grad_fn.name == "exp"
    np.testing.assert_allclose(y.data, np.exp([0.0, 1.0]), rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.exp([0.0, 1.0]), rtol=1e-6)
    z = np.maximum(x, 0.5)
    assert isinstance(z, Tensor) and z.grad_fn.name == "maximum"


def test_numpy_ufunc_without_rule_raises_clear_error():
    x = autograd.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="np.spacing on a Tensor.*no differentiable version"):
        np.spacing(x)
    with pytest.raises(TypeError, match=r"np.exp on a Tensor: keyword arguments \(out\)"):
        np.exp(x, out=np.empty(2, dtype=np.float32))
    # leaving the graph explicitly works
    np.testing.assert_array_equal(np.square(x.numpy()), [1.0, 4.0])


def test_numpy_comparison_gives_bool_tensor():
    x = autograd.tensor([1.0, 3.0], requires_grad=True)
    m = np.array([2.0, 2.0]) < x
    assert isinstance(m, Tensor) and m.dtype == np.bool_ and not m.requires_grad
    np.testing.assert_array_equal(m.data, [False, True])


def test_python_scalar_ops_keep_float32():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    for y in (x * 2.5, 2.5 * x, x + 1, 1 - x, x / 3.0, 3.0 / x, x ** 2, 2.0 ** x):
        assert y.dtype == np.float32, y


# ------------------------------------------------------------------ factories
def test_zeros_ones_full():
    z = autograd.zeros(2, 3)
    assert z.shape == (2, 3) and z.dtype == np.float32 and not z.numpy().any()
    assert autograd.zeros((2, 3)).shape == (2, 3)
    o = autograd.ones((4,), dtype="float64")
    assert o.dtype == np.float64
    np.testing.assert_array_equal(o.data, np.ones(4))
    f = autograd.full((2, 2), 7.0)
    assert f.dtype == np.float32
    np.testing.assert_array_equal(f.data, np.full((2, 2), 7.0))
    assert autograd.full((2,), 7).dtype == np.int64  # PyTorch's rule: an int fill gives int64
    assert autograd.full((2,), True).dtype == np.bool_
    assert autograd.full((2,), 7, dtype=np.int64).dtype == np.int64
    w = autograd.zeros(3, requires_grad=True)
    assert w.requires_grad and w.is_leaf


def test_zeros_like_ones_like():
    t = autograd.tensor(np.zeros((2, 3), dtype=np.float64))
    assert autograd.zeros_like(t).dtype == np.float64
    assert autograd.ones_like(t).shape == (2, 3)
    np.testing.assert_array_equal(autograd.ones_like(t).data, np.ones((2, 3)))


def test_arange():
    a = autograd.arange(5)
    assert a.dtype == np.int64
    np.testing.assert_array_equal(a.data, [0, 1, 2, 3, 4])
    b = autograd.arange(0.0, 1.0, 0.25)
    assert b.dtype == np.float32
    np.testing.assert_allclose(b.data, [0.0, 0.25, 0.5, 0.75])
    c = autograd.arange(1, 4, dtype="float64")
    assert c.dtype == np.float64
    np.testing.assert_array_equal(c.data, [1.0, 2.0, 3.0])


def test_eye():
    e = autograd.eye(3)
    assert e.dtype == np.float32
    np.testing.assert_array_equal(e.data, np.eye(3))
    assert autograd.eye(2, 3).shape == (2, 3)


def test_randn_rand_shapes_dtypes_and_seed():
    autograd.manual_seed(0)
    a = autograd.randn(2, 3)
    b = autograd.rand((4,))
    assert a.shape == (2, 3) and a.dtype == np.float32
    assert b.shape == (4,) and b.dtype == np.float32
    assert ((b.numpy() >= 0) & (b.numpy() < 1)).all()
    assert autograd.randn(2, dtype="float64").dtype == np.float64
    autograd.manual_seed(0)
    np.testing.assert_array_equal(autograd.randn(2, 3).data, a.data)
    np.testing.assert_array_equal(autograd.rand(4).data, b.data)
    r = autograd.randn(3, requires_grad=True)
    assert r.requires_grad and r.is_leaf


def test_default_generator_is_one_object_that_every_reseed_reseeds():
    rng = autograd.default_generator
    assert isinstance(rng, np.random.Generator)
    autograd.manual_seed(3)
    assert rng.random() == np.random.default_rng(3).random()  # the stream a seed always gave
    drawn = autograd.rand(4, dtype="float64").numpy()  # the library's ops draw from it
    autograd.manual_seed(3)
    rng.random()
    np.testing.assert_array_equal(rng.random(4), drawn)
    state = autograd.get_rng_state()
    first = rng.random(3)
    autograd.seed()
    autograd.set_rng_state(state)
    np.testing.assert_array_equal(rng.random(3), first)
    autograd.set_rng_state(np.random.MT19937(1).state)  # another bit generator's state
    assert rng.random() == np.random.Generator(np.random.MT19937(1)).random()
    assert autograd.default_generator is rng


def test_randn_statistics():
    autograd.manual_seed(1)
    sample = autograd.randn(20000, dtype="float64").data
    assert abs(sample.mean()) < 0.05
    assert abs(sample.std() - 1.0) < 0.05
