"""gradcheck and gradgradcheck: they pass on correct rules, and on wrong ones they fail with a
message that locates the error (input, output, element, analytic vs numeric)."""
import warnings

import numpy as np
import pytest

import autograd
from autograd import GradcheckError, gradcheck, gradgradcheck


def t(values):
    return autograd.tensor(values, dtype="float64", requires_grad=True)


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ----------------------------------------------------------------- Functions with bugs
class OffAtOneElement(autograd.Function):
    """x ** 2 whose backward is wrong by 0.5 * g at element [1, 0] only."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.data ** 2

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 2 * x + g * np.array([[0.0, 0.0], [0.5, 0.0]])


class WrongJvp(autograd.Function):
    """sin with a correct backward and a wrong forward-mode rule (sin instead of cos)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x.data)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x.cos()

    @staticmethod
    def jvp(ctx, tangent):
        x, = ctx.saved_tensors
        return tangent * x.sin()


class NoisyBackward(autograd.Function):
    """2x whose backward adds tiny random noise: right to 1e-9, but not repeatable."""

    @staticmethod
    def forward(ctx, x):
        return x.data * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2 + autograd.default_generator.standard_normal(g.shape) * 1e-9


class ReluWrongAtZero(autograd.Function):
    """relu whose backward gives 2 at 0: neither one-sided derivative (0 or 1) nor their mean."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.maximum(x.data, 0)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * np.where(x.numpy() == 0, 2.0, x.numpy() > 0)


class CubeWithConstantBackward(autograd.Function):
    """x ** 3 whose backward uses x.data: right first derivative, but it is a constant to the
    graph, so the second derivative comes out wrong."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.data ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x.data ** 2


# ----------------------------------------------------------------- correct ops pass
def matrices():
    return t(np.arange(6.0).reshape(2, 3) / 5), t(np.arange(12.0).reshape(3, 4) / 7 - 0.5)


CORRECT = {  # name: (fn, a function making fresh inputs)
    "several inputs and outputs": (
        lambda x, y: (x * y, (x.sin() * y).sum(), y.exp()),
        lambda: (t([0.5, -1.0, 2.0]), t([[1.0, 2.0, 3.0], [0.1, 0.2, 0.3]]))),
    "0-d output": (lambda x: (x.tanh() ** 2).sum(), lambda: (t([[0.3, -0.7], [1.1, 0.2]]),)),
    "0-d input": (lambda s, x: s * x + s.exp(), lambda: (t(1.5), t([1.0, -2.0]))),
    "broadcasting": (lambda a, b: (a + b) * a / (b * b + 1),
                     lambda: (t([[1.0], [2.0]]), t([0.5, -0.5, 3.0]))),
    "matmul": (lambda a, b: a @ b, matrices),
    "reductions": (lambda x: (x.mean(axis=0), x.logsumexp(axis=1), x.softmax()),
                   lambda: (t([[0.1, 0.9, -0.3], [2.0, 0.5, 0.2]]),)),
}


@pytest.mark.parametrize("name", CORRECT)
@pytest.mark.parametrize("mode", [{}, {"fast_mode": True}, {"check_forward_ad": True}])
def test_correct_ops_pass(name, mode, no_warnings):
    fn, inputs = CORRECT[name]
    assert gradcheck(fn, inputs(), **mode) is True


def test_constant_output_unused_input_and_non_tensor_arguments_pass(no_warnings):
    x, unused = t([0.5, 3.0, -1.0]), t([1.0, 2.0])
    fn = lambda x, unused, power, constant: (x ** power * constant, x.argmax(), constant * 2)
    assert gradcheck(fn, (x, unused, 3, autograd.tensor([1.0, 2.0, 3.0], dtype="float64")))


def test_smooth_curvature_is_not_taken_for_a_kink(no_warnings):
    # the one-sided differences of 10 x² at 0 differ by 20 eps, more than atol: a kink test
    # on one step size alone would fire here
    assert gradcheck(lambda x: 10 * x * x, t([0.0, 1.0]))


def test_user_inputs_are_left_untouched():
    x = t([0.1, 0.2])
    before = x.numpy().copy()
    gradcheck(lambda x: x ** 2, x, fast_mode=True)
    gradcheck(lambda x: x * 3, x, check_forward_ad=True)
    assert np.array_equal(x.data, before) and x.grad is None


# ----------------------------------------------------------------- wrong rules fail
def check_message_locates_the_bug(message, rule="backward (vjp)"):
    assert f"the {rule} rule disagrees" in message
    assert "output 1 with respect to input 1" in message
    assert "worst element: output 1 element [1, 0], input 1 element [1, 0]" in message
    assert f"analytic, from the {rule} rule: 4.5" in message
    assert "numeric (central difference, eps=1e-06): 4" in message
    assert "relative error |a - n| / max(|a|, |n|) = 0.111" in message
    assert "1 of 16 entries" in message and "atol=1e-05, rtol=0.001" in message


def test_wrong_backward_fails_naming_input_output_element_and_values():
    inputs = (t([0.3, 0.4]), t([[0.5, -1.0], [2.0, 0.25]]))
    with pytest.raises(GradcheckError) as failure:
        gradcheck(lambda a, x: (a.sin(), OffAtOneElement.apply(x)), inputs)
    check_message_locates_the_bug(str(failure.value))


def test_raise_exception_false_returns_false():
    assert gradcheck(OffAtOneElement.apply, t([[0.5, -1.0], [2.0, 0.25]]),
                     raise_exception=False) is False


def test_fast_mode_catches_the_wrong_backward_and_locates_the_element():
    inputs = (t([0.3, 0.4]), t([[0.5, -1.0], [2.0, 0.25]]))
    with pytest.raises(GradcheckError) as failure:
        gradcheck(lambda a, x: (a.sin(), OffAtOneElement.apply(x)), inputs, fast_mode=True)
    check_message_locates_the_bug(str(failure.value))


def test_fast_mode_evaluates_fn_a_few_times_not_per_element():
    calls = []

    def fn(x):
        calls.append(1)
        return x.sin() * 2

    gradcheck(fn, t(np.linspace(-1, 1, 30)), fast_mode=True)
    assert len(calls) < 10  # the full check needs 2 per element


def test_forward_mode_check_catches_a_wrong_jvp():
    x = t([0.5, -1.0, 2.0])
    assert gradcheck(WrongJvp.apply, x)  # the backward is right
    for fast in (False, True):
        with pytest.raises(GradcheckError, match=r"forward-mode \(jvp\) rule disagrees"):
            gradcheck(WrongJvp.apply, x, check_forward_ad=True, fast_mode=fast)


class OffAtOneElementRightJvp(OffAtOneElement):
    @staticmethod
    def jvp(ctx, tangent):
        x, = ctx.saved_tensors
        return 2 * x * tangent


def test_forward_mode_alone_skips_the_backward():
    x = t([[0.5, -1.0], [2.0, 0.25]])
    assert gradcheck(OffAtOneElementRightJvp.apply, x, check_forward_ad=True,
                     check_backward_ad=False)
    with pytest.raises(ValueError):
        gradcheck(OffAtOneElementRightJvp.apply, x, check_backward_ad=False)


def test_nondeterministic_backward_is_reported():
    x = t([0.5, -1.0, 2.0])
    for fast in (False, True):
        with pytest.raises(GradcheckError, match="nondeterministic"):
            gradcheck(NoisyBackward.apply, x, fast_mode=fast)
    assert gradcheck(NoisyBackward.apply, x, nondet_tol=1e-6)


# ----------------------------------------------------------------- warnings and kinks
def test_float32_input_warns():
    x = autograd.tensor([0.5, 1.0], dtype="float32", requires_grad=True)
    with pytest.warns(UserWarning, match="float64"):
        assert gradcheck(lambda x: x * x, x, eps=1e-3, atol=1e-2, rtol=1e-2)


@pytest.mark.parametrize("op, matched", [(autograd.relu, "the left one"),
                                         (autograd.abs, "their mean")])
def test_kink_at_zero_warns_and_passes(op, matched):
    with pytest.warns(UserWarning, match="kink") as caught:
        assert gradcheck(op, t([1.5, 0.0, -2.0]))
    message = str(caught[0].message)
    assert "output 0 element [1], input 0 element [1]" in message and matched in message


def test_wrong_rule_at_a_kink_still_fails():
    with pytest.raises(GradcheckError, match="at a kink") as failure:
        gradcheck(ReluWrongAtZero.apply, t([1.5, 0.0, -2.0]))
    assert "input 0 element [1]" in str(failure.value)


def test_no_input_requiring_grad_is_an_error():
    with pytest.raises(ValueError, match="requires grad"):
        gradcheck(lambda x: x * 2, autograd.tensor([1.0], dtype="float64"))


# ----------------------------------------------------------------- second derivatives
@pytest.mark.parametrize("fn, inputs", [
    (lambda x, y: x ** 3 * y, lambda: (t([0.5, -1.0, 2.0]), t([1.5, 0.3, -0.7]))),
    (autograd.sin, lambda: (t([[0.5, -1.0], [2.0, 0.1]]),)),
    (lambda a, b: a @ b, matrices),
    (lambda x: ((x * x).sum(), x.exp()), lambda: (t([0.2, -0.4]),)),
])
def test_gradgradcheck_passes_on_correct_ops(fn, inputs, no_warnings):
    assert gradgradcheck(fn, inputs())
    assert gradgradcheck(fn, inputs(), fast_mode=True)


def test_gradgradcheck_catches_a_backward_that_is_right_only_to_first_order():
    x = t([0.5, -1.0, 2.0])
    assert gradcheck(CubeWithConstantBackward.apply, x)
    with pytest.raises(GradcheckError) as failure:
        gradgradcheck(CubeWithConstantBackward.apply, x)
    message = str(failure.value)
    assert "second-derivative check" in message
    assert "output 0 with respect to input 0" in message  # d(gradient)/dx, 0 instead of 6 x g
    assert "input 1 is grad_outputs[0]" in message
    assert gradgradcheck(CubeWithConstantBackward.apply, x, raise_exception=False) is False


def test_gradgradcheck_takes_given_grad_outputs():
    x = t([0.5, -1.0])
    assert gradgradcheck(lambda x: x ** 3, x, grad_outputs=t([1.0, 2.0]))
