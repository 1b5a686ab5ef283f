"""A run stopped, saved with `autograd.save` and resumed in fresh objects is bit for bit the run
that never stopped — dropout masks and shuffled batches included, thanks to `get_rng_state` /
`set_rng_state`."""
import pathlib
import re

import numpy as np
import pytest

import autograd
import nn
import optim
from optim_contract import OPTIMIZERS, make
from autograd.utils.data import DataLoader, TensorDataset

EPOCHS, STOP = 6, 3


def build(name):
    """A model with dropout, optimizer ``name`` (its contract row's hyperparameters) and a
    step schedule."""
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3))
    opt = make(name, model.parameters())
    return model, opt, optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)


def batches():
    rng = np.random.default_rng(1)  # fixed data; the order of the batches is the library's draw
    x = rng.standard_normal((32, 4)).astype(np.float32)
    y = (x[:, 0] > x[:, 1]).astype(np.int64) + (x[:, 2] > 0)
    return DataLoader(TensorDataset(autograd.tensor(x), autograd.tensor(y)),
                      batch_size=8, shuffle=True)


def train(model, opt, sched, epochs):
    loader = batches()
    losses = []
    for _ in epochs:
        for x, y in loader:  # four steps an epoch: a new shuffle, a fresh dropout mask each step
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        sched.step()
    return losses


def weights(model):
    return [p.numpy().tobytes() for p in model.parameters()]


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_resumed_run_is_the_run_that_never_stopped(name, tmp_path):
    autograd.manual_seed(0)
    model, opt, sched = build(name)
    straight = train(model, opt, sched, range(EPOCHS))

    autograd.manual_seed(0)
    model, opt, sched = build(name)
    first = train(model, opt, sched, range(STOP))
    autograd.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                   "scheduler": sched.state_dict(), "rng": autograd.get_rng_state(),
                   "epoch": STOP}, tmp_path / "checkpoint.pt")
    del model, opt, sched

    autograd.manual_seed(123)  # a new process: another init, another random state
    model, opt, sched = build(name)
    checkpoint = autograd.load(tmp_path / "checkpoint.pt")
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])
    sched.load_state_dict(checkpoint["scheduler"])
    autograd.set_rng_state(checkpoint["rng"])
    rest = train(model, opt, sched, range(checkpoint["epoch"], EPOCHS))

    assert first + rest == straight  # every loss, exactly
    assert straight[-1] < straight[0]  # it did train
    autograd.manual_seed(0)
    reference, ref_opt, ref_sched = build(name)
    train(reference, ref_opt, ref_sched, range(EPOCHS))
    assert weights(model) == weights(reference)


def test_the_rng_state_replays_the_same_numbers():
    autograd.manual_seed(5)
    state = autograd.get_rng_state()
    first = autograd.rand(4).data, nn.functional.dropout(autograd.ones(50), 0.5, training=True).data
    autograd.set_rng_state(state)
    again = autograd.rand(4).data, nn.functional.dropout(autograd.ones(50), 0.5, training=True).data
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert set(state) == {"bit_generator", "state", "has_uint32", "uinteger"}  # plain data


def test_the_rng_state_survives_a_checkpoint(tmp_path):
    autograd.manual_seed(7)
    autograd.rand(3)  # move away from the seed
    autograd.save(autograd.get_rng_state(), tmp_path / "rng")
    expected = autograd.randn(5).data
    autograd.manual_seed(8)
    autograd.set_rng_state(autograd.load(tmp_path / "rng"))
    assert np.array_equal(autograd.randn(5).data, expected)


@pytest.mark.parametrize("state, message", [
    (None, "got None"),
    ({"bit_generator": "Tensor"}, "'bit_generator' names a numpy bit generator"),
    ({"bit_generator": "__import__"}, "'bit_generator' names a numpy bit generator"),
    ({"bit_generator": "PCG64", "state": {}},
     r"the PCG64 state is malformed \(KeyError: 'state'\)"),
])
def test_set_rng_state_refuses_what_get_rng_state_never_gives(state, message):
    with pytest.raises(ValueError, match=rf"set_rng_state: .*{message}"):
        autograd.set_rng_state(state)


def test_the_readme_example_resumes(tmp_path, monkeypatch):
    readme = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "saving.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    save, resume = re.split(r"\n# later[^\n]*\n", code)
    monkeypatch.chdir(tmp_path)
    autograd.manual_seed(0)
    model, opt, sched = build("Adam")
    train(model, opt, sched, range(STOP))
    scope = {"autograd": autograd, "model": model, "opt": opt, "sched": sched, "epoch": STOP - 1}
    exec(compile(save, "docs/saving.md", "exec"), scope)
    expected = train(model, opt, sched, range(STOP, EPOCHS))  # the run that never stopped
    autograd.manual_seed(9)
    scope.update(zip(("model", "opt", "sched"), build("Adam")))
    exec(compile(resume, "docs/saving.md", "exec"), scope)
    assert scope["start"] == STOP
    assert train(scope["model"], scope["opt"], scope["sched"], range(STOP, EPOCHS)) == expected
