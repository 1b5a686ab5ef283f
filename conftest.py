"""The names docstring examples use (``--doctest-modules``), built in one place.

Each doctest gets fresh objects, in a fresh temporary working directory (examples that save
a checkpoint or render a graph write there): a small model and its data, an optimizer, a
layer, a leaf with a gradient, a checkpoint on disk, and a toy objective for the searches.
"""
import doctest
import re

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import optim


def _objective(params):
    """A toy validation loss, lowest at lr = 1e-2."""
    return float(np.log10(params["lr"]) + 2) ** 2 + params.get("reg", 0)


def _train_and_validate(lr, weight_decay, epochs=1):
    return _objective({"lr": lr, "reg": weight_decay})


def _doctest_objects():
    autograd.manual_seed(0)
    x, y = autograd.randn(4, 3), autograd.randn(4, 2)
    model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    loss_fn = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=10)
    stopper = optim.EarlyStopping(patience=5)
    stopper.step(1.0, model)
    w = autograd.randn(3, requires_grad=True)
    (w * w).sum().backward()
    checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                  "scheduler": scheduler.state_dict(), "early_stopping": stopper.state_dict(),
                  "rng": autograd.get_rng_state(), "epoch": 3}
    autograd.save(checkpoint, "checkpoint.pt")
    with autograd.viz.trace_modules(model) as trace:
        model(x)
    space = {"lr": optim.search.LogUniform(1e-4, 1), "reg": optim.search.LogUniform(1e-6, 1e-2),
             "epochs": 5}
    trials = optim.search.random_search(_objective, space, n_trials=8, progress=False)
    history = nn.utils.History()
    for epoch in range(3):
        history.log_step(loss=1.0 / (epoch + 1))
        history.log_epoch(train_loss=1.0 / (epoch + 1), val_loss=1.2 / (epoch + 1),
                          train_acc=0.5 + 0.1 * epoch, val_acc=0.45 + 0.1 * epoch)
    return dict(
        x=x, y=y, model=model, loss_fn=loss_fn, loss=loss_fn(model(x), y),
        optimizer=optimizer, opt=optimizer, scheduler=scheduler, stopper=stopper,
        layer=nn.Linear(3, 5), head=nn.Linear(2, 2), bn=nn.BatchNorm1d(5), w=w,
        batches=[(x, y)] * 3, train_batches=[(x, y)] * 3, x_val=x[:2], y_val=y[:2],
        checkpoint=checkpoint, trace=trace, history=history,
        loader=autograd.utils.data.DataLoader(autograd.utils.data.TensorDataset(x, y), 2),
        objective=_objective, space=space, trials=trials,
        train_and_validate=_train_and_validate, train_one_epoch=lambda: None,
        validation_loss=lambda: 1.0)


@pytest.fixture(autouse=True)
def _doctest_names(request, doctest_namespace, tmp_path_factory, monkeypatch):
    """Fresh objects for each doctest; the default dtype an example sets is restored."""
    if not isinstance(request.node, pytest.DoctestItem):
        yield
        return
    monkeypatch.chdir(tmp_path_factory.mktemp("doctest"))
    dtype = autograd.get_default_dtype()
    doctest_namespace.update(np=np, autograd=autograd, nn=nn, F=F, optim=optim,
                             **_doctest_objects())
    yield
    autograd.set_default_dtype(dtype)


# The ported PyTorch programs are source text the port tests rename and run, not modules to
# import (they import torch): keep --doctest-modules away from them.
collect_ignore_glob = ["tests/ports/programs/*.py"]


# A safety net, not the fix: docstring examples print values whose sign and last bits do not
# depend on the machine (rounded, or compared with np.allclose). Should one slip through, a
# zero's sign (-0.0, which BLAS kernels give or not) and the padding numpy adds for it do not
# fail the example on one CPU and pass it on another.
_SIGNED_ZERO = re.compile(r"-(?=0\.0*(?![0-9]))")
_check_output = doctest.OutputChecker.check_output


def _sign_safe(text):
    text = _SIGNED_ZERO.sub("", text)
    return re.sub(r"([\[(])\s+", r"\1", " ".join(text.split()))


def _check_output_sign_safe(self, want, got, optionflags):
    return (_check_output(self, want, got, optionflags)
            or _check_output(self, _sign_safe(want), _sign_safe(got), optionflags))


doctest.OutputChecker.check_output = _check_output_sign_safe
