"""gradcheck localizes a failure: it names the op whose own rule is wrong, where the user's
code called it, and blames no rule when the composite is at a kink or fn is not pure."""
import warnings

import numpy as np
import pytest

import autograd
from autograd import GradcheckError, gradcheck
from autograd.extend import elementwise


def t(values):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


class WrongSquare(autograd.Function):
    """x**2 with a backward that forgets the factor 2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x  # wrong: 2 * g * x


def composite(x, w):
    h = (x @ w).tanh()                    # 1, 2
    h = h * 0.5 + h.sin()                 # 3, 4, 5
    s = WrongSquare.apply(h)              # 6: the culprit, used here...
    s = s.exp() / (1 + s.exp())           # 7, 8, 9, 10
    r = WrongSquare.apply(s.mean() - h)   # 11, 12, 13: ...and again
    return (r.log1p() * w.sum()).sum()    # 14, 15, 16, 17


def test_a_wrong_custom_function_buried_in_a_composite_is_named():
    rng = np.random.default_rng(0)
    x, w = t(rng.standard_normal((3, 4))), t(rng.standard_normal((4, 2)))
    with pytest.raises(GradcheckError) as caught:
        gradcheck(composite, (x, w))
    err = caught.value
    assert err.culprit == "WrongSquare"
    assert err.node is not None and err.node.name == "WrongSquare"
    message = str(err)
    assert "The op whose own rule is wrong: WrongSquare (a custom Function)" in message
    first_call = composite.__code__.co_firstlineno + 3  # s = WrongSquare.apply(h)
    assert f"{__file__}:{first_call}," in message and "input shapes (3, 2)" in message
    assert "worst element" in message.split("The op whose own rule is wrong")[1]


@elementwise(lambda ans, x: 2 * x, saves="x")   # wrong: d/dx x**3 is 3 x**2
def _wrong_cube(x):
    return x ** 3


def test_a_wrong_user_registered_op_is_named():
    x = t([0.3, -1.2, 0.7])
    with pytest.raises(GradcheckError, match="wrong_cube \\(a registered op\\)") as caught:
        gradcheck(lambda x: (_wrong_cube(x.sin()) * x).sum(), x)
    assert caught.value.culprit == "wrong_cube"


def test_a_wrong_forward_rule_is_named_with_check_forward_ad():
    @elementwise(lambda ans, x: 3 * x * x, saves="x")
    def _right_cube(x):
        return x ** 3

    class WrongJvp(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.exp()

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * x.exp()

        @staticmethod
        def jvp(ctx, t):
            return t  # wrong: t * exp(x)

    x = t([0.3, -1.2, 0.7])
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x: WrongJvp.apply(_right_cube(x)).sum(), x, check_forward_ad=True,
                  check_backward_ad=False)
    assert caught.value.culprit == "WrongJvp"


def test_a_correct_composite_at_a_kink_blames_no_rule():
    x = t([0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(GradcheckError, match="No op's own rule is wrong") as caught:
            gradcheck(lambda x: x.abs() - 2 * (-x).relu(), x)  # x, by way of two kinks
    err = caught.value
    assert err.culprit is None and err.node is None
    assert "not differentiable at this point" in str(err) and "abs at" in str(err)


def test_a_tie_of_several_maxima_is_a_kink_not_a_wrong_rule():
    # the max's rule splits the gradient among k tied entries: 1/k lies between the
    # one-sided differences 0 and 1 (a subgradient), though it is neither nor their mean
    import nn.functional as F

    with pytest.warns(UserWarning, match="lies between them"):
        assert gradcheck(lambda x: x.amax() * 2, t([1.0, 1.0, 1.0]))
    with pytest.warns(UserWarning, match="kink"):
        assert gradcheck(lambda x: F.max_pool2d(x.exp(), 2).sum(), t(np.zeros((1, 1, 2, 4))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(GradcheckError, match="outside them") as caught:  # still wrong
            gradcheck(lambda x: _steep_relu(x * 2), t([0.0, 1.0]))
    assert caught.value.culprit == "steep_relu"


@elementwise(lambda ans, x: 3.0 * (x >= 0), saves="x")   # wrong: 1 where x > 0
def _steep_relu(x):
    return np.maximum(x, 0)


def test_an_impure_function_blames_no_rule():
    calls = [0]

    def drifting(x):
        calls[0] += 1
        return x * calls[0]  # state: each call scales differently

    with pytest.raises(GradcheckError, match="not a pure function") as caught:
        gradcheck(drifting, t([1.0, 2.0]))
    assert caught.value.culprit is None


def test_a_random_function_fails_as_impure_not_as_a_kink():
    # its finite differences jump between draws; that is no kink, and must not pass as one
    import nn.functional as F

    autograd.manual_seed(0)
    with pytest.raises(GradcheckError, match="not a pure function") as caught:
        gradcheck(lambda x: F.dropout(x, 0.5), t([1.0, 2.0, 3.0, 4.0]))
    assert caught.value.culprit is None and "kink" not in str(caught.value)


def test_localize_false_skips_the_search():
    x = t([0.3, -1.2, 0.7])
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x: _wrong_cube(x).sum(), x, localize=False)
    assert caught.value.culprit is None and "own rule" not in str(caught.value)


def test_float32_inputs_are_checked_at_float64_copies():
    x = autograd.tensor([0.3, -1.2, 0.7], dtype="float32", requires_grad=True)
    with pytest.warns(UserWarning, match="checked at a float64 copy"):
        assert gradcheck(lambda x: (x.sin() * x).exp(), x)


def test_float32_that_fn_insists_on_is_too_coarse_not_a_kink():
    x = autograd.tensor([0.3, -1.2, 0.7], dtype="float32", requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(GradcheckError, match="too coarse to judge") as caught:
            gradcheck(lambda x: (x.astype("float32").sin() * 1e3).exp(), x)
    assert "kink" not in str(caught.value)


def test_draw_graph_highlights_the_culprit_in_red():
    pytest.importorskip("graphviz")
    x = t([0.3, -1.2, 0.7])
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x: (WrongSquare.apply(x.sin()) * 2).sum(), x)
    err = caught.value
    source = autograd.draw_graph(err.output, highlight=err.node).source
    red = [line for line in source.splitlines() if "#cc0000" in line]
    assert len(red) == 1 and "WrongSquare" in red[0]
