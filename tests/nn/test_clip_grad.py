"""Gradient clipping: nn.utils.clip_grad_norm_ and clip_grad_value_."""
import numpy as np
import pytest

import autograd
import nn


def with_grads(*grads, dtype="float64"):
    """Parameters whose .grad holds the given values."""
    params = []
    for g in grads:
        p = autograd.tensor(np.zeros(np.shape(g)), dtype=dtype, requires_grad=True)
        p.grad = autograd.tensor(g, dtype=dtype)
        params.append(p)
    return params


@pytest.mark.parametrize("norm_type, total", [(2, 13.0), (1, 19.0), (float("inf"), 12.0),
                                              ("inf", 12.0)])
def test_clip_grad_norm_scales_all_gradients_by_max_norm_over_the_total_norm(norm_type, total):
    a, b = with_grads([[3.0, -4.0]], [12.0])
    returned = nn.utils.clip_grad_norm_([a, b], max_norm=2.0, norm_type=norm_type)
    assert isinstance(returned, autograd.Tensor) and returned.shape == ()
    assert returned.item() == pytest.approx(total)
    scale = 2.0 / (total + 1e-6)
    np.testing.assert_allclose(a.grad.data, [[3.0 * scale, -4.0 * scale]], rtol=1e-15)
    np.testing.assert_allclose(b.grad.data, [12.0 * scale], rtol=1e-15)


def test_gradients_within_max_norm_are_left_alone():
    (a,) = with_grads([0.3, 0.4])
    grad = a.grad
    assert nn.utils.clip_grad_norm_(a, max_norm=1.0).item() == pytest.approx(0.5)
    assert a.grad is grad and np.array_equal(a.grad.data, [0.3, 0.4])


def test_parameters_without_gradients_are_skipped():
    (a,) = with_grads([3.0, 4.0])
    idle = autograd.tensor([1.0], requires_grad=True)
    assert nn.utils.clip_grad_norm_([a, idle], 1.0).item() == pytest.approx(5.0)
    assert idle.grad is None
    assert nn.utils.clip_grad_norm_([idle], 1.0).item() == 0.0


def test_float32_gradients_stay_float32():
    a, b = with_grads([3.0, -4.0], [[1.0]], dtype="float32")
    total = nn.utils.clip_grad_norm_([a, b], 1.0)
    assert a.grad.dtype == b.grad.dtype == total.dtype == np.float32
    nn.utils.clip_grad_value_([a, b], 0.5)
    assert a.grad.dtype == np.float32


def test_a_non_finite_norm_raises_when_asked_else_spreads_nan_as_pytorch():
    a, b = with_grads([np.nan, 1.0], [2.0])
    with pytest.raises(autograd.AnomalyError, match=r"clip_grad_norm_: the total 2.0-norm of "
                                                    r"the gradients is nan.*error_if_nonfinite"):
        nn.utils.clip_grad_norm_([a, b], 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(b.grad.data, [2.0])  # nothing was scaled
    assert np.isnan(nn.utils.clip_grad_norm_([a, b], 1.0).item())
    assert np.isnan(b.grad.data).all()


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(max_norm=-1.0), ValueError, "clip_grad_norm_: max_norm must be >= 0, got -1.0"),
    (dict(max_norm=None), TypeError, "clip_grad_norm_: max_norm must be a number, got NoneType"),
    (dict(max_norm="1"), TypeError, "clip_grad_norm_: max_norm must be a number, got str '1'"),
    (dict(max_norm=1.0, norm_type=0), ValueError, r"clip_grad_norm_: norm_type must be > 0 "
                                                  r"\(or inf\), got 0.0"),
    (dict(max_norm=1.0, norm_type="fro"), ValueError, "clip_grad_norm_: norm_type must be a "
                                                      "number > 0 or inf, got 'fro'"),
])
def test_clip_grad_norm_refuses_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        nn.utils.clip_grad_norm_(with_grads([1.0]), **kwargs)


def test_clipping_refuses_what_is_not_a_tensor():
    with pytest.raises(TypeError, match=r"clip_grad_norm_: parameters must be Tensors, got "
                                        r"ndarray; pass model.parameters\(\)"):
        nn.utils.clip_grad_norm_([np.ones(3)], 1.0)
    with pytest.raises(TypeError, match="clip_grad_value_: clip_value must be a number, got "
                                        "NoneType None"):
        nn.utils.clip_grad_value_(with_grads([1.0]), None)


def _clipped_gradient(norm_type, max_norm=1.0):
    """w -> the gradient of sum(w³) (3w², its second entry masked to 0), clipped to
    ``max_norm`` by clip_grad_norm_ as a gradient in a graph (create_graph=True)."""
    mask = np.array([1.0, 0.0, 1.0, 1.0])

    def clipped(w):
        holder = autograd.tensor(np.zeros(4), dtype="float64", requires_grad=True)
        holder.grad = 3 * w * w * mask
        total = nn.utils.clip_grad_norm_([holder], max_norm, norm_type)
        assert total.requires_grad and total.item() > max_norm  # the clipping is active
        return holder.grad

    return clipped


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, 0.5, float("inf")])
def test_a_gradient_in_a_graph_is_clipped_differentiably_through_the_norm(norm_type):
    w = autograd.tensor([1.0, 0.7, 2.0, -1.5], dtype="float64", requires_grad=True)
    expected = 3 * w.data ** 2 * [1, 0, 1, 1]
    total = np.linalg.norm(expected, norm_type)
    np.testing.assert_allclose(_clipped_gradient(norm_type)(w).data,
                               expected / (total + 1e-6), rtol=1e-14)
    # the scale depends on w too (a zero entry included: no NaN from |g|^p at 0)
    assert autograd.gradcheck(_clipped_gradient(norm_type), (w,))


def test_a_gradient_in_a_graph_keeps_its_float32_dtype():
    w = autograd.tensor([1.0, 2.0], dtype="float32", requires_grad=True)
    (w ** 3).sum().backward(create_graph=True)
    total = nn.utils.clip_grad_norm_([w], max_norm=1.0)
    assert w.grad.dtype == total.dtype == np.float32 and w.grad.requires_grad


def test_clip_grad_value_clamps_every_entry():
    a, b = with_grads([[-3.0, 0.2]], [0.7, -0.1])
    idle = autograd.tensor([1.0], requires_grad=True)
    assert nn.utils.clip_grad_value_([a, b, idle], clip_value=0.5) is None
    np.testing.assert_array_equal(a.grad.data, [[-0.5, 0.2]])
    np.testing.assert_array_equal(b.grad.data, [0.5, -0.1])
    assert idle.grad is None


def test_clip_grad_value_refuses_a_negative_value():
    with pytest.raises(ValueError, match="clip_grad_value_: clip_value must be >= 0, got -1"):
        nn.utils.clip_grad_value_(with_grads([1.0]), -1)


@pytest.mark.parametrize("norm_type", [1.0, 2.0, 3.0, float("inf")])
def test_clipping_matches_torch(norm_type):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal((3, 4)), rng.standard_normal(5), rng.standard_normal(())]
    ours = with_grads(*grads)
    theirs = [torch.zeros(np.shape(g), dtype=torch.float64, requires_grad=True) for g in grads]
    for t, g in zip(theirs, grads):
        t.grad = torch.tensor(g)
    total = nn.utils.clip_grad_norm_(ours, 0.5, norm_type)
    assert total.item() == pytest.approx(torch.nn.utils.clip_grad_norm_(theirs, 0.5, norm_type)
                                         .item(), rel=1e-12)
    nn.utils.clip_grad_value_(ours, 0.1)
    torch.nn.utils.clip_grad_value_(theirs, 0.1)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.data, t.grad.numpy(), rtol=1e-12)
