"""Differentiable optimization: with ``differentiable=True`` a step is recorded in the graph,
so a validation loss after k unrolled training steps can be differentiated with respect to the
learning rate, the momentum, the weight decay or the initial weights (hypergradients).

The protocol under test: train on ``nn.utils.functional_call(model, current params, x)``,
``loss.backward(create_graph=True)``, ``opt.step()``; the new parameters replace the old ones
in ``opt.param_groups[0]['params']``.
"""
import numpy as np
import pytest

import autograd
import nn
import optim

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


def validation_loss(cls, differentiable=True, initial=None, **hyper):
    """The validation loss after UNROLLED training steps from the model's initial weights
    (or ``initial``, a dict of tensors)."""
    model = _model()
    names = [name for name, _ in model.named_parameters()]
    start = initial or dict(model.named_parameters())
    opt = cls([start[n] for n in names], differentiable=differentiable, **hyper)
    for _ in range(UNROLLED):
        opt.zero_grad()
        params = dict(zip(names, opt.param_groups[0]["params"]))
        _loss(model, params, X_TRAIN, Y_TRAIN).backward(create_graph=differentiable)
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


@pytest.mark.parametrize("cls, hyper", [
    (optim.SGD, dict(momentum=0.9)),
    (optim.SGD, dict(momentum=0.9, nesterov=True, weight_decay=0.01)),
    (optim.RMSprop, dict(alpha=0.9)),
    (optim.RMSprop, dict(alpha=0.9, momentum=0.5, centered=True)),
    (optim.Adam, dict()),
    (optim.Adam, dict(amsgrad=True, weight_decay=0.01)),
    (optim.AdamW, dict()),
    (optim.NAdam, dict()),
    (optim.Adagrad, dict(lr_decay=0.1)),
    (optim.Adadelta, dict(rho=0.5)),
    (optim.LARS, dict(trust_coefficient=0.1)),
    (optim.LAMB, dict()),
], ids=lambda v: v.__name__ if isinstance(v, type) else "-".join(v) or "defaults")
def test_hypergradient_of_the_learning_rate_matches_central_differences(cls, hyper):
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
