"""The optimizer contract, run on every row of `optim_contract.py` (the trajectories against
the rules are in test_update_rules.py, the rest of what the rows drive is listed there)."""
import numpy as np
import pytest

import autograd
import optim
from optim_contract import OPTIMIZERS, make


def test_every_public_optimizer_has_a_row():
    public = {name for name in optim.__all__ if isinstance(getattr(optim, name), type)
              and issubclass(getattr(optim, name), optim.Optimizer) and name != "Optimizer"}
    missing = sorted(public - set(OPTIMIZERS))
    assert not missing, f"add a row to tests/optim/optim_contract.py for {missing}"
    assert set(OPTIMIZERS) <= public  # no stale rows


def _params(n=2):
    rng = np.random.default_rng(0)
    return [autograd.tensor(rng.standard_normal(3), requires_grad=True) for _ in range(n)]


def _step(opt, params, steps=3):
    for _ in range(steps):
        opt.zero_grad()
        sum((p * p * p).sum() for p in params).backward()
        opt.step()


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_state_dict_round_trips_through_save_and_load(name, tmp_path):
    params = _params()
    opt = make(name, params)
    _step(opt, params)
    autograd.save(opt.state_dict(), tmp_path / "optimizer.pt")
    other = make(name, _params(), lr=0.5)
    other.load_state_dict(autograd.load(tmp_path / "optimizer.pt"))
    saved, loaded = opt.state_dict(), other.state_dict()
    assert loaded["param_groups"] == saved["param_groups"]
    assert saved["state"] and loaded["state"].keys() == saved["state"].keys()
    for i, state in saved["state"].items():
        assert loaded["state"][i].keys() == state.keys()
        for key, value in state.items():
            np.testing.assert_array_equal(loaded["state"][i][key], value, err_msg=key)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_group_steps_with_its_own_hyperparameters(name):
    alone, (moved, still) = _params(1), _params()
    _step(make(name, alone), alone)
    opt = make(name, [{"params": [moved]}, {"params": [still], "lr": 0.0}])
    assert [g["lr"] for g in opt.param_groups] == [OPTIMIZERS[name].every.get(
        "lr", opt.defaults["lr"]), 0.0]
    _step(opt, [moved, still])
    np.testing.assert_array_equal(moved.numpy(), alone[0].numpy())  # as if on its own
    np.testing.assert_array_equal(still.numpy(), _params(2)[1].numpy())  # lr 0: never moves


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_parameters_without_a_gradient_are_skipped(name):
    used, unused = _params()
    opt = make(name, [used, unused])
    _step(opt, [used])
    np.testing.assert_array_equal(unused.numpy(), _params()[1].numpy())
    assert not np.allclose(used.numpy(), _params()[0].numpy())
    assert unused not in opt.state and used in opt.state
