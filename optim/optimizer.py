"""`Optimizer`: the base of every optimizer (parameter groups, state, saving and resuming).

A subclass states its update rule once, in ``_update(p, grad, state, group)``, with autograd
ops and operators. The base runs that rule in one of two ways:

- a normal step: on the raw ndarrays under ``no_grad`` (the ops then run plain numpy). The
  rules write state and parameter updates with `average`, `descend` and `scale`, which
  change arrays in place (no new array per step, no temporary the size of the parameter)
  and build new tensors on the differentiable path: one rule serves both. ``grad`` is then
  ``p.grad``'s own array, read-only: a rule that keeps it as state keeps
  ``autograd.clone(grad)`` (a later backward adds into ``p.grad`` in place). The
  parameter's version counts the step, so a graph that saved the old value refuses to
  backpropagate through it;
- with ``differentiable=True``: on the Tensors themselves with grad mode on, so the new
  parameter is recorded as a function of the old one, of its gradient (differentiable when
  made with ``backward(create_graph=True)``), of the state and of any hyperparameter given
  as a Tensor. The new tensor replaces the old one in ``param_groups[i]['params']``.
"""
import copy
import numbers
from collections import defaultdict

import numpy as np

import autograd
from autograd import Tensor, enable_grad, no_grad
from autograd.extend import increment_version, raw
from autograd.func import BatchingError

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


def l2_decay(grad, p, group):
    """``grad + weight_decay · p``: weight decay as an L2 term added to the gradient (PyTorch's
    coupled form, shared by every optimizer that has it)."""
    decay = group["weight_decay"]
    return grad + decay * p if active(decay) else grad


def _in_place(*values):
    """True on the plain step: every operand a plain array or number, none a Tensor."""
    return not any(isinstance(v, Tensor) for v in values)


_BLOCK = 1 << 17  # elements per block of `_add_scaled`: a scratch of 512 KiB in float32
_RULE_BLOCK = 1 << 15  # elements per block of a whole elementwise rule (see `_run_in_blocks`)


def _add_scaled(out, weight, value):
    """``out += weight · value`` in place, without a temporary the size of ``out``: large
    contiguous arrays go through in blocks of `_BLOCK` elements with one small scratch
    (which also stays in cache); anything else (small, strided, mixed dtypes) in one go."""
    if out.size <= _BLOCK or type(value) is not np.ndarray or value.shape != out.shape \
            or not (out.flags.c_contiguous and value.flags.c_contiguous) \
            or not out.dtype == value.dtype == np.result_type(value, weight):
        out += weight * value
        return
    out, value = out.reshape(-1), value.reshape(-1)
    scratch = np.empty(_BLOCK, out.dtype)
    for start in range(0, out.size, _BLOCK):
        block = value[start:start + _BLOCK]
        part = scratch[:len(block)]
        np.multiply(block, weight, out=part)
        out[start:start + _BLOCK] += part


def average(state, key, decay, value, weight=1):
    """``state[key] ← decay · state[key] + weight · value`` (a running average or sum),
    returned. In place on the plain step; a new recorded tensor on a differentiable one."""
    old = state[key]
    if type(old) is np.ndarray and old.flags.writeable and _in_place(value, decay, weight):
        if decay != 1:
            old *= decay
        if weight == 1:
            old += value
        else:
            _add_scaled(old, weight, value)
        return old
    state[key] = new = decay * old + weight * value
    return new


def descend(p, rate, direction):
    """``p − rate · direction``: in place on the plain step's parameter array."""
    if type(p) is np.ndarray and _in_place(rate, direction):
        _add_scaled(p, -rate, direction)
        return p
    return p - rate * direction


def scale(p, factor):
    """``p · factor`` (decoupled weight decay): in place on the plain step's array."""
    if type(p) is np.ndarray and _in_place(factor):
        p *= factor
        return p
    return p * factor


def safe_sqrt(v):
    """√v for the update rules. On arrays (the plain step) it is ``autograd.sqrt``; on a
    Tensor it has the same values, but where v == 0 its derivative is 0 instead of
    0 · inf = NaN: a coordinate whose gradient stays exactly 0 (a dead unit) must not turn
    every hypergradient into NaN. (v is 0 there for every nearby hyperparameter, so 0 is
    the exact derivative.)"""
    if not isinstance(v, Tensor):
        return autograd.sqrt(v)
    zero = v.numpy() == 0
    return autograd.where(zero, 0, autograd.sqrt(autograd.where(zero, 1, v)))


def _in_dtype(value, dtype):
    """A hyperparameter for a parameter of ``dtype``: a Tensor of another dtype goes through
    a (differentiable) cast, so that a float64 ``lr`` does not turn float32 parameters into
    float64 ones (PyTorch's 0-d tensors do not promote either)."""
    if isinstance(value, tuple):
        return tuple(_in_dtype(v, dtype) for v in value)
    if isinstance(value, Tensor) and value.dtype != dtype:
        return autograd.astype(value, dtype)
    return value


def _copy(value):
    """A deep copy for `state_dict`: Tensors (perhaps in a graph) are saved as arrays."""
    if isinstance(value, Tensor):
        return np.array(value.numpy())
    return copy.deepcopy(value)


class Optimizer:
    """Base class of the optimizers: holds ``param_groups`` (a list of dicts, each with its
    ``'params'`` and its own hyperparameters, ``defaults`` filling in the rest) and
    ``state`` (a dict per parameter, e.g. a momentum buffer).

    Subclasses implement ``_update(p, grad, state, group)`` returning the new value of ``p``,
    ``_init_state(p, group)`` (the state before the first step) and ``_check(group)``
    (hyperparameter validation, run for every group). A rule that mixes elements (a norm of
    the whole tensor, as LARS's trust ratio) sets ``elementwise = False``; the plain step
    runs every other rule on blocks of a large parameter, so its temporaries (g², √v, m/d...)
    are block-sized, never the parameter's size.

    >>> hidden, out = model[0], model[2]
    >>> opt = optim.SGD([{"params": hidden.parameters()},
    ...                  {"params": out.parameters(), "lr": 1e-3}], lr=0.1)
    >>> opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()

    Differentiable steps (hypergradients): hyperparameters may be Tensors that require
    grad; train on the group's current tensors through ``nn.utils.functional_call``, and
    give ``backward`` those tensors as ``inputs``:

    >>> lr = autograd.tensor(0.1, requires_grad=True)
    >>> names = [name for name, _ in model.named_parameters()]
    >>> opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9, differentiable=True)
    >>> for x, y in train_batches:                       # k unrolled steps
    ...     opt.zero_grad()
    ...     params = opt.param_groups[0]["params"]
    ...     loss = loss_fn(nn.utils.functional_call(model, dict(zip(names, params)), x), y)
    ...     loss.backward(create_graph=True, inputs=params)
    ...     opt.step()
    >>> params = dict(zip(names, opt.param_groups[0]["params"]))
    >>> (hypergradient,) = autograd.grad(loss_fn(nn.utils.functional_call(model, params,
    ...                                                                    x_val), y_val), lr)
    >>> hypergradient.shape                  # d(validation loss) / d(lr), a scalar
    ()

    ``inputs=params`` stops each training backward at the current parameters, which is all
    ``step`` needs. Without it (plain ``backward(create_graph=True)``, still correct) the
    backward goes on through every earlier step, to the first weights and to ``lr``, and
    leaves graph-carrying gradients there: each step costs more than the one before, so
    time and memory grow with the square of the number of steps, and ``lr.grad`` collects
    the training losses' gradients too. (Several groups: ``inputs=[p for g in
    opt.param_groups for p in g["params"]]``.)
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
        dicts = [isinstance(g, dict) for g in groups]
        if any(dicts) and not all(dicts):
            raise TypeError(f"{type(self).__name__}: params mixes dicts (parameter groups) and "
                            "Tensors; pass a list of Tensors or a list of dicts")
        for group in groups if dicts[0] else [{"params": groups}]:
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
        name = type(self).__name__
        if isinstance(params, (set, frozenset)):
            raise TypeError(f"{name}: parameters must come in an ordered collection (a list or "
                            "a tuple), not a set, so that their order (and so state_dict) is "
                            "repeatable")
        try:
            return list(params)
        except TypeError:
            raise TypeError(f"{name}: params must be an iterable of Tensors or of dicts, got "
                            f"{type(params).__name__}; pass model.parameters()") from None

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

    def _number(self, key, value):
        """Hyperparameter ``key`` as a Python number: it must be a real number, or a 0-d
        Tensor or array (one value for the whole group, whatever the parameter's shape)."""
        name = type(self).__name__
        if isinstance(value, (Tensor, np.ndarray)):
            if value.ndim != 0:
                raise ValueError(f"{name}: {key} must be a number or a 0-d Tensor, got a "
                                 f"{type(value).__name__} of shape {value.shape}")
            return value.item()
        if not isinstance(value, numbers.Real):
            raise TypeError(f"{name}: {key} must be a number, got {type(value).__name__} "
                            f"{value!r}")
        return value

    def _check_at_least_zero(self, group, *keys):
        for key in keys:
            value = self._number(key, group[key])
            if not value >= 0:
                raise ValueError(f"{type(self).__name__}: {key} must be >= 0, got {value}")

    def _check_below_one(self, group, key, value):
        """``value`` (``group[key]`` or an entry of it, such as a beta) must be in [0, 1)."""
        value = self._number(key, value)
        if not 0 <= value < 1:
            raise ValueError(f"{type(self).__name__}: {key} must be in [0, 1), got {value}")

    def _init_state(self, p, group):
        """The state of parameter ``p`` (an ndarray or a Tensor) before its first step."""
        return {}

    def _update(self, p, grad, state, group):
        """The new value of ``p`` given its gradient; may update ``state`` (subclasses)."""
        raise NotImplementedError

    elementwise = True  # each element's update reads only that element of p, grad and state

    def _makes_temporaries(self, group):
        """Whether the plain rule makes arrays of the parameter's size (g², √v...), which
        running it in blocks avoids; a rule that makes none is cheaper run whole."""
        return True

    def _run_in_blocks(self, p, grad, state, group):
        """The plain step's ``_update`` on a large C-ordered parameter, `_RULE_BLOCK`
        elements at a time: every array of the rule is then a block-sized view or
        temporary (in cache, too), and the results are the elements the whole-array rule
        gives, bit for bit. Each block starts from the step's scalar state (the step count);
        arrays a rule creates (a first momentum buffer) are assembled whole."""
        flat_p, flat_grad = p.reshape(-1), grad.reshape(-1)
        whole = {key: value.reshape(-1) for key, value in state.items()
                 if type(value) is np.ndarray and value.shape == p.shape
                 and value.flags.c_contiguous}
        scalars = {key: value for key, value in state.items() if key not in whole}
        made = {}  # arrays the rule creates (a first momentum buffer), gathered whole
        for start in range(0, flat_p.size, _RULE_BLOCK):
            part = slice(start, start + _RULE_BLOCK)
            block = flat_p[part]
            views = {key: value[part] for key, value in whole.items()}
            block_state = {**scalars, **views}
            new = self._update(block, flat_grad[part], block_state, group)
            if new is not block:
                block[...] = new
            for key, value in block_state.items():
                if key in views and value is views[key]:
                    continue
                if type(value) is np.ndarray and value.shape == block.shape:
                    target = whole.get(key)
                    if target is None:
                        target = made.get(key)
                    if target is None:
                        target = made[key] = np.empty(flat_p.shape, value.dtype)
                    target[part] = value
                else:
                    state[key] = value  # a scalar: every block computes the same
        for key, value in {**whole, **made}.items():
            state[key] = value.reshape(p.shape)
        return p

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
        self._refuse_batched(group)
        with no_grad():
            for p in group["params"]:
                if p.grad is not None:
                    state = self._state_of(p, p.numpy(), plain)
                    # the gradient itself, read only (a rule that keeps it as state takes
                    # its own copy); copied into C order only when it arrives transposed,
                    # which would make every later op on the state slow
                    grad = p.grad.numpy()
                    if not grad.flags.c_contiguous:
                        grad = np.array(grad, order="C")
                    values = raw(p)  # the rule updates p's own array in place, counted below
                    blocked = self.elementwise and values.size > _RULE_BLOCK \
                        and values.flags.c_contiguous and self._makes_temporaries(plain)
                    new = (self._run_in_blocks if blocked else self._update)(
                        values, grad, state, plain)
                    if new is values:
                        increment_version(p)
                    else:
                        p.copy_(new)

    def _refuse_batched(self, group):
        """Inside vmap a parameter or gradient may be batched (their values unreadable): the
        step, an in-place update of each parameter, is refused before it changes any
        (vmap's fallback would run it once per sample), as PyTorch's optimizers refuse it."""
        for p in group["params"]:
            try:
                if p.grad is not None:
                    raw(p), raw(p.grad)
            except BatchingError as err:
                raise RuntimeError(
                    f"vmap: {type(self).__name__}.step: a parameter (shape {tuple(p.shape)}) "
                    "or its gradient is batched by vmap, and a step updates each parameter "
                    "in place, once: every sample would update it. Compute per-sample "
                    "gradients with vmap (vmap(grad(loss), in_dims=...)), reduce them (e.g. "
                    ".mean(0)) and step outside vmap") from err

    def _differentiable_step(self, group):
        params = group["params"]
        for i, p in enumerate(params):
            if p.grad is None:
                continue
            hyper = {key: _in_dtype(value, p.dtype) for key, value in group.items()}
            state = self._state_of(p, p, hyper)
            new = self._update(p, p.grad, state, hyper)
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
                    p.grad = None if set_to_none else Tensor(np.zeros_like(p.numpy()))

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
        """Restore hyperparameters and state saved by `state_dict` into an optimizer of the
        same class built on the same parameter groups (same sizes, same order, same shapes),
        so that training continues exactly as if it had not stopped. Floating state takes
        each parameter's dtype. A state that does not fit is refused before anything changes.

        >>> opt.load_state_dict(checkpoint["optimizer"])
        """
        where = f"{type(self).__name__}.load_state_dict"
        if not (isinstance(state_dict, dict) and {"state", "param_groups"} <= state_dict.keys()):
            raise ValueError(f"{where}: expected a dict with 'state' and 'param_groups' (what "
                             f"state_dict() returns), got {_describe(state_dict)}")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{where}: the saved state has {len(saved_groups)} parameter "
                             f"groups, this optimizer {len(self.param_groups)}")
        sizes = [len(g["params"]) for g in self.param_groups]
        saved_sizes = [len(g["params"]) for g in saved_groups]
        if sizes != saved_sizes:
            raise ValueError(f"{where}: the saved groups hold {saved_sizes} parameters, this "
                             f"optimizer's hold {sizes}; build the optimizer on the same "
                             "parameters in the same order")
        by_index, groups = {}, []
        for k, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            missing = [key for key in self.defaults if key not in saved]
            if missing:
                raise ValueError(f"{where}: saved parameter group {k} has no {missing}, which "
                                 f"{type(self).__name__} needs; was it saved by another "
                                 "optimizer class?")
            loaded = {**group, **{key: copy.deepcopy(value) for key, value in saved.items()
                                  if key != "params"}}
            groups.append(loaded)
            by_index.update((i, (p, loaded)) for i, p in zip(saved["params"], group["params"]))
        state = defaultdict(dict)
        for i, saved in state_dict["state"].items():
            if i not in by_index:
                raise ValueError(f"{where}: the saved state is for parameter {i!r}, but the "
                                 f"saved groups number their parameters {sorted(by_index)}")
            p, group = by_index[i]
            self._check_saved_state(where, i, saved, p, group)
            state[p] = {key: _like(value, p) for key, value in saved.items()}
        for group, loaded in zip(self.param_groups, groups):
            group.update(loaded)
        self.state = state

    def _check_saved_state(self, where, i, saved, p, group):
        """Refuse the saved state of parameter ``i`` if this optimizer (with the loaded
        hyperparameters) keeps other entries, or if an array has not the parameter's shape."""
        missing = sorted(set(self._init_state(p, group)) - set(saved))
        if missing:
            raise ValueError(f"{where}: the saved state of parameter {i} has no {missing} (it "
                             f"holds {sorted(saved)}), which {type(self).__name__} keeps; was "
                             "it saved by another optimizer class?")
        for key, value in saved.items():
            if isinstance(value, np.ndarray) and value.shape != p.shape:
                raise ValueError(f"{where}: the saved {key!r} of parameter {i} has shape "
                                 f"{value.shape}, but the parameter has shape {p.shape}; build "
                                 "the optimizer on the same parameters in the same order")

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {key}: {group[key]}" for key in sorted(group) if key != "params"]
        return "\n".join(lines + [")"])


def _describe(value):
    if isinstance(value, dict):
        return f"a dict with keys {sorted(map(str, value))}"
    return f"a {type(value).__name__}"


def _like(value, p):
    """A saved state entry as a fresh array of parameter ``p``'s dtype (floating arrays), or
    a copy of it (step counts and other numbers)."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.array(value, dtype=p.dtype)
    return copy.deepcopy(value)
