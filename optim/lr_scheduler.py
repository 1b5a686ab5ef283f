"""Learning-rate schedules: each sets ``group['lr']`` of an optimizer's parameter groups once
per ``step()``, PyTorch's protocol (``scheduler.step()`` after ``optimizer.step()``).

Every schedule except `ReduceLROnPlateau` is a closed form of the step count ``last_epoch``
and of the learning rate each group had when the schedule was built (``group['initial_lr']``),
so a schedule can be saved, restored and read at any step without replaying it. PyTorch
computes most of them recursively from the current lr; the numbers agree to rounding. Hence
two schedules stepped on one optimizer do not multiply (the last one stepped sets the rate;
a `UserWarning` says so): run them one after another with `SequentialLR`, or multiply
factors in one `LambdaLR`.

A group whose lr is a Tensor that requires grad (a ``differentiable=True`` optimizer) gets,
from the schedules that scale ``initial_lr``, rates that are Tensors differentiable in it.
"""
import copy
import math
import warnings
import weakref
from bisect import bisect_right

__all__ = ["LRScheduler", "LambdaLR", "StepLR", "MultiStepLR", "ExponentialLR",
           "InverseTimeLR", "CosineAnnealingLR", "LinearLR", "CyclicLR", "OneCycleLR",
           "SequentialLR", "ReduceLROnPlateau"]


# optimizer -> (weak reference to the schedule that stepped it last, whether we warned)
_last_stepped_by = weakref.WeakKeyDictionary()


def _require(condition, owner, message):
    """Raise ValueError("owner: message") unless ``condition`` holds."""
    if not condition:
        raise ValueError(f"{owner}: {message}")


def _is_positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _per_group(owner, name, value, optimizer):
    """One value per parameter group: ``value`` repeated, or a list of exactly that many."""
    count = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        _require(len(value) == count, owner,
                 f"{name} has {len(value)} values but the optimizer has {count} parameter "
                 "groups; pass one value, or one per group")
        return list(value)
    return [value] * count


class LRScheduler:
    """Base class of the schedules. A subclass implements `get_lr` (the learning rate of each
    group at step ``self.last_epoch``); building a schedule records ``'initial_lr'`` in each
    group and applies step 0.

    >>> class Halving(LRScheduler):
    ...     def get_lr(self):
    ...         return [lr / 2 ** self.last_epoch for lr in self.base_lrs]
    >>> scheduler = Halving(optimizer)
    >>> optimizer.step(); scheduler.step(); scheduler.get_last_lr()   # [lr0 / 2], lr0 = 0.1
    [0.05]
    """

    _unsaved = ("optimizer",)  # attributes that `state_dict` leaves out

    def __init__(self, optimizer):
        if not hasattr(optimizer, "param_groups"):
            raise TypeError(f"{type(self).__name__}: expected an optimizer (an object with "
                            f"param_groups), got {type(optimizer).__name__}")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = 0
        self._apply()

    def get_lr(self):
        """The learning rate of each parameter group at step ``last_epoch``."""
        raise NotImplementedError

    def step(self):
        """Advance one step (call it after ``optimizer.step()``) and set the new rates."""
        self._note_step()
        self.last_epoch += 1
        self._apply()

    def _note_step(self):
        """Warn (once per optimizer) when another schedule stepped the optimizer since this
        one's previous step: two schedules take turns setting the rate, each from its own
        closed form."""
        previous, warned = _last_stepped_by.get(self.optimizer, (None, False))
        other = previous() if previous is not None else None
        if other is not None and other is not self and self.last_epoch > 0 and not warned:
            warnings.warn(f"{type(self).__name__} and {type(other).__name__} both step the same "
                          "optimizer: each sets the learning rate from its own closed form, so "
                          "they do not multiply (the one stepped last wins); run them one after "
                          "another with SequentialLR, or multiply their factors in one LambdaLR",
                          UserWarning, stacklevel=3)
            warned = True
        _last_stepped_by[self.optimizer] = (weakref.ref(self), warned)

    def _apply(self):
        self._set_lrs(self.get_lr())

    def _set_lrs(self, lrs):
        groups = self.optimizer.param_groups
        _require(len(lrs) == len(groups), type(self).__name__,
                 f"the optimizer has {len(groups)} parameter groups, but the schedule was built "
                 f"for {len(lrs)}; build the schedule after add_param_group")
        for group, lr in zip(groups, lrs):
            group["lr"] = lr
        self._last_lr = list(lrs)

    def get_last_lr(self):
        """The learning rates the last step set, one per parameter group."""
        return list(self._last_lr)

    def state_dict(self):
        """The schedule's state (everything but the optimizer and any functions), a copy.
        Save the optimizer's ``state_dict`` beside it.

        >>> checkpoint = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}
        """
        return {key: copy.deepcopy(value) for key, value in vars(self).items()
                if key not in self._unsaved}

    def load_state_dict(self, state_dict):
        """Restore a state saved by `state_dict` and set the rates it implies, so that
        training resumes exactly where it stopped (in either loading order).

        >>> scheduler.load_state_dict(checkpoint["scheduler"])
        """
        vars(self).update(copy.deepcopy(state_dict))
        self._apply()


class LambdaLR(LRScheduler):
    """``lr = initial_lr * lr_lambda(step)``; ``lr_lambda`` is one function or one per group.
    (`state_dict` does not save the functions: rebuild the schedule with the same ones.)

    >>> scheduler = LambdaLR(optimizer, lambda step: 0.95 ** step)
    """

    _unsaved = ("optimizer", "lr_lambdas")

    def __init__(self, optimizer, lr_lambda):
        self.lr_lambdas = _per_group("LambdaLR", "lr_lambda", lr_lambda, optimizer)
        _require(all(callable(f) for f in self.lr_lambdas), "LambdaLR",
                 "lr_lambda must be a function of the step (or a list of them)")
        super().__init__(optimizer)

    def get_lr(self):
        return [base_lr * f(self.last_epoch) for f, base_lr in zip(self.lr_lambdas, self.base_lrs)]


class StepLR(LRScheduler):
    """Staircase decay: ``lr = initial_lr * gamma ** (step // step_size)``.

    >>> scheduler = StepLR(optimizer, step_size=30, gamma=0.1)   # /10 every 30 epochs
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        _require(_is_positive_int(step_size), "StepLR",
                 f"step_size must be a positive int, got {step_size!r}")
        _require(gamma > 0, "StepLR", f"gamma must be > 0, got {gamma}")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer)

    def get_lr(self):
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size)
                for base_lr in self.base_lrs]


class MultiStepLR(LRScheduler):
    """``lr = initial_lr * gamma ** (number of milestones <= step)``.

    >>> scheduler = MultiStepLR(optimizer, milestones=[30, 80], gamma=0.1)
    """

    def __init__(self, optimizer, milestones, gamma=0.1):
        self.milestones = sorted(milestones)
        _require(all(isinstance(m, int) and m >= 0 for m in self.milestones), "MultiStepLR",
                 f"milestones must be ints >= 0, got {list(milestones)}")
        _require(gamma > 0, "MultiStepLR", f"gamma must be > 0, got {gamma}")
        self.gamma = gamma
        super().__init__(optimizer)

    def get_lr(self):
        return [base_lr * self.gamma ** bisect_right(self.milestones, self.last_epoch)
                for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Exponential decay: ``lr = initial_lr * gamma ** step``.

    >>> scheduler = ExponentialLR(optimizer, gamma=0.95)
    """

    def __init__(self, optimizer, gamma):
        _require(gamma > 0, "ExponentialLR", f"gamma must be > 0, got {gamma}")
        self.gamma = gamma
        super().__init__(optimizer)

    def get_lr(self):
        return [base_lr * self.gamma ** self.last_epoch for base_lr in self.base_lrs]


class InverseTimeLR(LRScheduler):
    """1/t decay: ``lr = initial_lr / (1 + decay_rate * step)`` (not in PyTorch; Keras calls it
    InverseTimeDecay).

    >>> scheduler = InverseTimeLR(optimizer, decay_rate=0.5)   # lr0, lr0/1.5, lr0/2, ...
    """

    def __init__(self, optimizer, decay_rate):
        _require(decay_rate >= 0, "InverseTimeLR", f"decay_rate must be >= 0, got {decay_rate}")
        self.decay_rate = decay_rate
        super().__init__(optimizer)

    def get_lr(self):
        return [base_lr / (1 + self.decay_rate * self.last_epoch) for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Half a cosine from ``initial_lr`` down to ``eta_min`` over ``T_max`` steps (SGDR
    without restarts): ``lr = eta_min + (initial_lr - eta_min) * (1 + cos(pi * step / T_max)) / 2``.
    Past ``T_max`` the cosine goes on (back up), as in PyTorch.

    >>> scheduler = CosineAnnealingLR(optimizer, T_max=100)
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):
        _require(_is_positive_int(T_max), "CosineAnnealingLR",
                 f"T_max must be a positive int, got {T_max!r}")
        _require(eta_min >= 0, "CosineAnnealingLR", f"eta_min must be >= 0, got {eta_min}")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer)

    def get_lr(self):
        cosine = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return [self.eta_min + (base_lr - self.eta_min) * cosine for base_lr in self.base_lrs]


class LinearLR(LRScheduler):
    """Linear warm-up (or decay): the factor on ``initial_lr`` goes from ``start_factor`` to
    ``end_factor`` over ``total_iters`` steps, then stays.

    >>> scheduler = LinearLR(optimizer, start_factor=0.1, total_iters=10)   # 10-step warm-up
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        _require(0 < start_factor <= 1, "LinearLR",
                 f"start_factor must be in (0, 1], got {start_factor}")
        _require(0 <= end_factor <= 1, "LinearLR",
                 f"end_factor must be in [0, 1], got {end_factor}")
        _require(_is_positive_int(total_iters), "LinearLR",
                 f"total_iters must be a positive int, got {total_iters!r}")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer)

    def get_lr(self):
        progress = min(self.total_iters, self.last_epoch) / self.total_iters
        factor = self.start_factor + (self.end_factor - self.start_factor) * progress
        return [base_lr * factor for base_lr in self.base_lrs]


class _MomentumCycling(LRScheduler):
    """A schedule that, with ``cycle_momentum``, also moves each group's momentum (SGD's
    ``'momentum'``, or beta1 in Adam-like ``'betas'``) opposite to its learning rate."""

    def __init__(self, optimizer, cycle_momentum, base_momentum, max_momentum):
        owner = type(self).__name__
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            groups = optimizer.param_groups
            self._momentum_key = "betas" if all("betas" in g for g in groups) else "momentum"
            _require(all(self._momentum_key in g for g in groups), owner,
                     "cycle_momentum=True needs an optimizer with 'momentum' or 'betas' in "
                     "every parameter group; pass cycle_momentum=False")
            self.base_momentums = _per_group(owner, "base_momentum", base_momentum, optimizer)
            self.max_momentums = _per_group(owner, "max_momentum", max_momentum, optimizer)
        super().__init__(optimizer)

    def get_momentum(self):
        """The momentum (or beta1) of each parameter group at step ``last_epoch``."""
        raise NotImplementedError

    def _apply(self):
        super()._apply()
        if self.cycle_momentum:
            for group, momentum in zip(self.optimizer.param_groups, self.get_momentum()):
                if self._momentum_key == "betas":
                    group["betas"] = (momentum, *group["betas"][1:])
                else:
                    group["momentum"] = momentum


class CyclicLR(_MomentumCycling):
    """Cyclical learning rates (Smith 2017): the lr climbs from ``base_lr`` to ``max_lr`` in
    ``step_size_up`` steps and back in ``step_size_down`` (default: the same), with the
    amplitude scaled per ``mode``: ``'triangular'`` (constant), ``'triangular2'`` (halved each
    cycle), ``'exp_range'`` (times ``gamma ** step``), or by your ``scale_fn`` of the cycle
    number or the step (``scale_mode``). Step it after every batch. Momentum moves the other
    way between ``max_momentum`` and ``base_momentum``.

    >>> scheduler = CyclicLR(optimizer, base_lr=1e-3, max_lr=1e-2, step_size_up=200)
    """

    _unsaved = ("optimizer", "scale_fn")

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9):
        _require(_is_positive_int(step_size_up), "CyclicLR",
                 f"step_size_up must be a positive int, got {step_size_up!r}")
        _require(step_size_down is None or _is_positive_int(step_size_down), "CyclicLR",
                 f"step_size_down must be None or a positive int, got {step_size_down!r}")
        if scale_fn is None:
            policies = {"triangular": (lambda cycle: 1.0, "cycle"),
                        "triangular2": (lambda cycle: 1 / (2.0 ** (cycle - 1)), "cycle"),
                        "exp_range": (lambda step: gamma ** step, "iterations")}
            _require(mode in policies, "CyclicLR",
                     f"mode must be one of {sorted(policies)}, got {mode!r}")
            scale_fn, scale_mode = policies[mode]
        _require(scale_mode in ("cycle", "iterations"), "CyclicLR",
                 f"scale_mode must be 'cycle' or 'iterations', got {scale_mode!r}")
        self.scale_fn, self.scale_mode = scale_fn, scale_mode
        self.total_size = float(step_size_up + (step_size_down or step_size_up))
        self.step_ratio = step_size_up / self.total_size
        self.max_lrs = _per_group("CyclicLR", "max_lr", max_lr, optimizer)
        base_lrs = _per_group("CyclicLR", "base_lr", base_lr, optimizer)
        for group, lr in zip(optimizer.param_groups, base_lrs):
            group["initial_lr"] = lr  # the cycle starts at base_lr, whatever lr was
        super().__init__(optimizer, cycle_momentum, base_momentum, max_momentum)

    def _height_and_scale(self):
        """Where in the cycle the step is (0 at ``base_lr``, 1 at ``max_lr``) and the
        amplitude's scale, in PyTorch's arithmetic so that the numbers match it."""
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            height = x / self.step_ratio
        else:
            height = (x - 1) / (self.step_ratio - 1)
        return height, self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)

    def get_lr(self):
        height, scale = self._height_and_scale()
        return [base + (top - base) * height * scale
                for base, top in zip(self.base_lrs, self.max_lrs)]

    def get_momentum(self):
        height, scale = self._height_and_scale()
        return [top - (top - base) * height * scale
                for base, top in zip(self.base_momentums, self.max_momentums)]


class OneCycleLR(_MomentumCycling):
    """The 1cycle policy (Smith & Topin 2019): the lr rises from ``max_lr / div_factor`` to
    ``max_lr`` over the first ``pct_start`` of ``total_steps`` (or ``epochs *
    steps_per_epoch``), then anneals (``'cos'`` or ``'linear'``) to
    ``max_lr / div_factor / final_div_factor``; ``three_phase=True`` comes back down to the
    start before the final anneal, as in the paper. Momentum moves the other way. Step it
    after every batch; stepping past ``total_steps`` is an error.

    >>> scheduler = OneCycleLR(optimizer, max_lr=0.1, epochs=10, steps_per_epoch=len(batches))
    """

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False):
        if total_steps is None:
            _require(_is_positive_int(epochs) and _is_positive_int(steps_per_epoch),
                     "OneCycleLR", "pass total_steps, or epochs and steps_per_epoch (positive "
                     f"ints), got epochs={epochs!r}, steps_per_epoch={steps_per_epoch!r}")
            total_steps = epochs * steps_per_epoch
        _require(_is_positive_int(total_steps), "OneCycleLR",
                 f"total_steps must be a positive int, got {total_steps!r}")
        _require(0 <= pct_start <= 1, "OneCycleLR", f"pct_start must be in [0, 1], got {pct_start}")
        _require(anneal_strategy in ("cos", "linear"), "OneCycleLR",
                 f"anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}")
        _require(div_factor > 0 and final_div_factor > 0, "OneCycleLR",
                 "div_factor and final_div_factor must be > 0, got "
                 f"{div_factor} and {final_div_factor}")
        self.total_steps = total_steps
        self.anneal_strategy = anneal_strategy
        warm = float(pct_start * total_steps) - 1
        # (last step of the phase, lr from -> to, momentum from -> to), PyTorch's phases
        if three_phase:
            self._phases = [(warm, "initial", "max", "max", "base"),
                            (2 * warm, "max", "initial", "base", "max"),
                            (total_steps - 1, "initial", "min", "max", "max")]
        else:
            self._phases = [(warm, "initial", "max", "max", "base"),
                            (total_steps - 1, "max", "min", "base", "max")]
        ends = [phase[0] for phase in self._phases]
        _require(all(b > a for a, b in zip([0.0] + ends, ends)), "OneCycleLR",
                 f"pct_start={pct_start} with total_steps={total_steps} leaves a phase without "
                 "steps; use more total_steps or a pct_start further from 0 and 1")
        max_lrs = _per_group("OneCycleLR", "max_lr", max_lr, optimizer)
        self._lr_points = [{"initial": top / div_factor, "max": top,
                            "min": top / div_factor / final_div_factor} for top in max_lrs]
        for group, points in zip(optimizer.param_groups, self._lr_points):
            group["initial_lr"] = points["initial"]
        super().__init__(optimizer, cycle_momentum, base_momentum, max_momentum)

    def _anneal(self, start, end, pct):
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def _position(self):
        """The current phase and the fraction of it done."""
        _require(self.last_epoch <= self.total_steps, "OneCycleLR",
                 f"tried to step {self.last_epoch} times, but total_steps is {self.total_steps}; "
                 "build the schedule with more total_steps (or epochs)")
        start = 0.0
        for phase in self._phases:
            if self.last_epoch <= phase[0] or phase is self._phases[-1]:
                return phase, (self.last_epoch - start) / (phase[0] - start)
            start = phase[0]

    def get_lr(self):
        (_, lr_from, lr_to, _, _), pct = self._position()
        return [self._anneal(points[lr_from], points[lr_to], pct) for points in self._lr_points]

    def get_momentum(self):
        (_, _, _, m_from, m_to), pct = self._position()
        momentums = {"base": self.base_momentums, "max": self.max_momentums}
        return [self._anneal(start, end, pct)
                for start, end in zip(momentums[m_from], momentums[m_to])]


class SequentialLR(LRScheduler):
    """Run ``schedulers`` one after another, switching at ``milestones`` (one fewer than
    schedulers); each starts from its own step 0.

    >>> warmup = LinearLR(optimizer, start_factor=0.1, total_iters=5)
    >>> decay = CosineAnnealingLR(optimizer, T_max=95)
    >>> scheduler = SequentialLR(optimizer, [warmup, decay], milestones=[5])
    """

    _unsaved = ("optimizer", "schedulers")

    def __init__(self, optimizer, schedulers, milestones):
        schedulers, milestones = list(schedulers), list(milestones)
        _require(len(schedulers) >= 1, "SequentialLR", "needs at least one scheduler")
        _require(len(milestones) == len(schedulers) - 1, "SequentialLR",
                 f"got {len(schedulers)} schedulers and {len(milestones)} milestones; pass one "
                 "milestone fewer than schedulers")
        _require(milestones == sorted(milestones) and all(m > 0 for m in milestones),
                 "SequentialLR", f"milestones must be increasing and > 0, got {milestones}")
        for i, scheduler in enumerate(schedulers):
            _require(not isinstance(scheduler, ReduceLROnPlateau), "SequentialLR",
                     f"scheduler {i} is a ReduceLROnPlateau, whose step needs a metric")
            _require(getattr(scheduler, "optimizer", None) is optimizer, "SequentialLR",
                     f"scheduler {i} ({type(scheduler).__name__}) belongs to another optimizer")
        self.schedulers = schedulers
        self.milestones = milestones
        super().__init__(optimizer)

    def _apply(self):
        index = bisect_right(self.milestones, self.last_epoch)
        scheduler = self.schedulers[index]
        scheduler.last_epoch = self.last_epoch - ([0] + self.milestones)[index]
        scheduler._apply()
        self._last_lr = scheduler.get_last_lr()

    def state_dict(self):
        return {**super().state_dict(),
                "schedulers": [scheduler.state_dict() for scheduler in self.schedulers]}

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        for scheduler, saved in zip(self.schedulers, state_dict.pop("schedulers"), strict=True):
            scheduler.load_state_dict(saved)
        super().load_state_dict(state_dict)


class ReduceLROnPlateau(LRScheduler):
    """Multiply each group's lr by ``factor`` (not below ``min_lr``) once the metric passed to
    ``step(metric)`` has not improved for more than ``patience`` steps; then wait
    ``cooldown`` steps before counting again. An improvement beats the best by more than
    ``threshold``: relative (``best * (1 - threshold)`` in ``mode='min'``) or absolute
    (``best - threshold``). Changes smaller than ``eps`` are skipped.

    >>> scheduler = ReduceLROnPlateau(optimizer, factor=0.5, patience=3)
    >>> scheduler.step(validation_loss())   # once per epoch
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8):
        _require(mode in ("min", "max"), "ReduceLROnPlateau",
                 f"mode must be 'min' or 'max', got {mode!r}")
        _require(threshold_mode in ("rel", "abs"), "ReduceLROnPlateau",
                 f"threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        _require(0 <= factor < 1, "ReduceLROnPlateau", f"factor must be in [0, 1), got {factor}")
        _require(isinstance(patience, int) and patience >= 0, "ReduceLROnPlateau",
                 f"patience must be an int >= 0, got {patience!r}")
        _require(isinstance(cooldown, int) and cooldown >= 0, "ReduceLROnPlateau",
                 f"cooldown must be an int >= 0, got {cooldown!r}")
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.eps = cooldown, eps
        self.min_lrs = _per_group("ReduceLROnPlateau", "min_lr", min_lr, optimizer)
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]
        super().__init__(optimizer)

    def get_lr(self):
        """The rates this schedule last set: it changes them only in `step`, on a plateau."""
        return list(self._last_lr)

    def _is_better(self, metric):
        relative = self.threshold_mode == "rel"
        if self.mode == "min":
            return metric < (self.best * (1 - self.threshold) if relative
                             else self.best - self.threshold)
        return metric > (self.best * (1 + self.threshold) if relative
                         else self.best + self.threshold)

    def _reduced(self, lr, min_lr):
        new_lr = max(lr * self.factor, min_lr)
        return new_lr if lr - new_lr > self.eps else lr

    def step(self, metrics):
        """Record this epoch's metric (a number or a 0-d Tensor); reduce the rates on a plateau."""
        metric = float(metrics)
        self._note_step()
        self.last_epoch += 1
        if self._is_better(metric):
            self.best, self.num_bad_epochs = metric, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs during a cooldown do not count
        lrs = [group["lr"] for group in self.optimizer.param_groups]
        if self.num_bad_epochs > self.patience:
            lrs = [self._reduced(lr, min_lr) for lr, min_lr in zip(lrs, self.min_lrs)]
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._set_lrs(lrs)
