"""optim.swa_utils against torch.optim.swa_utils: the averages, the recomputed batch-norm
statistics and the SWALR rates must be PyTorch's (the rates exactly, the tensors to rounding)."""
import numpy as np
import pytest

import autograd
import nn
import optim
from optim import swa_utils


def _net():
    autograd.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)).double()


def _torch_copy(torch, model):
    t = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(),
                            torch.nn.Linear(4, 2)).double()
    t.load_state_dict({k: torch.tensor(np.array(v.numpy())) for k, v in model.state_dict().items()})
    return t


def _perturb(step, model, tmodel, torch):
    """Move both models' weights the same way, and run one training batch through both (so
    batch norm's buffers move too)."""
    rng = np.random.default_rng(step)
    x = rng.normal(size=(6, 3))
    with autograd.no_grad(), torch.no_grad():
        for p, tp in zip(model.parameters(), tmodel.parameters()):
            delta = rng.normal(size=p.shape)
            p.add_(autograd.tensor(delta))
            tp.add_(torch.tensor(delta))
        model(autograd.tensor(x))
        tmodel(torch.tensor(x))


def _same(ours, theirs, rtol=1e-12):
    ours, theirs = ours.state_dict(), theirs.state_dict()
    assert sorted(ours) == sorted(theirs)
    for k in ours:
        np.testing.assert_allclose(np.asarray(ours[k].numpy(), dtype=float),
                                   theirs[k].numpy().astype(float), rtol=rtol, atol=1e-14,
                                   err_msg=k)


@pytest.mark.parametrize("how", ["swa", "ema_multi", "ema", "swa_multi", "buffers"])
def test_averaged_model_is_pytorch_s(how):
    torch = pytest.importorskip("torch")
    tsu = torch.optim.swa_utils
    model = _net()
    tmodel = _torch_copy(torch, model)
    ours_kw, theirs_kw = {}, {}
    if how == "ema_multi":
        ours_kw = dict(multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.8))
        theirs_kw = dict(multi_avg_fn=tsu.get_ema_multi_avg_fn(0.8))
    elif how == "ema":
        ours_kw = dict(avg_fn=swa_utils.get_ema_avg_fn(0.7))
        theirs_kw = dict(avg_fn=tsu.get_ema_avg_fn(0.7))
    elif how == "swa_multi":
        ours_kw = dict(multi_avg_fn=swa_utils.get_swa_multi_avg_fn())
        theirs_kw = dict(multi_avg_fn=tsu.get_swa_multi_avg_fn())
    elif how == "buffers":
        ours_kw = theirs_kw = dict(use_buffers=True)
    ours = swa_utils.AveragedModel(model, **ours_kw)
    theirs = tsu.AveragedModel(tmodel, **theirs_kw)
    rtol = 1e-6 if how == "swa_multi" else 1e-12
    for step in range(4):
        _perturb(step, model, tmodel, torch)
        ours.update_parameters(model)
        theirs.update_parameters(tmodel)
        # PyTorch's SWA multi_avg_fn lerps with a float32 weight 1/(n + 1); ours is exact
        _same(ours, theirs, rtol=rtol)
    assert int(ours.n_averaged.item()) == 4
    x = np.random.default_rng(9).normal(size=(5, 3))
    ours.eval(), theirs.eval()
    with torch.no_grad():
        np.testing.assert_allclose(ours(autograd.tensor(x)).numpy(),
                                   theirs(torch.tensor(x)).numpy(), rtol=100 * rtol)


def test_swa_is_the_mean_of_the_snapshots():
    model = nn.Linear(2, 1).double()
    swa = swa_utils.AveragedModel(model)
    snapshots = []
    for k in range(5):
        with autograd.no_grad():
            model.weight.fill_(float(k * k))
        snapshots.append(k * k)
        swa.update_parameters(model)
    assert np.allclose(swa.module.weight.numpy(), np.mean(snapshots))


def test_update_bn_is_pytorch_s():
    torch = pytest.importorskip("torch")
    model = _net()
    tmodel = _torch_copy(torch, model)
    model.eval(), tmodel.eval()
    rng = np.random.default_rng(0)
    batches = [rng.normal(2.0, 3.0, size=(n, 3)) for n in (5, 8, 3)]
    swa_utils.update_bn([(autograd.tensor(b), 0) for b in batches], model)
    torch.optim.swa_utils.update_bn([(torch.tensor(b), 0) for b in batches], tmodel)
    _same(model, tmodel)
    assert not model.training and model[1].momentum == 0.1   # mode and momentum restored
    swa_utils.update_bn([autograd.tensor(b) for b in batches], model)  # bare batches too
    _same(model, tmodel)


@pytest.mark.parametrize("strategy, anneal_epochs", [("cos", 3), ("linear", 4), ("cos", 0)])
def test_swalr_rates_are_pytorch_s(strategy, anneal_epochs):
    torch = pytest.importorskip("torch")
    p, tp = autograd.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    opt = optim.SGD([{"params": [p]}, {"params": [autograd.zeros(1, requires_grad=True)],
                                       "lr": 0.3}], lr=0.1)
    topt = torch.optim.SGD([{"params": [tp]}, {"params": [torch.zeros(1, requires_grad=True)],
                                               "lr": 0.3}], lr=0.1)
    ours = swa_utils.SWALR(opt, swa_lr=[0.02, 0.05], anneal_epochs=anneal_epochs,
                           anneal_strategy=strategy)
    theirs = torch.optim.swa_utils.SWALR(topt, swa_lr=[0.02, 0.05],
                                         anneal_epochs=anneal_epochs, anneal_strategy=strategy)
    for _ in range(7):
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-12)
        opt.step(), topt.step()
        ours.step(), theirs.step()


def test_bad_input_says_what_would_work():
    model = nn.Linear(2, 1)
    with pytest.raises(ValueError, match="avg_fn or multi_avg_fn, not both"):
        swa_utils.AveragedModel(model, avg_fn=swa_utils.get_ema_avg_fn(),
                                multi_avg_fn=swa_utils.get_ema_multi_avg_fn())
    with pytest.raises(TypeError, match="AveragedModel: expected an nn.Module"):
        swa_utils.AveragedModel(lambda x: x)
    with pytest.raises(ValueError, match="tensors to average"):
        swa_utils.AveragedModel(model).update_parameters(nn.Linear(2, 1, bias=False))
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="anneal_strategy must be 'cos' or 'linear'"):
        swa_utils.SWALR(opt, swa_lr=0.05, anneal_strategy="exp")
    with pytest.raises(ValueError, match="anneal_epochs must be an integer >= 0"):
        swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=-1)
    with pytest.raises(ValueError, match="2 values of swa_lr for 1 parameter groups"):
        swa_utils.SWALR(opt, swa_lr=[0.1, 0.2])
