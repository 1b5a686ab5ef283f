"""The pointwise math ops (autograd/pointwise.py, div's rounding_mode): what the op table
cannot check — values at kinks and special points, dtypes, and errors. Values and gradients
at ordinary points are in op_cases.py (gradcheck, gradgradcheck, jvp) and the oracle rows
(tests/oracle/rows_pointwise.py, against torch)."""
import numpy as np
import pytest

import autograd
from autograd import ShapeError, Tensor


def t64(values, requires_grad=True):
    return autograd.tensor(values, dtype="float64", requires_grad=requires_grad)


def grad_of(fn, *xs):
    return autograd.grad(fn(*xs).sum(), xs, allow_unused=True)


def test_remainder_and_fmod_follow_python_and_c_sign_conventions():
    x, y = autograd.tensor([-7, 7, -7, 7]), autograd.tensor([3, 3, -3, -3])
    assert (x % y).tolist() == [-7 % 3, 7 % 3, -7 % -3, 7 % -3]
    assert autograd.fmod(x, y).tolist() == [-1, 1, -1, 1]
    assert (x // y).tolist() == [-7 // 3, 7 // 3, -7 // -3, 7 // -3]
    assert autograd.div(x, y, rounding_mode="trunc").tolist() == [-2, 2, 2, -2]
    assert (x // y).dtype == np.int64 and (x % 2.5).dtype == np.float32


def test_rounded_quotients_and_rounding_ops_have_zero_gradients():
    x, y = t64([-2.7, 1.3, 0.6]), t64([0.7, -1.1, 2.0])
    for fn in (lambda a, b: a // b, lambda a, b: autograd.div(a, b, rounding_mode="trunc"),
               lambda a, b: autograd.floor(a) + autograd.ceil(b) + autograd.round(a * b)):
        gx, gy = grad_of(fn, x, y)
        assert np.array_equal(gx.numpy(), np.zeros(3)) and np.array_equal(gy.numpy(), np.zeros(3))


@pytest.mark.parametrize("fn", [lambda x, y: x % y, lambda x, y: autograd.fmod(x, y),
                                lambda x, y: x // y,
                                lambda x, y: autograd.div(x, y, rounding_mode="trunc")])
def test_integer_division_by_zero_raises_as_torch(fn):
    with pytest.raises(ZeroDivisionError, match=r"integer division by zero \(shapes \(2,\)"):
        fn(autograd.tensor([1, 2]), autograd.tensor([1, 0]))
    out = fn(autograd.tensor([1.0, 2.0]), autograd.tensor([1.0, 0.0]))  # floats: inf or nan
    assert not np.isfinite(out.numpy()[1])


def test_div_refuses_an_unknown_rounding_mode():
    with pytest.raises(TypeError, match="div: rounding_mode must be None, 'trunc' or 'floor', "
                                        "got 'round'"):
        autograd.div(autograd.tensor([1.0]), 2.0, rounding_mode="round")


def test_round_is_half_to_even_with_decimals_and_keeps_integers():
    x = autograd.tensor([0.5, 1.5, 2.5, -0.5, -2.5])
    assert autograd.round(x).tolist() == [0.0, 2.0, 2.0, -0.0, -2.0]
    assert autograd.round(t64([1.25, 1.35]), decimals=1).tolist() == pytest.approx([1.2, 1.4])
    assert autograd.round(autograd.tensor([15.0, 25.0]), decimals=-1).tolist() == [20.0, 20.0]
    ints = autograd.tensor([1, -2])
    for fn in (autograd.round, autograd.floor, autograd.ceil, autograd.trunc):
        assert fn(ints).dtype == np.int64 and fn(ints).tolist() == [1, -2]
    assert autograd.round(autograd.tensor([15, 25, 31]), decimals=-1).tolist() == [20, 20, 30]


def test_floating_ops_turn_integers_into_the_default_float():
    ints = autograd.tensor([1, 2])
    for fn in (autograd.tan, autograd.exp2, autograd.log2, autograd.atan, autograd.sinc,
               autograd.deg2rad, lambda v: autograd.copysign(v, -1)):
        assert fn(ints).dtype == np.float32
    assert autograd.float_power(ints, 2).dtype == np.float64
    assert autograd.atan2(autograd.tensor([1.0], dtype="float16"), 2.0).dtype == np.float16


def test_sinc_is_one_at_zero_with_slope_zero_as_torch():
    x = t64([0.0, 1.0])
    assert autograd.sinc(x).tolist()[0] == 1.0
    (g,) = grad_of(autograd.sinc, x)
    assert g.tolist()[0] == 0.0 and g.tolist()[1] == pytest.approx(-1.0)


def test_sinc_s_higher_derivatives_are_right_at_and_near_zero():
    """sinc''(0) = -pi**2/3 (a constant slope of 0 at 0 would make it 0: silently wrong);
    near 0 a Taylor series replaces the formula, which cancels there."""
    x = t64([0.0, 1e-8, -0.004, 0.0099, 0.0101, 0.7])
    (g,) = autograd.grad(autograd.sinc(x).sum(), x, create_graph=True)
    (gg,) = autograd.grad(g.sum(), x)
    v = x.numpy()
    with np.errstate(invalid="ignore"):  # the formula cancels near 0, well enough from 1e-3
        exact = np.where(abs(v) > 1e-3, (np.cos(np.pi * v) - np.sinc(v)) / v, -np.pi ** 2 / 3 * v)
    np.testing.assert_allclose(g.numpy(), exact, rtol=1e-9, atol=1e-300)
    assert gg.tolist()[0] == pytest.approx(-np.pi ** 2 / 3, rel=1e-15)
    assert gg.tolist()[1] == pytest.approx(-np.pi ** 2 / 3, rel=1e-12)
    for at in ([0.0, 0.3], [1e-3, -0.0099], [0.0101, -2.5]):
        assert autograd.gradgradcheck(autograd.sinc, (t64(at),))


def test_xlogy_is_zero_where_x_is_zero_and_so_is_its_x_gradient():
    x, y = t64([0.0, 0.0, 2.0]), t64([0.0, 3.0, np.nan])
    out = autograd.xlogy(x, y)
    assert out.tolist()[:2] == [0.0, 0.0] and np.isnan(out.tolist()[2])
    gx, gy = grad_of(autograd.xlogy, t64([0.0, 0.0]), t64([0.5, 3.0]))
    assert gx.tolist() == [0.0, 0.0] and gy.tolist() == [0.0, 0.0]


def test_nan_to_num_passes_the_gradient_only_at_finite_entries():
    x = t64([1.0, np.nan, np.inf, -np.inf])
    assert autograd.nan_to_num(x, posinf=2.0).tolist() == [1.0, 0.0, 2.0,
                                                              np.finfo(np.float64).min]
    (g,) = grad_of(autograd.nan_to_num, x)
    assert g.tolist() == [1.0, 0.0, 0.0, 0.0]


def test_logit_with_eps_clamps_and_its_gradient_is_zero_outside():
    x = t64([0.05, 0.5, 0.95])
    out = autograd.logit(x, eps=0.1)
    np.testing.assert_allclose(out.numpy(), [np.log(1 / 9), 0.0, np.log(9)], atol=1e-12)
    (g,) = grad_of(lambda v: autograd.logit(v, eps=0.1), x)
    assert g.tolist() == [0.0, 4.0, 0.0]


def test_copysign_gradient_is_the_sign_flip_and_zero_at_zero():
    x, y = t64([-3.0, 3.0, 0.0]), t64([2.0, 2.0, -1.0])
    gx, gy = grad_of(autograd.copysign, x, y)
    assert gx.tolist() == [-1.0, 1.0, 0.0] and gy.tolist() == [0.0, 0.0, 0.0]


def test_lerp_refuses_integer_tensors():
    with pytest.raises(TypeError, match="lerp: expected floating start, end and weight, got "
                                        "start of dtype int64"):
        autograd.lerp(autograd.tensor([1, 2]), autograd.tensor([3.0, 4.0]), 0.5)


def test_frac_refuses_integer_tensors():
    with pytest.raises(TypeError, match="frac: expected a floating tensor, got dtype int64"):
        autograd.frac(autograd.tensor([1, 2]))


def test_isclose_and_allclose_use_torch_defaults():
    a = autograd.tensor([1.0, np.nan, 1e-9])
    b = autograd.tensor([1.0 + 1e-6, np.nan, 0.0])
    assert autograd.isclose(a, b).tolist() == [True, False, True]
    assert autograd.isclose(a, b, equal_nan=True).tolist() == [True, True, True]
    assert autograd.allclose(a, b, equal_nan=True) is True
    assert a.allclose(b) is False


def test_allclose_names_shapes_that_do_not_broadcast():
    with pytest.raises(ShapeError, match=r"isclose: .* \(input shapes \(2,\) and \(3,\)\)"):
        autograd.allclose(autograd.zeros(2), autograd.zeros(3))


def test_logical_ops_give_booleans_and_do_not_record():
    x = t64([0.0, 1.5, -2.0])
    out = autograd.logical_and(x, autograd.tensor([1, 1, 0]))
    assert out.dtype == np.bool_ and out.tolist() == [False, True, False]
    assert not out.requires_grad
    assert autograd.logical_not(x).tolist() == [True, False, False]
    assert np.logical_xor(x, x).tolist() == [False, False, False]  # numpy's ufunc dispatches


def test_bitwise_operators_on_integers_and_booleans():
    a, b = autograd.tensor([12, -8]), autograd.tensor([10, 2])
    assert (a & b).tolist() == [8, 0] and (a | b).tolist() == [14, -6]
    assert (a ^ b).tolist() == [6, -6] and (~a).tolist() == [-13, 7]
    assert (a << b).tolist() == [12 << 10, -32] and (a >> 1).tolist() == [6, -4]
    assert (3 & a).tolist() == [0, 0] and (1 << b).tolist() == [1024, 4]
    m = autograd.tensor([True, False])
    assert (m & autograd.tensor([True, True])).tolist() == [True, False]
    assert (~m).tolist() == [False, True] and (m | False).dtype == np.bool_
    assert (autograd.tensor([1], dtype="int32") & 1).dtype == np.int32


@pytest.mark.parametrize("fn, name", [(lambda x: x & x, "bitwise_and"),
                                      (lambda x: x | 1, "bitwise_or"),
                                      (lambda x: 1 ^ x, "bitwise_xor"),
                                      (lambda x: ~x, "bitwise_not"),
                                      (lambda x: x << 1, "bitwise_left_shift"),
                                      (lambda x: autograd.tensor([1]) >> x,
                                       "bitwise_right_shift")])
def test_bitwise_ops_refuse_floats_clearly(fn, name):
    with pytest.raises(TypeError, match=f"{name}: defined for integer and bool tensors, got "
                                        "dtype float32; use logical_and"):
        fn(autograd.tensor([1.0]))


def test_in_place_remainder_and_floor_divide_count_the_version():
    x = autograd.tensor([7, -7])
    x %= 3
    x //= 2
    assert x.tolist() == [0, 1] and x._version == 2


def test_sgn_is_sign():
    assert autograd.sgn is autograd.sign and Tensor.sgn is Tensor.sign


def test_half_is_float16_and_differentiable():
    x = t64([1.5, -2.0])
    h = x.half()
    assert h.dtype == np.float16 and h.requires_grad
    (h * 2).float().sum().backward()
    assert x.grad.dtype == np.float64 and x.grad.tolist() == [2.0, 2.0]
