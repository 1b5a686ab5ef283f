"""Every optimizer against its update rules written out from the paper or the course notes.

Each rule (in optim_contract.py, in the optimizer's row) is plain numpy, one parameter at a
time, in the form the source states it (the notes' velocity for momentum, Kingma & Ba's
bias-corrected moments, ...). Over 100 steps on an ill-conditioned quadratic and on a
logistic regression, in float64, the optimizer's trajectory must equal the rule's within
1e-10 — and torch.optim's within 1e-6 when torch is installed.
"""
import numpy as np
import pytest

import optim
from optim_contract import OPTIMIZERS
from optim_problems import PROBLEMS, parameters, train

STEPS = 100
# (optimizer, its arguments (all of them: the rule takes the same ones), rule, torch's name)
CASES = [(name, kwargs, rule, row.torch)
         for name, row in OPTIMIZERS.items() for kwargs, rule in row.rules]
IDS = [f"{name}-{i}" for i, (name, *_) in enumerate(CASES)]


def run_rule(rule, kwargs, problem):
    params, states = [a.copy() for a in problem.start], [{} for _ in problem.start]
    for t in range(1, STEPS + 1):
        params = [rule(w, g, s, t, **kwargs)
                  for w, g, s in zip(params, problem.grads(params), states)]
    return params


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
@pytest.mark.parametrize("name, kwargs, rule, torch_name", CASES, ids=IDS)
def test_trajectory_equals_the_published_rule(name, kwargs, rule, torch_name, problem):
    params = parameters(problem)
    train(getattr(optim, name)(params, **kwargs), params, problem.loss, STEPS)
    expected = run_rule(rule, kwargs, problem)
    for p, want, start in zip(params, expected, problem.start):
        assert not np.allclose(want, start, atol=1e-3)  # the run really moved
        np.testing.assert_allclose(p.data, want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
@pytest.mark.parametrize("name, kwargs, rule, torch_name",  # rows with a torch.optim class
                         [pytest.param(*case, id=i) for case, i in zip(CASES, IDS) if case[3]])
def test_trajectory_equals_torch(name, kwargs, rule, torch_name, problem):
    torch = pytest.importorskip("torch")
    params = parameters(problem)
    train(getattr(optim, name)(params, **kwargs), params, problem.loss, STEPS)
    theirs = [torch.tensor(a, requires_grad=True) for a in problem.start]
    train(getattr(torch.optim, torch_name)(theirs, **kwargs), theirs, problem.torch_loss, STEPS)
    for p, t in zip(params, theirs):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", [name for name, row in OPTIMIZERS.items() if row.torch])
def test_defaults_match_torch(name):
    torch = pytest.importorskip("torch")
    ours = getattr(optim, name)(parameters(PROBLEMS[0])).defaults
    theirs = getattr(torch.optim, OPTIMIZERS[name].torch)(
        [torch.zeros(1, requires_grad=True)]).defaults
    assert {k: v for k, v in theirs.items() if k in ours} == {
        k: v for k, v in ours.items() if k in theirs}
    assert set(ours) - set(theirs) <= {"decoupled_weight_decay"}
