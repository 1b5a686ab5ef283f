"""`Optimizer`: the base of every optimizer (parameter groups, state, saving and resuming).

A subclass states its update rule once, in ``_update(p, grad, state, group)``, with autograd
ops and operators. The base runs that rule in one of two ways:

- a normal step: on the raw ndarrays under ``no_grad`` (the ops then run plain numpy), and
  the result is copied into ``p.data`` in place;
- with ``differentiable=True``: on the Tensors themselves with grad mode on, so the new
  parameter is recorded as a function of the old one, of its gradient (differentiable when
  made with ``backward(create_graph=True)``), of the state and of any hyperparameter given
  as a Tensor. The new tensor replaces the old one in ``param_groups[i]['params']``.
"""
import copy
from collections import defaultdict

import numpy as np

from autograd import Tensor, enable_grad, no_grad

__all__ = ["Optimizer"]


def _plain(value):
    """A hyperparameter for the numpy step: Tensors and numpy numbers become Python numbers
    (a float64 array or scalar would upcast float32 parameters; a Python float does not)."""
    if isinstance(value, (Tensor, np.ndarray, np.generic)):
        return value.item()
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def active(value):
    """Whether a term with this coefficient takes part in the update: a nonzero number, or a
    Tensor (whose gradient is wanted even at 0, e.g. a hypergradient of weight decay)."""
    return isinstance(value, Tensor) or value != 0


def _copy(value):
    """A deep copy for `state_dict`: Tensors (perhaps in a graph) are saved as arrays."""
    if isinstance(value, Tensor):
        return np.array(value.data)
    return copy.deepcopy(value)


class Optimizer:
    """Base class of the optimizers: holds ``param_groups`` (a list of dicts, each with its
    ``'params'`` and its own hyperparameters, ``defaults`` filling in the rest) and
    ``state`` (a dict per parameter, e.g. a momentum buffer).

    Subclasses implement ``_update(p, grad, state, group)`` returning the new value of ``p``,
    ``_init_state(p, group)`` (the state before the first step) and ``_check(group)``
    (hyperparameter validation, run for every group).

    >>> opt = optim.SGD([{"params": model.hidden.parameters()},
    ...                  {"params": model.out.parameters(), "lr": 1e-3}], lr=0.1)
    >>> opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()

    Differentiable steps (hypergradients): hyperparameters may be Tensors that require
    grad; train on the group's current tensors through ``nn.utils.functional_call``.

    >>> lr = autograd.tensor(0.1, requires_grad=True)
    >>> names = [name for name, _ in model.named_parameters()]
    >>> opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9, differentiable=True)
    >>> for x, y in train_batches:                       # k unrolled steps
    ...     opt.zero_grad()
    ...     params = dict(zip(names, opt.param_groups[0]["params"]))
    ...     loss_fn(nn.utils.functional_call(model, params, x), y).backward(create_graph=True)
    ...     opt.step()
    >>> params = dict(zip(names, opt.param_groups[0]["params"]))
    >>> (hypergradient,) = autograd.grad(loss_fn(nn.utils.functional_call(model, params,
    ...                                                                    x_val), y_val), lr)

    Use `autograd.grad` there: ``lr.grad`` also collects the training losses' gradients,
    since each training ``backward`` reaches ``lr`` through the earlier steps.
    """

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError(f"{type(self).__name__}: params must be an iterable of Tensors or "
                            "of dicts, got a single Tensor; pass [tensor]")
        groups = self._ordered(params)
        if not groups:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        for group in groups if isinstance(groups[0], dict) else [{"params": groups}]:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        """Add a group of parameters with its own hyperparameters (the others from
        ``defaults``), e.g. a layer unfrozen during fine-tuning with a smaller ``lr``.

        >>> opt.add_param_group({"params": head.parameters(), "lr": 1e-4})
        """
        name = type(self).__name__
        group = dict(param_group)
        if "params" not in group:
            raise ValueError(f"{name}: a parameter group needs a 'params' entry")
        params = group["params"]
        group["params"] = params = [params] if isinstance(params, Tensor) else \
            self._ordered(params)
        for key, default in self.defaults.items():
            group.setdefault(key, default)
        for p in params:
            self._check_param(p, group)
        if len({id(p) for p in params}) != len(params):
            raise ValueError(f"{name}: a parameter appears twice in the same group")
        taken = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in taken for p in params):
            raise ValueError(f"{name}: some parameters appear in more than one parameter "
                             "group; give each parameter to one group only")
        self._check(group)
        self.param_groups.append(group)

    def _ordered(self, params):
        if isinstance(params, (set, frozenset)):
            raise TypeError(f"{type(self).__name__}: parameters must come in an ordered "
                            "collection (a list or a tuple), not a set, so that their order "
                            "(and so state_dict) is repeatable")
        return list(params)

    def _check_param(self, p, group):
        name = type(self).__name__
        if not isinstance(p, Tensor):
            raise TypeError(f"{name}: can only optimize Tensors, got {type(p).__name__}")
        if not p.is_leaf and not group.get("differentiable"):
            raise ValueError(f"{name}: cannot optimize a non-leaf tensor (made by "
                             f"{p.grad_fn.name}) in place; pass p.detach().requires_grad_(), "
                             "or construct the optimizer with differentiable=True")

    def _check(self, group):
        """Raise ValueError for an invalid hyperparameter of ``group`` (subclasses)."""

    def _check_at_least_zero(self, group, *keys):
        for key in keys:
            value = _plain(group[key])
            if not value >= 0:
                raise ValueError(f"{type(self).__name__}: {key} must be >= 0, got {value}")

    def _check_below_one(self, group, key, value):
        """``value`` (``group[key]`` or an entry of it, such as a beta) must be in [0, 1)."""
        value = _plain(value)
        if not 0 <= value < 1:
            raise ValueError(f"{type(self).__name__}: {key} must be in [0, 1), got {value}")

    def _init_state(self, p, group):
        """The state of parameter ``p`` (an ndarray or a Tensor) before its first step."""
        return {}

    def _update(self, p, grad, state, group):
        """The new value of ``p`` given its gradient; may update ``state`` (subclasses)."""
        raise NotImplementedError

    # ------------------------------------------------------------ stepping
    def step(self, closure=None):
        """Update every parameter that has a gradient (those whose ``.grad`` is None are
        skipped). ``closure``, if given, recomputes and returns the loss (it is called
        first, with grad enabled); ``step`` returns that loss.

        >>> loss = opt.step(lambda: loss_fn(model(x), y))   # (closure must call backward)
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            if group.get("differentiable"):
                self._differentiable_step(group)
            else:
                self._plain_step(group)
        return loss

    def _state_of(self, p, value, group):
        state = self.state[p]
        if not state:
            state.update(self._init_state(value, group))
        return state

    def _plain_step(self, group):
        plain = {key: _plain(value) for key, value in group.items() if key != "params"}
        with no_grad():
            for p in group["params"]:
                if p.grad is not None:
                    state = self._state_of(p, p.data, plain)
                    grad = np.array(p.grad.data)  # a copy: a rule may keep it as state
                    np.copyto(p.data, self._update(p.data, grad, state, plain))

    def _differentiable_step(self, group):
        params = group["params"]
        for i, p in enumerate(params):
            if p.grad is None:
                continue
            state = self._state_of(p, p, group)
            new = self._update(p, p.grad, state, group)
            if not isinstance(new, Tensor) or not new.requires_grad:
                raise RuntimeError(f"{type(self).__name__}(differentiable=True): the step was "
                                   "not recorded; do not call step() under no_grad()")
            new.retain_grad()  # the next backward(create_graph=True) fills new.grad
            params[i] = new
            self.state[new] = self.state.pop(p)

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter: set them to None (the default: the next
        step skips parameters that then get no gradient) or fill them with zeros.

        >>> opt.zero_grad()
        """
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.grad = None if set_to_none else Tensor(np.zeros_like(p.data))

    # ------------------------------------------------------------ saving and resuming
    def state_dict(self):
        """The optimizer's state as PyTorch lays it out: ``{'state': {index: {...}},
        'param_groups': [{..., 'params': [indices]}]}``, parameters numbered in group order.
        Arrays are copies, so the dict can be saved while training goes on.

        >>> checkpoint = {"model": model.state_dict(), "optimizer": opt.state_dict()}
        """
        index = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                ids.append(index.setdefault(id(p), len(index)))
            saved = {key: _copy(value) for key, value in group.items() if key != "params"}
            groups.append({**saved, "params": ids})
        state = {index[id(p)]: {key: _copy(value) for key, value in s.items()}
                 for p, s in self.state.items() if id(p) in index and s}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyperparameters and state saved by `state_dict` into an optimizer built on
        the same parameter groups (same sizes, same order), so that training continues
        exactly as if it had not stopped. Floating state takes each parameter's dtype.

        >>> opt.load_state_dict(checkpoint["optimizer"])
        """
        name = type(self).__name__
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}.load_state_dict: the saved state has {len(saved_groups)} "
                             f"parameter groups, this optimizer {len(self.param_groups)}")
        sizes = [len(g["params"]) for g in self.param_groups]
        saved_sizes = [len(g["params"]) for g in saved_groups]
        if sizes != saved_sizes:
            raise ValueError(f"{name}.load_state_dict: the saved groups hold {saved_sizes} "
                             f"parameters, this optimizer's hold {sizes}; build the optimizer "
                             "on the same parameters in the same order")
        by_index = {}
        for group, saved in zip(self.param_groups, saved_groups):
            by_index.update(zip(saved["params"], group["params"]))
            group.update({key: copy.deepcopy(value) for key, value in saved.items()
                          if key != "params"})
        self.state = defaultdict(dict)
        for i, s in state_dict["state"].items():
            p = by_index[i]
            self.state[p] = {key: _like(value, p) for key, value in s.items()}

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {key}: {group[key]}" for key in sorted(group) if key != "params"]
        return "\n".join(lines + [")"])


def _like(value, p):
    """A saved state entry as a fresh array of parameter ``p``'s dtype (floating arrays), or
    a copy of it (step counts and other numbers)."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.array(value, dtype=p.dtype)
    return copy.deepcopy(value)
