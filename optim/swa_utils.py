"""Weight averaging, as `torch.optim.swa_utils`: `AveragedModel` keeps a running average of a
model's parameters (stochastic weight averaging, Izmailov et al. 2018, or an exponential moving
average, Polyak averaging's modern form), `update_bn` recomputes batch norm's running
statistics for the averaged weights, and `SWALR` anneals the learning rate to a constant for
the averaging phase."""
import copy
import math

import autograd
import nn
from nn.modules.normalization import _RunningNorm

from .lr_scheduler import LRScheduler

__all__ = ["AveragedModel", "update_bn", "SWALR", "get_ema_multi_avg_fn", "get_ema_avg_fn",
           "get_swa_multi_avg_fn", "get_swa_avg_fn"]


def get_ema_multi_avg_fn(decay=0.999):
    """The exponential moving average for `AveragedModel(multi_avg_fn=...)`: every averaged
    tensor becomes ``decay * average + (1 - decay) * current``, in place.

    >>> ema_fn = optim.swa_utils.get_ema_multi_avg_fn(0.9)
    >>> ema = optim.swa_utils.AveragedModel(model, multi_avg_fn=ema_fn)
    """
    def ema_update(averaged, current, num_averaged):
        for a, c in zip(averaged, current):
            a.copy_(decay * a + (1 - decay) * c)
    return ema_update


def get_ema_avg_fn(decay=0.999):
    """The exponential moving average for `AveragedModel(avg_fn=...)`, one tensor at a time:
    returns ``decay * averaged + (1 - decay) * current``.

    >>> optim.swa_utils.get_ema_avg_fn(0.9)(autograd.tensor(1.0), autograd.tensor(3.0), 5)
    Tensor(1.2)
    """
    def ema_update(averaged, current, num_averaged):
        return decay * averaged + (1 - decay) * current
    return ema_update


def get_swa_multi_avg_fn():
    """The equal-weight running mean (SWA) for `AveragedModel(multi_avg_fn=...)`: after n
    models, ``average += (current - average) / (n + 1)``, in place.

    >>> swa_fn = optim.swa_utils.get_swa_multi_avg_fn()
    >>> swa = optim.swa_utils.AveragedModel(model, multi_avg_fn=swa_fn)
    """
    def swa_update(averaged, current, num_averaged):
        for a, c in zip(averaged, current):
            a.copy_(a + (c - a) / (float(num_averaged) + 1))
    return swa_update


def get_swa_avg_fn():
    """The equal-weight running mean (SWA) for `AveragedModel(avg_fn=...)`: returns
    ``averaged + (current - averaged) / (num_averaged + 1)``.

    >>> optim.swa_utils.get_swa_avg_fn()(autograd.tensor(1.0), autograd.tensor(4.0), 2)
    Tensor(2.)
    """
    def swa_update(averaged, current, num_averaged):
        return averaged + (current - averaged) / (float(num_averaged) + 1)
    return swa_update


class AveragedModel(nn.Module):
    """A copy of ``model`` (``self.module``) whose parameters are an average of the
    parameters ``model`` had at each `update_parameters` call; calling it runs the copy.

    By default the average weighs every update equally (SWA). ``avg_fn(averaged, current,
    num_averaged)`` returns the new average of one tensor, ``multi_avg_fn(averaged_list,
    current_list, num_averaged)`` updates lists of tensors in place (`get_ema_multi_avg_fn`
    for an exponential moving average). The first update copies ``model``. With
    ``use_buffers=True`` buffers (batch norm's running statistics) are averaged too;
    otherwise they are copied from ``model`` at each update, and `update_bn` recomputes them
    for the averaged weights. ``n_averaged`` counts the updates (an int64 buffer).

    ``device`` is accepted for PyTorch's signature (this library runs on the CPU).

    >>> swa = optim.swa_utils.AveragedModel(model)
    >>> for _ in range(3):
    ...     loss_fn(model(x), y).backward(); optimizer.step(); optimizer.zero_grad()
    ...     swa.update_parameters(model)
    >>> int(swa.n_averaged), swa(x).shape
    (3, (4, 2))
    """

    def __init__(self, model, device=None, avg_fn=None, multi_avg_fn=None, use_buffers=False):
        super().__init__()
        if not isinstance(model, nn.Module):
            raise TypeError(f"AveragedModel: expected an nn.Module, got {type(model).__name__}")
        if avg_fn is not None and multi_avg_fn is not None:
            raise ValueError("AveragedModel: give avg_fn or multi_avg_fn, not both")
        self.module = copy.deepcopy(model)
        self.register_buffer("n_averaged", autograd.tensor(0, dtype="int64"))
        self.avg_fn, self.multi_avg_fn, self.use_buffers = avg_fn, multi_avg_fn, use_buffers

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _tensors(self, model):
        params = list(model.parameters())
        return params + list(model.buffers()) if self.use_buffers else params

    def update_parameters(self, model):
        """Fold ``model``'s current parameters (and buffers, with ``use_buffers``) into the
        average and count one more update."""
        averaged, current = self._tensors(self.module), self._tensors(model)
        if len(averaged) != len(current):
            raise ValueError(f"AveragedModel.update_parameters: the model has {len(current)} "
                             f"tensors to average, the averaged copy {len(averaged)}; pass the "
                             f"model the AveragedModel was built from")
        n = int(self.n_averaged.item())
        with autograd.no_grad():
            current = [c.detach() for c in current]
            if n == 0:
                for a, c in zip(averaged, current):
                    a.copy_(c)
            elif self.multi_avg_fn is not None:
                self.multi_avg_fn(averaged, current, self.n_averaged)
            else:  # an integer buffer gets the average truncated, as PyTorch's copy_ does
                fn = self.avg_fn or get_swa_avg_fn()
                for a, c in zip(averaged, current):
                    a.copy_(fn(a.detach(), c, self.n_averaged))
            if not self.use_buffers:
                for a, c in zip(self.module.buffers(), model.buffers()):
                    a.copy_(c.detach())
            self.n_averaged.add_(1)


def update_bn(loader, model, device=None):
    """Recompute the running statistics of every batch norm layer of ``model`` with one pass
    over ``loader`` (batches, or (input, ...) tuples whose first element is fed to the model),
    as a cumulative average: what the averaged weights of an `AveragedModel` need, since
    averaging weights does not average the statistics they produce. The layers' momentum and
    the model's train/eval mode are restored afterwards.

    >>> net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    >>> swa = optim.swa_utils.AveragedModel(net)
    >>> optim.swa_utils.update_bn([(x, y)], swa)    # one batch: exactly its statistics
    >>> int(swa.module[1].num_batches_tracked)
    1
    """
    norms = [m for m in model.modules()
             if isinstance(m, _RunningNorm) and m._counts_batches and m.track_running_stats]
    if not norms:
        return
    momenta = {}
    for m in norms:
        m.running_mean.zero_()
        m.running_var.fill_(1.0)
        m.num_batches_tracked.zero_()
        momenta[m], m.momentum = m.momentum, None
    was_training = model.training
    model.train()
    with autograd.no_grad():
        for batch in loader:
            model(batch[0] if isinstance(batch, (list, tuple)) else batch)
    for m, momentum in momenta.items():
        m.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """Anneal each group's learning rate from its value when the schedule starts to
    ``swa_lr`` (one value, or one per group) over ``anneal_epochs`` steps, along a cosine
    (``anneal_strategy='cos'``) or a line (``'linear'``), then hold it: the constant rate of
    stochastic weight averaging. Step it once per epoch, as PyTorch's.

    >>> schedule = optim.swa_utils.SWALR(optimizer, swa_lr=0.05, anneal_epochs=2)  # lr 0.1
    >>> [round(lr, 3) for lr in schedule.get_last_lr()]
    [0.1]
    >>> schedule.step(); schedule.step(); [round(lr, 3) for lr in schedule.get_last_lr()]
    [0.05]
    """

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos",
                 last_epoch=-1):
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"SWALR: anneal_strategy must be 'cos' or 'linear', "
                             f"got {anneal_strategy!r}")
        if isinstance(anneal_epochs, bool) or not isinstance(anneal_epochs, int) \
                or anneal_epochs < 0:
            raise ValueError(f"SWALR: anneal_epochs must be an integer >= 0, "
                             f"got {anneal_epochs!r}")
        groups = getattr(optimizer, "param_groups", None)
        if groups is None:
            raise TypeError(f"SWALR: expected an optimizer, got {type(optimizer).__name__}")
        swa_lrs = list(swa_lr) if isinstance(swa_lr, (list, tuple)) else [swa_lr] * len(groups)
        if len(swa_lrs) != len(groups):
            raise ValueError(f"SWALR: {len(swa_lrs)} values of swa_lr for {len(groups)} "
                             f"parameter groups")
        for group, value in zip(groups, swa_lrs):
            group["swa_lr"] = value
        self.anneal_epochs, self.anneal_strategy = anneal_epochs, anneal_strategy
        self._start_lrs = [group["lr"] for group in groups]
        super().__init__(optimizer)

    def _anneal(self, t):
        return (1 - math.cos(math.pi * t)) / 2 if self.anneal_strategy == "cos" else t

    def get_lr(self):
        step = self.last_epoch if self.anneal_epochs else max(1, self.last_epoch)
        alpha = self._anneal(max(0.0, min(1.0, step / max(1, self.anneal_epochs))))
        return [group["swa_lr"] * alpha + lr * (1 - alpha)
                for group, lr in zip(self.optimizer.param_groups, self._start_lrs)]
