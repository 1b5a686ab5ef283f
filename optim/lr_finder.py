"""The learning-rate range test: train briefly while the learning rate grows exponentially
from tiny to huge, watch the loss (on the training batches, or on validation data), and read
a good learning rate off the curve."""
import itertools
import math
from dataclasses import dataclass

from autograd import no_grad
from autograd.utils import progress as _progress

from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["lr_finder", "LRFinderResult"]


@dataclass(frozen=True)
class LRFinderResult:
    """What `lr_finder` saw: the learning rate of each step, the smoothed training loss at
    it, the suggested learning rate, and (given ``val_batches``) the smoothed validation loss
    after the step at that rate, else None (see `lr_finder`).

    >>> result = lr_finder(model, loss_fn, batches, val_batches=[(x_val, y_val)])
    >>> len(result.lrs) == len(result.losses) == len(result.val_losses)
    True
    """

    lrs: list
    losses: list
    suggestion: float
    val_losses: list = None


def lr_finder(model, loss_fn, batches, start_lr=1e-7, end_lr=10, num_steps=100, *,
              optimizer=None, smooth=0.98, diverge_threshold=4, val_batches=None,
              progress=True):
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

    With ``val_batches`` (a list of ``(inputs, targets)``), the notes' variant: after each
    step, the model in eval mode and without recording a graph, the mean of ``loss_fn`` over
    those batches is smoothed the same way into ``val_losses``, and it is this curve that
    stops the sweep and gives the suggestion. ``progress`` shows a tqdm bar over the steps
    when tqdm is installed.

    >>> result = lr_finder(model, nn.MSELoss(), [(x, y)], start_lr=1e-5, end_lr=10)
    >>> optimizer = optim.SGD(model.parameters(), lr=result.suggestion, momentum=0.9)
    """
    _check_arguments(loss_fn, optimizer, start_lr, end_lr, num_steps, smooth, diverge_threshold)
    if val_batches is not None:
        val_batches = list(val_batches)  # the same batches at every rate
        if not val_batches:
            raise ValueError("lr_finder: val_batches is empty; pass a list of (inputs, "
                             "targets), or None to watch the training loss")
    if optimizer is None:
        optimizer = SGD(model.parameters(), lr=start_lr, momentum=0.9)
    model_state, optimizer_state = model.state_dict(), optimizer.state_dict()
    grads = [(p, p.grad) for p in model.parameters()]
    warm_up = max(1, num_steps // 10)
    try:
        lrs, losses, val_losses = _sweep(model, optimizer, loss_fn, batches, val_batches,
                                         start_lr, end_lr, num_steps, warm_up, smooth,
                                         diverge_threshold, progress)
    finally:
        model.load_state_dict(model_state)
        optimizer.load_state_dict(optimizer_state)
        for p, grad in grads:
            p.grad = grad
    curve = losses if val_batches is None else val_losses
    after = min(warm_up, len(curve) - 1)  # (a sweep may end within its warm-up)
    best = min(range(after, len(curve)), key=curve.__getitem__)
    return LRFinderResult(lrs, losses, max(lrs[best] / 10, start_lr),
                          None if val_batches is None else val_losses)


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


class _Smoothed:
    """An exponential moving average with weight ``smooth`` on the past, bias-corrected as
    in Adam."""

    def __init__(self, smooth):
        self.smooth, self.average, self.count = smooth, 0.0, 0

    def __call__(self, value):
        self.count += 1
        self.average = self.smooth * self.average + (1 - self.smooth) * value
        return self.average / (1 - self.smooth ** self.count)


def _validation_loss(model, loss_fn, val_batches):
    training = model.training
    model.eval()
    try:
        with no_grad():
            return sum(loss_fn(model(x), y).item() for x, y in val_batches) / len(val_batches)
    finally:
        model.train(training)


def _sweep(model, optimizer, loss_fn, batches, val_batches, start_lr, end_lr, num_steps,
           warm_up, smooth, diverge_threshold, show_progress):
    lrs, losses, val_losses = [], [], []
    train_average, val_average, best = _Smoothed(smooth), _Smoothed(smooth), math.inf
    stream = itertools.cycle(batches)
    for step in _progress(range(num_steps), desc="lr_finder", enabled=show_progress,
                           leave=False):
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
        optimizer.step()  # (a diverging step is undone with everything else at the end)
        train = train_average(loss.item())
        if val_batches is None:
            watched = train
        else:
            watched = val_average(_validation_loss(model, loss_fn, val_batches))
        if not math.isfinite(watched) or watched - best > (diverge_threshold - 1) * abs(best):
            if not lrs:
                kind = "loss" if val_batches is None else "validation loss"
                raise ValueError(f"lr_finder: the first {kind} (at start_lr={start_lr}) is "
                                 f"{watched}; check the model, loss_fn and data")
            break
        if step >= warm_up:
            best = min(best, watched)
        lrs.append(lr)
        losses.append(train)
        if val_batches is not None:
            val_losses.append(watched)
    return lrs, losses, val_losses
