"""fuse_batchnorm: the folded layer computes bn(layer(x)) (float32, within 1e-5)."""
import numpy as np
import pytest

import autograd
import nn
from autograd import ShapeError
from nn.utils import fuse_batchnorm


def trained(bn, input_shape, steps=3):
    """bn with non-trivial affine parameters and running statistics, in eval mode."""
    for p in bn.parameters():
        p.detach().copy_(autograd.default_generator.uniform(0.5, 1.5, p.shape))
    for _ in range(steps):
        bn(3 * autograd.randn(*input_shape) + 1)
    return bn.eval()


@pytest.mark.parametrize("layer, bn, shape", [
    (nn.Linear(4, 3), nn.BatchNorm1d(3), (5, 4)),
    (nn.Linear(4, 3, bias=False), nn.BatchNorm1d(3, affine=False), (1, 4)),
    (nn.Conv2d(4, 6, 3, stride=2, padding=1, groups=2), nn.BatchNorm2d(6), (2, 4, 5, 5)),
    (nn.Conv2d(2, 3, (2, 1), bias=False), nn.BatchNorm2d(3, affine=False), (1, 2, 3, 3)),
])
def test_fused_layer_equals_the_pair(layer, bn, shape):
    image = (2, 2) if isinstance(bn, nn.BatchNorm2d) else ()
    bn = trained(bn, (4, bn.num_features) + image)
    before = {name: p.numpy().copy() for name, p in layer.named_parameters()}
    fused = fuse_batchnorm(layer, bn)
    x = autograd.randn(*shape)
    expected = bn(layer(x)).data
    assert type(fused) is type(layer) and fused is not layer
    assert fused(x).dtype == np.float32
    np.testing.assert_allclose(fused(x).data, expected, rtol=1e-5, atol=1e-5)
    assert [name for name, _ in fused.named_parameters()] == ["weight", "bias"]
    assert all(p.requires_grad and p.dtype == np.float32 for p in fused.parameters())
    for name, p in layer.named_parameters():  # the original is unchanged
        np.testing.assert_array_equal(p.data, before[name])


def test_fused_weight_and_bias_by_hand():
    layer = nn.Linear(1, 2)
    layer.weight.detach().copy_([[1.0], [2.0]])
    layer.bias.detach().copy_([0.5, -1.0])
    bn = nn.BatchNorm1d(2, eps=0.0).eval()
    bn.running_mean.detach().copy_([1.0, 2.0])
    bn.running_var.detach().copy_([4.0, 0.25])
    bn.weight.detach().copy_([3.0, 1.0])
    bn.bias.detach().copy_([0.0, 1.0])
    fused = fuse_batchnorm(layer, bn)
    # scale = weight / std = [1.5, 2]; shift = bias - mean * scale = [-1.5, -3]
    np.testing.assert_allclose(fused.weight.data, [[1.5], [4.0]])
    np.testing.assert_allclose(fused.bias.data, [0.5 * 1.5 - 1.5, -1.0 * 2 - 3])


@pytest.mark.parametrize("layer, bn, error, match", [
    (nn.Linear(2, 3), nn.BatchNorm1d(3), ValueError,
     r"fuse_batchnorm: bn is in training mode.*call bn.eval\(\) first"),
    (nn.Linear(2, 3), nn.BatchNorm1d(3, track_running_stats=False).eval(), ValueError,
     r"fuse_batchnorm: bn has no running statistics \(track_running_stats=False\)"),
    (nn.Conv2d(2, 4, 3), nn.BatchNorm2d(5).eval(), ShapeError,
     r"fuse_batchnorm: Conv2d has 4 output features \(weight shape \(4, 2, 3, 3\)\) but bn "
     r"normalizes num_features=5"),
    (nn.Identity(), nn.BatchNorm1d(3).eval(), TypeError,
     r"fuse_batchnorm: layer must be an nn.Linear or nn.Conv2d, got Identity"),
    (nn.Linear(2, 3), nn.LayerNorm(3), TypeError,
     r"fuse_batchnorm: bn after a Linear must be an nn.BatchNorm1d \(the batch norm of its "
     r"output channels\), got LayerNorm"),
    (nn.Linear(3, 2), nn.BatchNorm2d(2).eval(), TypeError,  # would fold into a wrong layer
     r"fuse_batchnorm: bn after a Linear must be an nn.BatchNorm1d .* got BatchNorm2d; "
     r"Linear folds with BatchNorm1d, Conv2d with BatchNorm2d"),
    (nn.Conv2d(2, 3, 1), nn.BatchNorm1d(3).eval(), TypeError,
     r"fuse_batchnorm: bn after a Conv2d must be an nn.BatchNorm2d .* got BatchNorm1d"),
])
def test_what_cannot_be_fused_is_refused(layer, bn, error, match):
    with pytest.raises(error, match=match):
        fuse_batchnorm(layer, bn)


@pytest.mark.parametrize("layer, bn, shape", [
    (nn.Linear(4, 3), nn.BatchNorm1d(3), (5, 4)),
    (nn.Conv2d(2, 3, 2, bias=False), nn.BatchNorm2d(3), (2, 2, 4, 4)),
])
def test_a_weight_normalized_layer_folds_from_its_current_weight(layer, bn, shape):
    layer = nn.utils.weight_norm(layer)
    layer.weight_g.detach().mul_(2)  # its effective weight is no longer the one it started with
    bn = trained(bn, (4, 3) + shape[2:])
    fused = fuse_batchnorm(layer, bn)
    x = autograd.randn(*shape)
    np.testing.assert_allclose(fused(x).data, bn(layer(x)).data, rtol=1e-5, atol=1e-5)
    assert sorted(name for name, _ in fused.named_parameters()) == ["bias", "weight"]
    assert isinstance(fused.weight, nn.Parameter) and type(fused) in (nn.Linear, nn.Conv2d)
    assert [name for name, _ in layer.named_parameters()][-2:] == ["weight_g", "weight_v"]
