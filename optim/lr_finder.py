"""The learning-rate range test: train briefly while the learning rate grows exponentially
from tiny to huge, watch the loss, and read a good learning rate off the curve."""
import itertools
import math
from dataclasses import dataclass

from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["lr_finder", "LRFinderResult"]


@dataclass(frozen=True)
class LRFinderResult:
    """What `lr_finder` saw: the learning rate of each step, the smoothed loss at it, and the
    suggested learning rate (see `lr_finder`).

    >>> result = lr_finder(model, loss_fn, batches)
    >>> result.suggestion, len(result.lrs) == len(result.losses)
    """

    lrs: list
    losses: list
    suggestion: float


def lr_finder(model, loss_fn, batches, start_lr=1e-7, end_lr=10, num_steps=100, *,
              optimizer=None, smooth=0.98, diverge_threshold=4):
    """Run the range test and put everything back as it was.

    Step ``i`` (of ``num_steps``) sets every parameter group's lr to
    ``start_lr * (end_lr / start_lr) ** (i / (num_steps - 1))``, computes
    ``loss_fn(model(inputs), targets)`` on the next ``(inputs, targets)`` of ``batches``
    (cycled if there are fewer), records the loss smoothed by an exponential moving average
    (weight ``smooth`` on the past, bias-corrected as in Adam), then takes a step of
    ``optimizer`` (default: SGD with momentum 0.9 over ``model.parameters()``). It stops
    early, without recording that step, once the smoothed loss is not finite or has risen
    above the best so far by more than ``(diverge_threshold - 1) * |best|`` (for positive
    losses: exceeds ``diverge_threshold`` times the best; the test holds for losses of any
    sign). Afterwards the model's parameters and buffers, their gradients, and the
    optimizer's state and learning rates are restored.

    The first tenth of the sweep (``num_steps // 10`` steps, at least one) is a warm-up: the
    average rests on a few batches there, and an easy first batch would make it the lowest
    point, so those steps set neither the best loss of the divergence test nor the minimum.

    The suggestion is a tenth of the learning rate at the lowest smoothed loss after the
    warm-up, and never below ``start_lr``: the minimum sits just before divergence, where
    the rate is already too large, while one order of magnitude lower the loss still falls
    steeply; unlike the point of steepest descent, it needs no derivative of a noisy curve.

    >>> result = lr_finder(model, nn.MSELoss(), [(x, y)], start_lr=1e-5, end_lr=10)
    >>> optimizer = optim.SGD(model.parameters(), lr=result.suggestion, momentum=0.9)
    """
    _check_arguments(loss_fn, optimizer, start_lr, end_lr, num_steps, smooth, diverge_threshold)
    if optimizer is None:
        optimizer = SGD(model.parameters(), lr=start_lr, momentum=0.9)
    model_state, optimizer_state = model.state_dict(), optimizer.state_dict()
    grads = [(p, p.grad) for p in model.parameters()]
    warm_up = max(1, num_steps // 10)
    try:
        lrs, losses = _sweep(model, optimizer, loss_fn, batches, start_lr, end_lr, num_steps,
                             warm_up, smooth, diverge_threshold)
    finally:
        model.load_state_dict(model_state)
        optimizer.load_state_dict(optimizer_state)
        for p, grad in grads:
            p.grad = grad
    after = min(warm_up, len(losses) - 1)  # (a sweep may end within its warm-up)
    best = min(range(after, len(losses)), key=losses.__getitem__)
    return LRFinderResult(lrs, losses, max(lrs[best] / 10, start_lr))


def _check_arguments(loss_fn, optimizer, start_lr, end_lr, num_steps, smooth,
                     diverge_threshold):
    if isinstance(loss_fn, Optimizer):
        raise TypeError("lr_finder: the second argument is an optimizer, but it is loss_fn: "
                        "call lr_finder(model, loss_fn, batches, start_lr, end_lr, num_steps, "
                        "optimizer=optimizer)")
    problems = []
    if not 0 < start_lr < end_lr:
        problems.append(f"need 0 < start_lr < end_lr, got start_lr={start_lr}, end_lr={end_lr}")
    if not (isinstance(num_steps, int) and num_steps >= 2):
        problems.append(f"num_steps must be an int >= 2, got {num_steps!r}")
    if not 0 <= smooth < 1:
        problems.append(f"smooth must be in [0, 1), got {smooth}")
    if not diverge_threshold > 1:
        problems.append(f"diverge_threshold must be > 1, got {diverge_threshold}")
    if optimizer is not None and any(group.get("differentiable")
                                     for group in optimizer.param_groups):
        problems.append("the optimizer has differentiable=True, whose steps replace the "
                        "parameters; use an ordinary optimizer")
    if problems:
        raise ValueError("lr_finder: " + "; ".join(problems))


def _sweep(model, optimizer, loss_fn, batches, start_lr, end_lr, num_steps, warm_up, smooth,
           diverge_threshold):
    lrs, losses = [], []
    average, best = 0.0, math.inf
    stream = itertools.cycle(batches)
    for step in range(num_steps):
        batch = next(stream, None)
        if batch is None:
            raise ValueError("lr_finder: batches is empty; pass an iterable of (inputs, targets)")
        inputs, targets = batch
        lr = start_lr * (end_lr / start_lr) ** (step / (num_steps - 1))
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        average = smooth * average + (1 - smooth) * loss.item()
        smoothed = average / (1 - smooth ** (step + 1))
        if not math.isfinite(smoothed) or smoothed - best > (diverge_threshold - 1) * abs(best):
            if not lrs:
                raise ValueError(f"lr_finder: the first loss (at start_lr={start_lr}) is "
                                 f"{smoothed}; check the model, loss_fn and data")
            break
        if step >= warm_up:
            best = min(best, smoothed)
        lrs.append(lr)
        losses.append(smoothed)
        optimizer.step()
    return lrs, losses
