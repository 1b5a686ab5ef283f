"""Normalization: the fused standardization rule, batch/instance/layer/group norm functions
and layers (values, gradients in training and eval mode, running statistics, state dicts,
errors), against hand-computed values and, when installed, PyTorch."""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import ShapeError
from nn.functional.normalization import _moments, _scale_shift, _standardized


def rand64(*shape, requires_grad=True):
    return autograd.Tensor(autograd.default_generator.standard_normal(shape),
                           requires_grad=requires_grad, dtype="float64")


def composed_standardize(x, axes, eps):
    """The same function built from core ops: the reference for the fused rule."""
    centered = x - autograd.mean(x, axes, keepdims=True)
    return centered / autograd.sqrt(autograd.var(x, axes, keepdims=True, correction=0) + eps)


def check_layer(layer, x, second_order=True):
    """gradcheck (and optionally gradgradcheck) of a float64 layer in its current mode, with
    respect to the input and every parameter."""
    names = [name for name, _ in layer.named_parameters()]
    params = [p for _, p in layer.named_parameters()]

    def run(x, *values):
        return nn.utils.functional_call(layer, dict(zip(names, values)), x)

    assert autograd.gradcheck(run, (x, *params))
    if second_order:
        assert autograd.gradgradcheck(run, (x, *params))


# ------------------------------------------------------------------ the fused rule
STANDARDIZE_CASES = [((5, 3), (0,)), ((1, 2, 3), (0, 2)), ((2, 3, 2, 2), (0, 2, 3)),
                     ((3, 4), (1,)), ((2, 1, 3), (1, 2)), ((2, 6), (0, 1)),
                     ((9, 2, 2, 3), (0, 2, 3))]  # 9 images: per-channel values spread out


@pytest.mark.parametrize("shape, axes", STANDARDIZE_CASES)
def test_standardize_rule_gradchecks_to_second_order_and_in_forward_mode(shape, axes):
    x = rand64(*shape)
    fn = lambda x: _standardized(x, axes, 1e-5)[0]  # noqa: E731
    assert autograd.gradcheck(fn, x, check_forward_ad=True)
    assert autograd.gradgradcheck(fn, x)


@pytest.mark.parametrize("shape, axes", STANDARDIZE_CASES)
def test_standardize_rule_equals_the_composed_version_to_1e10(shape, axes):
    x = rand64(*shape)
    g = rand64(*shape, requires_grad=False)
    fused, composed = _standardized(x, axes, 1e-5)[0], composed_standardize(x, axes, 1e-5)
    np.testing.assert_allclose(fused.data, composed.data, rtol=0, atol=1e-12)
    (dx_fused,) = autograd.grad(fused, x, g, create_graph=True)
    (dx_composed,) = autograd.grad(composed, x, g, create_graph=True)
    np.testing.assert_allclose(dx_fused.data, dx_composed.data, rtol=0, atol=1e-10)
    v = rand64(*shape, requires_grad=False)  # second order: d/dx <dx, v>
    (hv_fused,) = autograd.grad((dx_fused * v).sum(), x)
    (hv_composed,) = autograd.grad((dx_composed * v).sum(), x)
    np.testing.assert_allclose(hv_fused.data, hv_composed.data, rtol=0, atol=1e-10)


def test_standardize_is_one_node_in_the_graph():
    x = rand64(4, 3)
    y = _standardized(x, (0,), 1e-5)[0]
    assert y.grad_fn.name == "standardize" and y.grad_fn.next_functions[0][0].variable is x


SCALE_SHIFT_CASES = [((2, 3, 2, 2), (1, 3, 1, 1)), ((2, 3, 4), (4,)), ((3, 2), (1, 2)),
                     ((2, 3, 5), (1, 3, 1)), ((4, 1), (1, 1)), ((9, 2, 3), (1, 2, 1))]


@pytest.mark.parametrize("shape, vshape", SCALE_SHIFT_CASES)
def test_scale_shift_gradchecks_to_second_order_and_in_forward_mode(shape, vshape):
    args = (rand64(*shape), rand64(*vshape), rand64(*vshape))
    assert autograd.gradcheck(_scale_shift, args, check_forward_ad=True)
    assert autograd.gradgradcheck(_scale_shift, args)


@pytest.mark.parametrize("shape, vshape", SCALE_SHIFT_CASES + [((8, 16, 32, 32), (1, 16, 1, 1))])
def test_scale_shift_float32_gradients_are_the_composed_ones(shape, vshape):
    rng = np.random.default_rng(0)
    y, w, b = (autograd.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True)
               for s in (shape, vshape, vshape))
    g = rng.standard_normal(shape).astype(np.float32)
    fused = autograd.grad(_scale_shift(y, w, b), (y, w, b), autograd.tensor(g))
    composed = autograd.grad(y * w + b, (y, w, b), autograd.tensor(g))
    for a, c in zip(fused, composed):
        assert a.dtype == c.dtype == np.float32 and a.shape == c.shape
        np.testing.assert_allclose(a.numpy(), c.numpy(), rtol=1e-5, atol=1e-4)


def test_statistics_are_computed_once_per_forward_and_reused_by_the_backward(monkeypatch):
    import nn.functional.normalization as norm

    calls = []
    monkeypatch.setattr(norm, "_moments", lambda *a: calls.append(a) or _moments(*a))
    monkeypatch.setattr(norm, "var", None)  # a plain backward recomputes no variance
    x = autograd.randn(8, 3, 4, 4, requires_grad=True)
    mean, var = autograd.zeros(3), autograd.ones(3)
    y = F.batch_norm(x, mean, var, autograd.ones(3), autograd.zeros(3), training=True)
    (y * y).sum().backward()
    assert len(calls) == 1 and x.grad is not None


@pytest.mark.parametrize("shape, axes", [((100_000, 3), (0,)), ((64, 3, 32, 32), (0, 2, 3))])
def test_float32_statistics_stay_accurate_when_the_mean_dwarfs_the_spread(shape, axes):
    # 1e4 + N(0, 1) in float32. Measured on (100000, 3): float32 np.mean is off by 7.4 and
    # np.var by a factor 55 (naive E[x^2] - E[x]^2: 1.6e5); _moments: 5e-5 and 4e-8.
    x = (1e4 + np.random.default_rng(0).standard_normal(shape)).astype(np.float32)
    exact = x.astype(np.float64)
    mean, var = _moments(x, axes)
    assert mean.dtype == var.dtype == np.float32
    np.testing.assert_allclose(mean, exact.mean(axis=axes, keepdims=True), rtol=0, atol=1e-3)
    np.testing.assert_allclose(var, exact.var(axis=axes, keepdims=True), rtol=1e-6)
    running_var = autograd.zeros(3)
    y = F.batch_norm(autograd.tensor(x), None, running_var, training=True, momentum=1.0)
    np.testing.assert_allclose(running_var.data, exact.var(axis=axes, ddof=1), rtol=1e-6)
    np.testing.assert_allclose(y.numpy().var(axis=axes, dtype=np.float64), 1, rtol=1e-4)


@pytest.mark.parametrize("offset", [0.5, 3.0])
def test_float32_variance_is_one_pass_only_where_that_is_as_accurate(offset):
    # E[x^2] - E[x]^2 at mean = 3 std: 7e-7 relative (measured), the two-pass form 2e-8
    x = (offset + np.random.default_rng(2).standard_normal((32, 4, 32, 32))).astype(np.float32)
    exact = x.astype(np.float64).var(axis=(0, 2, 3), keepdims=True)
    np.testing.assert_allclose(_moments(x, (0, 2, 3))[1], exact, rtol=2e-7)


@pytest.mark.parametrize("shape, axes", [((2, 2**20), (1,)), ((3, 2, 64, 64), (1, 2, 3))])
def test_float32_variance_of_long_and_short_rows_stays_accurate(shape, axes):
    # per-row sums of squares are float32 dot products only up to 4096 values: measured on
    # rows of 2^20, a float32 dot is off by 1e-5 relative, pairwise summation by 6e-8
    x = (3 + np.random.default_rng(1).standard_normal(shape)).astype(np.float32)
    exact = x.astype(np.float64).var(axis=axes, keepdims=True)
    np.testing.assert_allclose(_moments(x, axes)[1], exact, rtol=3e-7)


# ------------------------------------------------------------------ functions: values
def test_batch_norm_training_values_and_running_statistics():
    x = autograd.tensor([[1.0, 10.0], [3.0, 30.0]])
    mean, var = autograd.zeros(2), autograd.ones(2)
    y = F.batch_norm(x, mean, var, training=True, eps=0.0)
    np.testing.assert_allclose(y.data, [[-1, -1], [1, 1]], rtol=1e-6)
    np.testing.assert_allclose(mean.data, [0.2, 2.0], rtol=1e-6)  # 0.9 * 0 + 0.1 * [2, 20]
    # unbiased batch variance: [2, 200]; 0.9 * 1 + 0.1 * [2, 200]
    np.testing.assert_allclose(var.data, [1.1, 20.9], rtol=1e-6)


def test_batch_norm_eval_uses_the_running_statistics():
    x = autograd.tensor([[3.0, 0.0]])
    y = F.batch_norm(x, np.array([1.0, 2.0]), np.array([4.0, 1.0]), autograd.tensor([2.0, 1.0]),
                     autograd.tensor([0.5, 0.0]), training=False, eps=0.0)
    np.testing.assert_allclose(y.data, [[(3 - 1) / 2 * 2 + 0.5, -2.0]], rtol=1e-6)


def test_batch_norm_normalizes_over_batch_and_positions():
    x = rand64(3, 2, 4, requires_grad=False)
    y = F.batch_norm(x, None, None, training=True).numpy()
    np.testing.assert_allclose(y.mean(axis=(0, 2)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2)), 1, rtol=1e-3)


def test_layer_group_and_instance_norm_values():
    np.testing.assert_allclose(F.layer_norm(autograd.tensor([[1.0, 2.0, 3.0]]), 3, eps=0).data,
                               [[-np.sqrt(1.5), 0, np.sqrt(1.5)]], rtol=1e-6)
    np.testing.assert_allclose(
        F.layer_norm(autograd.tensor([[1.0, 3.0]]), (2,), autograd.tensor([2.0, 3.0]),
                     autograd.tensor([0.0, 1.0]), eps=0).data, [[-2.0, 4.0]], rtol=1e-6)
    np.testing.assert_allclose(  # a constant group standardizes to 0 (eps keeps 0 / 0 away)
        F.group_norm(autograd.tensor([[0.0, 2.0, 5.0, 5.0]]), 2).data, [[-1, 1, 0, 0]], rtol=1e-5)
    np.testing.assert_allclose(
        F.instance_norm(autograd.tensor([[[[0.0, 2.0]], [[1.0, 3.0]]]]), eps=0).data,
        [[[[-1, 1]], [[-1, 1]]]])


def test_group_norm_extremes_are_layer_norm_and_instance_norm():
    x = rand64(2, 4, 3, requires_grad=False)
    np.testing.assert_allclose(F.group_norm(x, 1).data, F.layer_norm(x, (4, 3)).data, atol=1e-12)
    np.testing.assert_allclose(F.group_norm(x, 4).data, F.instance_norm(x).data, atol=1e-12)


@pytest.mark.parametrize("fn", [
    lambda x: F.batch_norm(x, autograd.zeros(3), autograd.ones(3), training=True),
    lambda x: F.batch_norm(x, autograd.zeros(3), autograd.ones(3), training=False),
    lambda x: F.layer_norm(x, (3, 2)),
    lambda x: F.group_norm(x, 3),
    lambda x: F.instance_norm(x),
])
def test_float32_stays_float32_and_large_inputs_stay_finite(fn):
    x = autograd.tensor(1000 * np.random.default_rng(1).standard_normal((4, 3, 2)),
                        dtype="float32", requires_grad=True)
    with np.errstate(all="raise"):
        y = fn(x)
        (y * y).sum().backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32
    assert np.isfinite(y.data).all() and np.isfinite(x.grad.data).all()


# ------------------------------------------------------------------ layers: gradients
@pytest.mark.parametrize("make, shape", [
    (lambda: nn.BatchNorm1d(3), (4, 3)),
    (lambda: nn.BatchNorm1d(2), (1, 2, 3)),  # a batch of one: statistics over L
    (lambda: nn.BatchNorm2d(2), (2, 2, 2, 1)),
    (lambda: nn.InstanceNorm2d(2, affine=True, track_running_stats=True), (1, 2, 2, 2)),
    (lambda: nn.LayerNorm((1, 3)), (1, 2, 1, 3)),
    (lambda: nn.LayerNorm(3, bias=False), (2, 3)),
    (lambda: nn.GroupNorm(2, 4), (1, 4, 2)),
])
@pytest.mark.parametrize("training", [True, False])
def test_layers_gradcheck_in_float64_for_input_and_parameters(make, shape, training):
    layer = make().double()
    for p in layer.parameters():  # away from the ones/zeros init, so every term shows
        p.detach().copy_(autograd.default_generator.uniform(0.5, 1.5, p.shape))
    for name, b in layer.named_buffers():
        if name == "running_var":
            b.detach().copy_([0.5, 2.0, 1.5][:b.shape[0]])
    check_layer(layer.train(training), rand64(*shape), second_order=training)


# ------------------------------------------------------------------ running statistics
def test_batch_norm_running_statistics_after_several_steps_by_hand():
    bn = nn.BatchNorm2d(2, momentum=0.3)
    batches = [autograd.randn(3, 2, 2, 2) for _ in range(4)]
    mean, var = np.zeros(2), np.ones(2)
    for x in batches:
        bn(x)
        mean = 0.7 * mean + 0.3 * x.numpy().mean(axis=(0, 2, 3))
        var = 0.7 * var + 0.3 * x.numpy().var(axis=(0, 2, 3)) * 12 / 11  # unbiased: n / (n - 1)
    np.testing.assert_allclose(bn.running_mean.data, mean, rtol=1e-5)
    np.testing.assert_allclose(bn.running_var.data, var, rtol=1e-5)
    assert bn.num_batches_tracked.item() == 4 and bn.running_mean.dtype == np.float32
    bn.eval()
    x = autograd.randn(2, 2, 1, 1)
    expected = (x.data - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5)
    np.testing.assert_allclose(bn(x).data, expected, rtol=1e-5, atol=1e-6)
    assert bn.num_batches_tracked.item() == 4  # eval leaves the statistics alone


def test_momentum_none_is_a_cumulative_average():
    bn = nn.BatchNorm1d(2, momentum=None)
    batches = [autograd.randn(5, 2) for _ in range(3)]
    for x in batches:
        bn(x)
    np.testing.assert_allclose(bn.running_mean.data,
                               np.mean([x.numpy().mean(0) for x in batches], axis=0), rtol=1e-5)


def test_without_running_statistics_eval_uses_batch_statistics():
    bn = nn.BatchNorm1d(2, track_running_stats=False, affine=False)
    assert bn.running_mean is None and list(bn.state_dict()) == []
    x = autograd.randn(4, 2)
    np.testing.assert_allclose(bn.eval()(x).data, bn.train()(x).data)
    np.testing.assert_allclose(bn(x).numpy().mean(0), 0, atol=1e-6)


def test_instance_norm_is_the_same_in_train_and_eval_unless_tracking():
    x = autograd.randn(2, 3, 2, 2)
    norm = nn.InstanceNorm2d(3)
    np.testing.assert_allclose(norm.eval()(x).data, norm.train()(x).data)
    tracked = nn.InstanceNorm2d(3, track_running_stats=True)
    tracked(x)
    np.testing.assert_allclose(tracked.running_mean.data, 0.1 * x.numpy().mean(axis=(2, 3)).mean(0),
                               rtol=1e-5)
    np.testing.assert_allclose(tracked.running_var.data,
                               0.9 + 0.1 * x.numpy().var(axis=(2, 3), ddof=1).mean(0), rtol=1e-5)


def test_instance_norm_counts_no_batches_so_momentum_none_never_moves_its_statistics():
    tracked = nn.InstanceNorm2d(3, track_running_stats=True)  # PyTorch's behaviour, both
    cumulative = nn.InstanceNorm2d(3, momentum=None, track_running_stats=True)
    for _ in range(3):
        x = 2 * autograd.randn(2, 3, 2, 2) + 1
        tracked(x)
        cumulative(x)
    assert tracked.num_batches_tracked.item() == 0 and cumulative.num_batches_tracked.item() == 0
    assert np.abs(tracked.running_mean.data).min() > 0
    np.testing.assert_array_equal(cumulative.running_mean.data, 0)
    np.testing.assert_array_equal(cumulative.running_var.data, 1)


# ------------------------------------------------------------------ module plumbing
@pytest.mark.parametrize("layer, keys", [
    (nn.BatchNorm1d(3), ["weight", "bias", "running_mean", "running_var",
                         "num_batches_tracked"]),
    (nn.BatchNorm2d(3, affine=False), ["running_mean", "running_var", "num_batches_tracked"]),
    (nn.InstanceNorm2d(3), []),
    (nn.InstanceNorm2d(3, affine=True), ["weight", "bias"]),
    (nn.LayerNorm((2, 3)), ["weight", "bias"]),
    (nn.LayerNorm(3, elementwise_affine=False), []),
    (nn.GroupNorm(1, 3), ["weight", "bias"]),
])
def test_state_dict_keys_are_pytorchs(layer, keys):
    assert list(layer.state_dict()) == keys


def test_parameters_are_created_in_the_default_dtype():
    autograd.set_default_dtype("float64")
    try:
        layers = [nn.BatchNorm1d(2), nn.LayerNorm(2), nn.GroupNorm(1, 2),
                  nn.InstanceNorm2d(2, affine=True, track_running_stats=True)]
    finally:
        autograd.set_default_dtype("float32")
    for layer in layers:
        assert all(t.dtype == np.float64 for _, t in layer.named_parameters())
        assert all(t.dtype == np.float64 for n, t in layer.named_buffers()
                   if n != "num_batches_tracked")
    assert layers[0].num_batches_tracked.dtype == np.int64


def test_repr_is_pytorchs():
    assert repr(nn.BatchNorm2d(4)) == \
        "BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"
    assert repr(nn.LayerNorm(4)) == (
        "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)")
    assert repr(nn.GroupNorm(2, 4)) == "GroupNorm(2, 4, eps=1e-05, affine=True)"


# ------------------------------------------------------------------ PyTorch parity
def to_torch(torch, t):
    return torch.tensor(np.asarray(t))


@pytest.mark.parametrize("ours, theirs, shape", [
    (lambda: nn.BatchNorm1d(3, momentum=0.2), "BatchNorm1d(3, momentum=0.2)", (4, 3, 2)),
    (lambda: nn.BatchNorm2d(2, momentum=None), "BatchNorm2d(2, momentum=None)", (3, 2, 2, 2)),
    (lambda: nn.InstanceNorm2d(2, affine=True, track_running_stats=True),
     "InstanceNorm2d(2, affine=True, track_running_stats=True)", (3, 2, 3, 2)),
    (lambda: nn.InstanceNorm2d(2, momentum=None, track_running_stats=True),
     "InstanceNorm2d(2, momentum=None, track_running_stats=True)", (3, 2, 3, 2)),
    (lambda: nn.LayerNorm((2, 2)), "LayerNorm((2, 2))", (3, 2, 2)),
    (lambda: nn.GroupNorm(2, 4), "GroupNorm(2, 4)", (2, 4, 3)),
])
def test_matches_pytorch_over_training_steps_then_eval(ours, theirs, shape):
    torch = pytest.importorskip("torch")
    layer = ours().double()
    reference = eval(f"torch.nn.{theirs}", {"torch": torch}).double()
    for p in layer.parameters():
        p.detach().copy_(autograd.default_generator.uniform(0.5, 1.5, p.shape))
    reference.load_state_dict({k: to_torch(torch, v) for k, v in layer.state_dict().items()})
    for _ in range(3):
        x = rand64(*shape)
        y = layer(x)
        (y * y * np.arange(y.size).reshape(y.shape)).sum().backward()
        xt = to_torch(torch, x).requires_grad_()
        yt = reference(xt)
        (yt * yt * torch.arange(yt.numel()).reshape(yt.shape)).sum().backward()
        np.testing.assert_allclose(y.data, yt.detach().numpy(), atol=1e-10)
        np.testing.assert_allclose(x.grad.data, xt.grad.numpy(), atol=1e-9)
    for key, value in reference.state_dict().items():
        np.testing.assert_allclose(layer.state_dict()[key].data, value.numpy(), atol=1e-12)
    for p, pt in zip(layer.parameters(), reference.parameters()):
        np.testing.assert_allclose(p.grad.data, pt.grad.numpy(), atol=1e-9)
    x = rand64(*shape, requires_grad=False)
    np.testing.assert_allclose(layer.eval()(x).data,
                               reference.eval()(to_torch(torch, x)).detach().numpy(), atol=1e-10)


def test_a_pytorch_state_dict_as_arrays_loads():
    torch = pytest.importorskip("torch")
    reference = torch.nn.BatchNorm1d(3)
    reference(torch.randn(5, 3))
    layer = nn.BatchNorm1d(3)
    layer.load_state_dict({k: v.numpy() for k, v in reference.state_dict().items()})
    np.testing.assert_allclose(layer.running_var.data, reference.running_var.numpy())
    assert layer.num_batches_tracked.item() == 1


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("layer, shape, match", [
    (nn.BatchNorm1d(3), (2, 3, 4, 5), r"BatchNorm1d: expected an input of shape \(N, C\) or "
                                      r"\(N, C, L\), got shape \(2, 3, 4, 5\)"),
    (nn.BatchNorm2d(3), (2, 3), r"BatchNorm2d: expected an input of shape \(N, C, H, W\)"),
    (nn.BatchNorm1d(3), (2, 4), r"BatchNorm1d: expected 3 channels on axis 1 of an input "
                                r"\(N, C\), got an input of shape \(2, 4\)"),
    (nn.InstanceNorm2d(3), (1, 2, 4, 4), r"InstanceNorm2d: expected 3 channels"),
    (nn.GroupNorm(2, 4), (2, 6, 3), r"GroupNorm: expected 4 channels .* shape \(2, 6, 3\)"),
    (nn.LayerNorm((2, 3)), (2, 3, 2), r"layer_norm: the input's trailing shape must be "
                                      r"normalized_shape \(2, 3\), got .* \(2, 3, 2\)"),
    (nn.BatchNorm1d(3), (1, 3), r"batch_norm: expected more than 1 value per channel when "
                                r"training, got input of shape \(1, 3\)"),
    (nn.BatchNorm2d(3), (1, 3, 1, 1), r"more than 1 value per channel .* \(1, 3, 1, 1\)"),
    (nn.InstanceNorm2d(3), (2, 3, 1, 1), r"instance_norm: expected more than 1 value per "
                                         r"channel .* more than one position"),
])
def test_bad_inputs_name_the_layer_and_the_shapes(layer, shape, match):
    with pytest.raises(ShapeError, match=match):
        layer(autograd.randn(*shape))


def test_a_failed_training_call_leaves_the_statistics_alone():
    bn = nn.BatchNorm1d(2)
    with pytest.raises(ShapeError):
        bn(autograd.randn(1, 2))
    assert bn.num_batches_tracked.item() == 0 and (bn.running_var.numpy() == 1).all()


@pytest.mark.parametrize("make, match", [
    (lambda: nn.BatchNorm1d(0), r"BatchNorm1d: num_features must be a positive integer, got 0"),
    (lambda: nn.BatchNorm2d(2.5), r"BatchNorm2d: num_features .* got 2.5"),
    (lambda: nn.BatchNorm1d(2, momentum=1.5), r"BatchNorm1d: momentum must be in \[0, 1\]"),
    (lambda: nn.InstanceNorm2d(2, eps=-1), r"InstanceNorm2d: eps must be >= 0, got -1"),
    (lambda: nn.GroupNorm(4, 6), r"GroupNorm: num_channels=6 must split into num_groups=4"),
    (lambda: nn.LayerNorm(()), r"LayerNorm: normalized_shape must be .* got \(\)"),
])
def test_bad_hyperparameters_raise_value_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("call, error, match", [
    (lambda x: F.batch_norm(x, None, None), ValueError,
     r"batch_norm: running_mean and running_var are needed"),
    (lambda x: F.batch_norm(x, autograd.zeros(2), autograd.ones(3), training=True), ShapeError,
     r"batch_norm: running_mean has shape \(2,\) but the input \(shape \(4, 3\)\) has 3 "
     r"channels"),
    (lambda x: F.batch_norm(autograd.randn(3), None, None, training=True), ShapeError,
     r"batch_norm: expected an input of at least 2 dimensions .* got shape \(3,\)"),
    (lambda x: F.instance_norm(x), ShapeError, r"instance_norm: expected an input of at least 3"),
    (lambda x: F.group_norm(x, 2), ShapeError,
     r"group_norm: the input's 3 channels \(shape \(4, 3\)\) cannot be split into "
     r"num_groups=2"),
    (lambda x: F.group_norm(x, 3, weight=autograd.ones(4)), ShapeError,
     r"group_norm: weight has shape \(4,\)"),
    (lambda x: F.layer_norm(x, 3, bias=autograd.zeros(2)), ShapeError,
     r"layer_norm: bias has shape \(2,\); it must be normalized_shape \(3,\)"),
    (lambda x: F.batch_norm(x, autograd.zeros(3), autograd.ones(3), training=True,
                            momentum=None), ValueError,
     r"batch_norm: momentum must be in \[0, 1\] .*momentum=None, a cumulative average, needs "
     r"the count of batches seen, which only the BatchNorm layers keep\), got None"),
    (lambda x: F.instance_norm(autograd.randn(2, 3, 4), autograd.zeros(3), autograd.ones(3),
                               momentum=1.5), ValueError,
     r"instance_norm: momentum must be in \[0, 1\] .* got 1.5"),
    *[(lambda x, f=f: f(autograd.tensor(np.arange(24).reshape(2, 3, 4))), autograd.DtypeError,
       rf"{name}: expected a floating-point input, got dtype int64")  # PyTorch: not for Long
      for name, f in [("batch_norm", lambda x: F.batch_norm(x, None, None, training=True)),
                      ("layer_norm", lambda x: F.layer_norm(x, 4)),
                      ("group_norm", lambda x: F.group_norm(x, 1)),
                      ("instance_norm", F.instance_norm)]],
])
def test_bad_function_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call(autograd.randn(4, 3))


@pytest.mark.parametrize("call", [
    lambda x: F.batch_norm(x, None, None, training=True),
    lambda x: F.instance_norm(x),
    lambda x: F.layer_norm(x, 2),
    lambda x: F.group_norm(x, 1),
])
def test_functions_take_array_likes_as_autograd_tensor_does(call):
    x = [[[1.0, 2.0], [4.0, 0.0]], [[3.0, 5.0], [2.0, 2.0]]]  # Python floats: float32
    out = call(x)
    assert isinstance(out, autograd.Tensor) and out.dtype == np.float32
    np.testing.assert_array_equal(out.data, call(autograd.tensor(x)).data)
    assert call(np.array(x)).dtype == np.float64  # an ndarray keeps its dtype


def test_momentum_none_in_a_function_without_running_statistics_is_fine():
    out = F.batch_norm(autograd.tensor([[1.0], [3.0]]), None, None, training=True, momentum=None)
    np.testing.assert_allclose(out.data, [[-1], [1]], rtol=1e-5)
