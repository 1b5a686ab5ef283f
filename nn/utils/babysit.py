"""Babysitting a training run (the course notes' recipe): per-layer activation statistics,
per-parameter gradient norms and update-to-weight ratios, a training history with a moving
average, and an optional progress bar. The pictures of these live in `nn.utils.plots`."""
import math
from collections import defaultdict

import numpy as np

import autograd
from autograd import Tensor
from autograd.utils import progress  # noqa: F401  (also nn.utils.progress, as before)

from ..modules.activation import LeakyReLU, PReLU, ReLU, RReLU, Sigmoid, Tanh
from ..init import _restoring_buffers
from ..modules.module import Module

__all__ = ["activation_stats", "update_stats", "History", "moving_average", "progress"]

# A unit of these is dead when its output is 0 for every sample (then so is its gradient).
# The leaky ones only die where the output is exactly 0, which is what they are for.
_RELU_FAMILY = (ReLU, LeakyReLU, PReLU, RReLU)
# local slope as a function of the output y, and its maximum
_SLOPES = {Sigmoid: (lambda y: y * (1 - y), 0.25), Tanh: (lambda y: 1 - y * y, 1.0)}


def activation_stats(model, inputs, bins=30):
    """Run ``model(inputs)`` once, without recording a graph, and describe the output of
    every module, keyed by its `named_modules` name (``''`` is the model itself):

    * ``module``: the module's class name, e.g. ``'ReLU'``;
    * ``mean``, ``std``: of all the output's entries;
    * ``histogram``: ``(counts, bin_edges)`` as `numpy.histogram` with ``bins`` bins;
    * ``dead`` (ReLU, LeakyReLU, PReLU, RReLU; else None): the fraction of units whose output
      is 0 for every sample of the batch, a unit being one entry of a sample's output (one
      position of one channel for a convolution's);
    * ``saturated`` (Sigmoid, Tanh; else None): the fraction of outputs where the local slope
      is below 1% of its maximum (|tanh| > 0.995, sigmoid outside (0.0025, 0.9975)), where
      almost no gradient gets through.

    Modules whose output is not a Tensor are left out; a module called twice describes both
    outputs together. Afterwards the model is as before: no hooks, no gradients, and its
    buffers (batch norm's running statistics, which a training-mode forward updates) restored.
    Train/eval mode is yours to choose: in train mode batch norm uses the batch's statistics
    and dropout drops.

    >>> stats = nn.utils.activation_stats(model, x)   # model: Linear, ReLU, Linear
    >>> sorted(stats['1'])                             # '1' is the ReLU
    ['dead', 'histogram', 'mean', 'module', 'saturated', 'std']
    >>> 0.0 <= stats['1']['dead'] <= 1.0
    True
    """
    if not isinstance(model, Module):
        raise TypeError(f"activation_stats: model must be an nn.Module, got "
                        f"{type(model).__name__}")
    if not (isinstance(bins, int) and bins >= 1):
        raise ValueError(f"activation_stats: bins must be an int >= 1, got {bins!r}")
    outputs = defaultdict(list)

    def record(name):
        def hook(module, args, out):
            if isinstance(out, Tensor):
                outputs[name].append(np.array(out.numpy(), dtype=np.float64))  # a copy
        return hook

    modules = list(model.named_modules())
    handles = [module.register_forward_hook(record(name)) for name, module in modules]
    try:
        with autograd.no_grad(), _restoring_buffers(model):
            model(inputs)
    finally:
        for handle in handles:
            handle.remove()
    return {name: _describe(module, outputs[name], bins)
            for name, module in modules if outputs[name]}


def _describe(module, outs, bins):
    values = np.concatenate([o.ravel() for o in outs])
    stats = {"module": type(module).__name__,
             "mean": float(values.mean()), "std": float(values.std()),
             "histogram": np.histogram(values, bins=bins), "dead": None, "saturated": None}
    if isinstance(module, _RELU_FAMILY):
        units = [np.reshape(o, (o.shape[0], -1)) if o.ndim > 1 else o[None] for o in outs]
        dead = sum(int(np.all(u == 0, axis=0).sum()) for u in units)
        stats["dead"] = dead / sum(u.shape[1] for u in units)
    for kind, (slope, largest) in _SLOPES.items():
        if isinstance(module, kind):
            stats["saturated"] = float(np.mean(slope(values) < 0.01 * largest))
    return stats


def update_stats(model, optimizer):
    """Take ``optimizer.step()`` (call it in place of the step, after ``loss.backward()``) and
    return, for each parameter of ``model`` by its `named_parameters` name, a dict of
    ``weight_norm`` (before the step), ``grad_norm``, ``update_norm`` (‖w_after − w_before‖)
    and ``update_ratio`` = update_norm / weight_norm (inf for a zero weight that moved).

    The course notes' rule of thumb: the ratio should be around 1e-3. Far below, the learning
    rate is probably too low; far above (1e-1 and up), too high. Parameters without a
    gradient are reported with ``grad_norm`` None (most optimizers leave them unchanged).

    >>> loss_fn(model(x), y).backward()
    >>> stats = nn.utils.update_stats(model, opt)      # instead of opt.step()
    >>> sorted(stats['0.weight'])                      # the notes' rule: ratio near 1e-3
    ['grad_norm', 'update_norm', 'update_ratio', 'weight_norm']
    """
    if not isinstance(model, Module):
        raise TypeError(f"update_stats: model must be an nn.Module, got "
                        f"{type(model).__name__}; call update_stats(model, optimizer)")
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"update_stats: optimizer must have a step() method, got "
                        f"{type(optimizer).__name__}")
    if any(group.get("differentiable") for group in getattr(optimizer, "param_groups", ())):
        raise ValueError("update_stats: the optimizer has differentiable=True, whose steps "
                         "put new tensors in place of the parameters; use an ordinary one")
    params = list(model.named_parameters())
    before = {name: np.array(p.numpy(), dtype=np.float64) for name, p in params}
    grads = {name: None if p.grad is None else _norm(p.grad.numpy()) for name, p in params}
    optimizer.step()
    stats = {}
    for name, p in params:
        weight = _norm(before[name])
        update = _norm(np.asarray(p.numpy(), dtype=np.float64) - before[name])
        ratio = update / weight if weight > 0 else (math.inf if update > 0 else 0.0)
        stats[name] = {"weight_norm": weight, "grad_norm": grads[name],
                       "update_norm": update, "update_ratio": ratio}
    return stats


def _norm(array):
    return float(np.linalg.norm(np.ravel(array).astype(np.float64)))


def moving_average(values, smooth=0.9):
    """The exponential moving average of ``values`` (weight ``smooth`` on the past),
    bias-corrected as in Adam so that the first points are not pulled towards 0; the notes
    plot it over the noisy raw losses to see the trend. Non-finite values pass through
    without entering the average.

    >>> nn.utils.moving_average([1.0, 0.0, 0.0], smooth=0.5)
    [1.0, 0.3333333333333333, 0.14285714285714285]
    """
    if not 0 <= smooth < 1:
        raise ValueError(f"moving_average: smooth must be in [0, 1), got {smooth}")
    averages, average, weight = [], 0.0, 0.0
    for v in values:
        v = float(v)
        if math.isfinite(v):
            average = smooth * average + (1 - smooth) * v
            weight = smooth * weight + (1 - smooth)
        averages.append(average / weight if weight > 0 else v)
    return averages


class History:
    """What happened during training: values per step (``log_step``) and per epoch
    (``log_epoch``), each a list under its name in ``steps`` / ``epochs``.

    >>> history = nn.utils.History()
    >>> for epoch, val_loss in enumerate([0.9, 0.5, 0.6]):
    ...     for loss in (2.0, 1.0):
    ...         history.log_step(loss=loss)
    ...     history.log_epoch(val_loss=val_loss, val_acc=0.8 + 0.05 * epoch)
    >>> [round(v, 3) for v in history.smoothed('loss', smooth=0.5)][:3]   # moving average
    [2.0, 1.333, 1.714]
    >>> history.best('val_loss')           # (epoch, value)
    (1, 0.5)
    """

    def __init__(self):
        self.steps = defaultdict(list)
        self.epochs = defaultdict(list)

    def log_step(self, **values):
        """Append each ``name=value`` (a number or 0-d Tensor) to ``steps[name]``."""
        _append(self.steps, values)

    def log_epoch(self, **values):
        """Append each ``name=value`` (a number or 0-d Tensor) to ``epochs[name]``."""
        _append(self.epochs, values)

    def smoothed(self, name, smooth=0.9):
        """`moving_average` of ``steps[name]``."""
        if name not in self.steps:
            raise KeyError(f"History.smoothed: no step values named {name!r}; logged: "
                           f"{sorted(self.steps)}")
        return moving_average(self.steps[name], smooth)

    def best(self, name, mode="min"):
        """``(epoch, value)`` of the lowest (``mode='min'``) or highest (``'max'``) value of
        ``epochs[name]``, epochs counted from 0."""
        if name not in self.epochs:
            raise KeyError(f"History.best: no epoch values named {name!r}; logged: "
                           f"{sorted(self.epochs)}")
        if mode not in ("min", "max"):
            raise ValueError(f"History.best: mode must be 'min' or 'max', got {mode!r}")
        values = self.epochs[name]
        pick = min if mode == "min" else max
        epoch = pick(range(len(values)), key=values.__getitem__)
        return epoch, values[epoch]

    def __repr__(self):
        return (f"History(steps={ {k: len(v) for k, v in self.steps.items()} }, "
                f"epochs={ {k: len(v) for k, v in self.epochs.items()} })")


def _append(table, values):
    for name, value in values.items():
        table[name].append(float(value.item() if isinstance(value, Tensor) else value))
