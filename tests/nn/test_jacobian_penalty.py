"""F.jacobian_penalty: the mean squared Frobenius norm of per-sample Jacobians, by double
backward, against the full Jacobian and against PyTorch; its gradient in the weights checked."""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def _net():
    autograd.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()


def test_equals_the_full_jacobian_s_norm():
    net = _net()
    x = autograd.randn(5, 3, dtype="float64", requires_grad=True)
    penalty = F.jacobian_penalty(net(x), x).item()
    full = autograd.jacobian(net, x.detach()).numpy()            # (5, 2, 5, 3)
    per_sample = [full[i, :, i, :] for i in range(5)]
    assert np.isclose(penalty, np.mean([np.sum(j * j) for j in per_sample]), rtol=1e-12)


def test_is_differentiable_in_the_weights():
    net = _net()
    x = autograd.randn(4, 3, dtype="float64", requires_grad=True)
    names = [n for n, _ in net.named_parameters()]

    def penalty(*params):
        out = nn.utils.functional_call(net, dict(zip(names, params)), x)
        return F.jacobian_penalty(out, x)

    params = tuple(p.detach().requires_grad_() for p in net.parameters())
    assert autograd.gradcheck(penalty, params)


def test_matches_pytorch():
    torch = pytest.importorskip("torch")
    net = _net()
    tnet = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),
                               torch.nn.Linear(4, 2)).double()
    tnet.load_state_dict({k: torch.tensor(v.numpy()) for k, v in net.state_dict().items()})
    x = np.random.default_rng(0).normal(size=(6, 3))
    xt = torch.tensor(x, requires_grad=True)
    jac = torch.autograd.functional.jacobian(lambda v: tnet(v).sum(0), xt)  # (2, 6, 3)
    theirs = (jac ** 2).sum().item() / 6
    xa = autograd.tensor(x, requires_grad=True)
    ours = F.jacobian_penalty(net(xa), xa).item()
    assert np.isclose(ours, theirs, rtol=1e-12)


def test_bad_input_says_what_would_work():
    x = autograd.randn(3, 2)
    with pytest.raises(ValueError, match=r"jacobian_penalty: inputs must require grad"):
        F.jacobian_penalty(x * 2, x)
    x.requires_grad_()
    with pytest.raises(autograd.ShapeError, match=r"same batch size on axis 0, got shapes "
                                                  r"\(2, 2\) and \(3, 2\)"):
        F.jacobian_penalty((x * 2)[:2], x)
    with pytest.raises(TypeError, match=r"jacobian_penalty: expected tensors"):
        F.jacobian_penalty(np.ones(3), x)
