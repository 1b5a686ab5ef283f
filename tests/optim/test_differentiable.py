"""Differentiable optimization: with ``differentiable=True`` a step is recorded in the graph,
so a validation loss after k unrolled training steps can be differentiated with respect to the
learning rate, the momentum, the weight decay or the initial weights (hypergradients).

The protocol under test: train on ``nn.utils.functional_call(model, current params, x)``,
``loss.backward(create_graph=True, inputs=current params)``, ``opt.step()``; the new
parameters replace the old ones in ``opt.param_groups[0]['params']``. The plain
``loss.backward(create_graph=True)`` gives the same numbers, at a cost that grows with each step.
"""
import numpy as np
import pytest

import autograd
import nn
import optim
from optim_contract import OPTIMIZERS

UNROLLED = 5
_rng = np.random.default_rng(3)
X_TRAIN, X_VAL = _rng.standard_normal((12, 3)), _rng.standard_normal((6, 3))
Y_TRAIN, Y_VAL = (_rng.random((12, 1)) > 0.5) * 1.0, (_rng.random((6, 1)) > 0.5) * 1.0


def _model():
    autograd.manual_seed(0)
    return nn.Linear(3, 1).double()


def _loss(model, params, x, y):
    """Mean logistic loss of the model run on ``params`` (softplus(z) − y·z, stable)."""
    z = nn.utils.functional_call(model, params, autograd.Tensor(x))
    return (autograd.log1p(autograd.exp(-autograd.abs(z))) + autograd.maximum(z, 0)
            - y * z).mean()


def validation_loss(cls, differentiable=True, initial=None, with_inputs=True, **hyper):
    """The validation loss after UNROLLED training steps from the model's initial weights
    (or ``initial``, a dict of tensors); each training backward is limited to the current
    parameters (``inputs=``) unless ``with_inputs=False``."""
    model = _model()
    names = [name for name, _ in model.named_parameters()]
    start = initial or dict(model.named_parameters())
    opt = cls([start[n] for n in names], differentiable=differentiable, **hyper)
    for _ in range(UNROLLED):
        opt.zero_grad()
        current = opt.param_groups[0]["params"]
        _loss(model, dict(zip(names, current)), X_TRAIN, Y_TRAIN).backward(
            create_graph=differentiable, inputs=current if with_inputs else None)
        opt.step()
    return _loss(model, dict(zip(names, opt.param_groups[0]["params"])), X_VAL, Y_VAL)


def hypergradient_and_central_difference(cls, name, value, h=1e-6, **hyper):
    """d(validation loss)/d(hyperparameter ``name``) at ``value``: from the recorded steps,
    and from central differences of two runs of ordinary (in-place, numpy) steps."""
    tensor = autograd.tensor(value, dtype="float64", requires_grad=True)
    loss = validation_loss(cls, **hyper, **{name: tensor})
    plain = validation_loss(cls, differentiable=False, **hyper, **{name: value})
    assert loss.item() == pytest.approx(plain.item(), rel=1e-12)  # both paths: same numbers
    (analytic,) = autograd.grad(loss, tensor)
    up, down = (validation_loss(cls, differentiable=False, **hyper, **{name: value + s}).item()
                for s in (h, -h))
    return analytic.item(), (up - down) / (2 * h)


def _every(name):
    """The row's hyperparameters switching on all its optional state, lr aside."""
    return {k: v for k, v in OPTIMIZERS[name].every.items() if k != "lr"}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_hypergradient_of_the_learning_rate_matches_central_differences(name):
    cls, hyper = getattr(optim, name), _every(name)
    analytic, numeric = hypergradient_and_central_difference(cls, "lr", 0.1, **hyper)
    assert abs(numeric) > 1e-4  # the learning rate matters here
    assert abs(analytic - numeric) / abs(numeric) < 1e-5


@pytest.mark.parametrize("cls, name, value, hyper", [
    (optim.SGD, "momentum", 0.8, dict(lr=0.1)),
    (optim.SGD, "weight_decay", 0.05, dict(lr=0.1, momentum=0.5)),
    (optim.RMSprop, "alpha", 0.9, dict(lr=0.01)),
    (optim.Adam, "eps", 1e-2, dict(lr=0.1)),
])
def test_hypergradients_of_other_hyperparameters_match_central_differences(cls, name, value,
                                                                         hyper):
    analytic, numeric = hypergradient_and_central_difference(cls, name, value, **hyper)
    assert abs(analytic - numeric) / abs(numeric) < 1e-5


def test_hypergradient_of_adam_betas_given_as_tensors():
    beta1 = autograd.tensor(0.8, dtype="float64", requires_grad=True)
    loss = validation_loss(optim.Adam, lr=0.1, betas=(beta1, 0.99))
    (analytic,) = autograd.grad(loss, beta1)
    h = 1e-6
    up, down = (validation_loss(optim.Adam, differentiable=False, lr=0.1,
                                betas=(0.8 + s, 0.99)).item() for s in (h, -h))
    assert analytic.item() == pytest.approx((up - down) / (2 * h), rel=1e-5)


@pytest.mark.parametrize("cls, hyper", [
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    (optim.RMSprop, dict(lr=0.01, momentum=0.5)),
    (optim.Adam, dict(lr=0.1)),
], ids=["SGD", "RMSprop", "Adam"])
def test_gradient_with_respect_to_the_initial_weights_passes_gradcheck(cls, hyper):
    names = [name for name, _ in _model().named_parameters()]

    def unrolled(weight, bias):
        return validation_loss(cls, initial=dict(zip(names, (weight, bias))), **hyper)

    model = _model()
    inputs = tuple(p.detach().requires_grad_() for p in model.parameters())
    assert autograd.gradcheck(unrolled, inputs)


@pytest.mark.parametrize("cls, hyper", [(optim.SGD, dict(momentum=0.9)), (optim.Adam, {})],
                         ids=["SGD", "Adam"])
def test_a_plain_backward_with_create_graph_gives_the_same_hypergradient(cls, hyper):
    results = []
    for with_inputs in (True, False):
        lr = autograd.tensor(0.1, dtype="float64", requires_grad=True)
        loss = validation_loss(cls, with_inputs=with_inputs, lr=lr, **hyper)
        results.append((loss.item(), autograd.grad(loss, lr)[0].item()))
        # only the plain backward reaches lr from the training losses
        assert (lr.grad is None) == with_inputs
    assert results[0] == pytest.approx(results[1], rel=1e-13)


def _pullbacks_per_training_backward(monkeypatch, with_inputs, steps=6):
    """How many graph nodes each training backward runs a rule for, step after step, on an
    MLP trained with SGD + momentum and a learning rate that requires grad."""
    counts, original = [0], autograd.engine.Node.pullback

    def counting(node, *args, **kwargs):
        counts[0] += 1
        return original(node, *args, **kwargs)

    monkeypatch.setattr(autograd.engine.Node, "pullback", counting)
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1)).double()
    names = [name for name, _ in model.named_parameters()]
    lr = autograd.tensor(0.05, dtype="float64", requires_grad=True)
    opt = optim.SGD(list(model.parameters()), lr=lr, momentum=0.9, differentiable=True)
    per_step = []
    for _ in range(steps):
        opt.zero_grad()
        current = opt.param_groups[0]["params"]
        loss = _loss(model, dict(zip(names, current)), X_TRAIN, Y_TRAIN)
        counts[0] = 0
        loss.backward(create_graph=True, inputs=current if with_inputs else None)
        per_step.append(counts[0])
        opt.step()
    return per_step


def test_with_inputs_each_training_backward_costs_the_same_however_many_steps_came_before(
        monkeypatch):
    limited = _pullbacks_per_training_backward(monkeypatch, with_inputs=True)
    # from the second step (when the parameters stop being leaves) the same nodes every
    # step: the cost of the run is linear in its length
    assert len(set(limited[1:])) == 1
    # the plain backward goes on through every earlier step: quadratic cost over the run
    plain = _pullbacks_per_training_backward(monkeypatch, with_inputs=False)
    assert plain[0] == limited[0] and all(b > a for a, b in zip(plain, plain[1:]))
    assert plain[-1] > 5 * limited[-1]


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_coordinate_whose_gradient_stays_zero_gives_a_finite_hypergradient(name):
    cls, hyper = getattr(optim, name), _every(name)
    mask = np.array([1.0, 0.0, 1.0])  # the middle weight never gets a gradient (a dead unit)

    def run(lr, differentiable):
        w = autograd.tensor([1.0, 2.0, -0.5], dtype="float64", requires_grad=True)
        opt = cls([w], **{"lr": lr, **hyper}, differentiable=differentiable)
        for _ in range(UNROLLED):
            opt.zero_grad()
            (p,) = opt.param_groups[0]["params"]
            ((p * p * p * p * mask).sum()).backward(create_graph=differentiable, inputs=[p])
            opt.step()
        (p,) = opt.param_groups[0]["params"]
        return (p * p).sum()

    value = hyper.get("lr", 0.1)
    lr = autograd.tensor(value, dtype="float64", requires_grad=True)
    (analytic,) = autograd.grad(run(lr, True), lr)
    h = 1e-6
    numeric = (run(value + h, False).item() - run(value - h, False).item()) / (2 * h)
    assert np.isfinite(analytic.item()) and abs(numeric) > 1e-3
    assert analytic.item() == pytest.approx(numeric, rel=1e-5)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_float32_parameters_stay_float32_with_a_float64_learning_rate(name):
    cls, hyper = getattr(optim, name), _every(name)
    w = autograd.tensor([1.0, -2.0, 0.5], dtype="float32", requires_grad=True)
    lr = autograd.tensor(0.01, dtype="float64", requires_grad=True)
    opt = cls([w], lr=lr, differentiable=True, **hyper)
    for _ in range(2):
        opt.zero_grad()
        (p,) = opt.param_groups[0]["params"]
        (p * p).sum().backward(create_graph=True, inputs=[p])
        opt.step()
    (p,) = opt.param_groups[0]["params"]
    assert p.dtype == np.float32
    assert all(np.asarray(getattr(v, "data", v)).dtype in (np.float32, np.int64)
               for v in opt.state[p].values() if not isinstance(v, (int, float)))
    (hypergradient,) = autograd.grad((p * p).sum(), lr)  # through the cast, back to float64
    assert hypergradient.dtype == np.float64 and np.isfinite(hypergradient.item())


def test_hypergradient_through_gradient_clipping_matches_central_differences():
    curvature = np.diag([1.0, 10.0])

    def run(lr, differentiable):
        w = autograd.tensor([3.0, 2.0], dtype="float64", requires_grad=True)
        opt = optim.SGD([w], lr=lr, momentum=0.5, differentiable=differentiable)
        for _ in range(UNROLLED):
            opt.zero_grad()
            current = opt.param_groups[0]["params"]
            (0.5 * (current[0] @ (curvature @ current[0]))).backward(
                create_graph=differentiable, inputs=current)
            assert nn.utils.clip_grad_norm_(current, max_norm=1.0).item() > 1.0  # clipping
            opt.step()
        (p,) = opt.param_groups[0]["params"]
        return (p * p).sum()

    lr = autograd.tensor(0.1, dtype="float64", requires_grad=True)
    (analytic,) = autograd.grad(run(lr, True), lr)
    h = 1e-6
    numeric = (run(0.1 + h, False).item() - run(0.1 - h, False).item()) / (2 * h)
    assert analytic.item() == pytest.approx(numeric, rel=1e-5)


def test_the_step_replaces_the_parameters_and_leaves_the_model_alone():
    model = _model()
    before = [np.array(p.data) for p in model.parameters()]
    originals = list(model.parameters())
    opt = optim.SGD(originals, lr=0.1, momentum=0.9, differentiable=True)
    _loss(model, dict(model.named_parameters()), X_TRAIN, Y_TRAIN).backward(create_graph=True)
    opt.step()
    new = opt.param_groups[0]["params"]
    assert all(n is not o and not n.is_leaf for n, o in zip(new, originals))
    assert all(o not in opt.state for o in originals) and all(n in opt.state for n in new)
    for p, b, n, o in zip(model.parameters(), before, new, originals):
        np.testing.assert_array_equal(p.data, b)  # the model's own weights are untouched
        np.testing.assert_allclose(n.data, b - 0.1 * o.grad.data)


def test_a_differentiable_step_under_no_grad_is_refused():
    w = autograd.tensor([1.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1, differentiable=True)
    (w * w).sum().backward()
    with autograd.no_grad(), pytest.raises(RuntimeError, match=r"SGD\(differentiable=True\): "
                                                                "the step was not recorded"):
        opt.step()
