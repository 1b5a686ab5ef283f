"""Stochastic depth (torchvision's semantics), vanilla dropout, Dropout3d by their statistics;
BatchNorm3d exactly against PyTorch."""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def test_stochastic_depth_row_drops_whole_samples_with_probability_p():
    autograd.manual_seed(0)
    out = F.stochastic_depth(autograd.ones(20_000, 3, 2), p=0.3, mode="row").numpy()
    per_row = out.reshape(len(out), -1)
    assert np.allclose(np.unique(per_row.min(axis=1)), [0.0, 1 / 0.7])
    assert (per_row.min(axis=1) == per_row.max(axis=1)).all()       # all or nothing per row
    assert abs((per_row[:, 0] == 0).mean() - 0.3) < 0.01
    assert abs(out.mean() - 1.0) < 0.02                                # survivors scaled by 1/0.7


def test_stochastic_depth_batch_is_all_or_nothing():
    autograd.manual_seed(1)
    outs = [F.stochastic_depth(autograd.ones(5, 2), p=0.4, mode="batch").numpy()
            for _ in range(4000)]
    assert all(len(np.unique(o)) == 1 for o in outs)
    assert abs(np.mean([o[0, 0] == 0 for o in outs]) - 0.4) < 0.03


def test_stochastic_depth_identity_in_eval_and_edge_probabilities():
    x = autograd.randn(4, 3)
    layer = nn.StochasticDepth(0.5, "row").eval()
    assert layer(x) is x or np.array_equal(layer(x).numpy(), x.numpy())
    assert np.array_equal(F.stochastic_depth(x, 0.0, "row").numpy(), x.numpy())
    assert not F.stochastic_depth(x, 1.0, "batch").numpy().any()


def test_stochastic_depth_gradient_is_the_mask():
    x = autograd.randn(6, 3, dtype="float64", requires_grad=True)

    def fn(x):
        autograd.manual_seed(3)  # the same mask at every evaluation
        return F.stochastic_depth(x, 0.5, "row")

    assert autograd.gradcheck(fn, (x,)) and autograd.gradgradcheck(fn, (x,))
    fn(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), fn(x.detach()).numpy() / x.numpy())


def test_stochastic_depth_is_torchvision_s_where_it_is_deterministic():
    # torchvision.ops.stochastic_depth: the identity in eval mode and at p = 0, zeros at p = 1
    # (torchvision is not a test dependency: its documented values, written out)
    x = np.random.default_rng(0).normal(size=(3, 4))
    for p, mode, training, expected in ((0.5, "row", False, x), (0.0, "batch", True, x),
                                        (1.0, "row", True, 0 * x)):
        ours = F.stochastic_depth(autograd.tensor(x), p, mode, training).numpy()
        np.testing.assert_array_equal(ours, expected)


@pytest.mark.parametrize("call, message", [
    (lambda: F.stochastic_depth(autograd.ones(2), 1.5, "row"), r"stochastic_depth: p must be"),
    (lambda: F.stochastic_depth(autograd.ones(2), 0.5, "col"),
     r"stochastic_depth: mode must be 'batch' or 'row', got 'col'"),
    (lambda: nn.StochasticDepth(0.5, "all"), r"StochasticDepth: mode must be 'batch' or 'row'"),
    (lambda: nn.StochasticDepth(-0.1, "row"), r"StochasticDepth: p must be"),
    (lambda: F.vanilla_dropout(autograd.ones(2), 2.0), r"vanilla_dropout: p must be"),
    (lambda: F.dropout3d(autograd.ones(2, 3, 4), 0.5),
     r"dropout3d: expected an \(N, C, D, H, W\)"),
])
def test_bad_arguments_are_refused_by_name(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_vanilla_dropout_test_time_uses_the_keep_probability():
    autograd.manual_seed(0)
    train = F.vanilla_dropout(autograd.ones(200_000), p=0.2).numpy()
    assert set(np.unique(train)) == {0.0, 1.0}                 # no rescaling while training
    test = F.vanilla_dropout(autograd.ones(3), p=0.2, training=False).numpy()
    assert abs(train.mean() - test[0]) < 0.005 and np.allclose(test, 0.8)
    layer = nn.VanillaDropout(0.2)
    assert np.allclose(layer.eval()(autograd.ones(2)).numpy(), 0.8)


def test_dropout3d_drops_whole_channels():
    autograd.manual_seed(0)
    out = nn.Dropout3d(p=0.25)(autograd.ones(500, 8, 2, 3, 3)).numpy()
    per_channel = out.reshape(500, 8, -1)
    assert (per_channel.min(axis=2) == per_channel.max(axis=2)).all()
    assert abs((per_channel[..., 0] == 0).mean() - 0.25) < 0.02
    assert np.isclose(per_channel.max(), 1 / 0.75)
    assert np.array_equal(nn.Dropout3d(0.25).eval()(autograd.ones(1, 2, 1, 1, 1)).numpy(),
                          np.ones((1, 2, 1, 1, 1)))


def test_batchnorm3d_is_pytorch_s():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).normal(2.0, 3.0, size=(3, 4, 2, 3, 5))
    w = np.random.default_rng(1).normal(size=x.shape)
    ours = nn.BatchNorm3d(4, momentum=0.3).double()
    theirs = torch.nn.BatchNorm3d(4, momentum=0.3).double()
    xa, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (ours(xa) * autograd.tensor(w)).sum().backward()
    (theirs(xt) * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), atol=1e-12)
    for name in ("running_mean", "running_var"):
        np.testing.assert_allclose(getattr(ours, name).numpy(), getattr(theirs, name).numpy(),
                                   rtol=1e-12)
    ours.eval(), theirs.eval()
    np.testing.assert_allclose(ours(autograd.tensor(x)).numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), atol=1e-12)
    bn = nn.BatchNorm3d(2).double()
    assert autograd.gradcheck(bn, (autograd.randn(2, 2, 2, 2, 2, dtype="float64",
                                                  requires_grad=True),))
