"""`Module`: the base class of every layer, with PyTorch's registration semantics.

Assigning a `Parameter` or a `Module` to an attribute registers it; `register_buffer` adds
state that is saved but not learned (batch norm's running statistics). Everything else
(`parameters()`, `state_dict()`, `train()`...) walks those three registries.
"""
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

import numpy as np

import autograd
from autograd import AutogradError, Tensor
from autograd.dtypes import as_dtype, is_device

from ..functional._checks import _float_input
from ..parameter import Parameter

__all__ = ["Module", "StateDictError"]

class StateDictError(AutogradError, RuntimeError):
    """`load_state_dict` found missing, unexpected or mis-shaped entries."""


IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Module:
    """Base class of layers and models: subclass it, assign parameters and sub-modules in
    ``__init__`` (after ``super().__init__()``), and define ``forward``.

    >>> class TwoLayer(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = nn.Linear(4, 8)
    ...         self.out = nn.Linear(8, 1)
    ...     def forward(self, x):
    ...         return self.out(self.hidden(x).relu())
    >>> model = TwoLayer()
    >>> [name for name, _ in model.named_parameters()]
    ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
    """

    # What the first input of ``__call__`` is, declared by each layer class (inherited):
    # "float": a floating-point tensor; array-likes are converted as `autograd.tensor` does,
    #     integers and a float dtype other than the parameters' are refused by the layer's
    #     name, and library errors from forward get the layer's name in front;
    # "ids": integer ids (Embedding), checked by the layer's own function;
    # None: not checked here (containers, Identity, a forward that checks for itself, and
    #     any subclass that declares nothing: it may take indices, dicts...).
    _input_kind = None

    def __init__(self):
        for name, value in (("training", True), ("_parameters", {}), ("_buffers", {}),
                            ("_non_persistent", set()), ("_modules", {}),
                            ("_forward_pre_hooks", {}), ("_forward_hooks", {})):
            object.__setattr__(self, name, value)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward(...)")

    def __call__(self, *args, **kwargs):
        checks = self._input_kind == "float"
        if args and checks:  # one input rule for every layer and loss that declares it
            args = (_float_input(type(self).__name__, args[0], self._own_float_dtype()),) \
                + args[1:]
        for hook, with_kwargs, _ in list(self._forward_pre_hooks.values()):
            if with_kwargs:
                replaced = hook(self, args, kwargs)
                if replaced is not None:
                    args, kwargs = replaced
            else:
                replaced = hook(self, args)
                if replaced is not None:
                    args = replaced if isinstance(replaced, tuple) else (replaced,)
        out = self._named_forward(*args, **kwargs) if checks else \
            self.forward(*args, **kwargs)
        for hook, with_kwargs, _ in list(self._forward_hooks.values()):
            replaced = hook(self, args, kwargs, out) if with_kwargs else hook(self, args, out)
            if replaced is not None:
                out = replaced
        return out

    def _named_forward(self, *args, **kwargs):
        """forward; a library error that names neither this layer nor its function (an axis
        out of range deep in an op) gets the layer's name in front."""
        try:
            return self.forward(*args, **kwargs)
        except AutogradError as error:
            name = type(self).__name__
            if name.lower().removesuffix("loss") in str(error).lower().replace("_", ""):
                raise
            raise type(error)(f"{name}: {error}").with_traceback(error.__traceback__) from None

    def _own_float_dtype(self):
        """The dtype of this module's own floating parameters and buffers (None if none)."""
        for t in (*self._parameters.values(), *self._buffers.values()):
            if t is not None and t.dtype.kind == "f":
                return t.dtype
        return None

    # ------------------------------------------------------------ registration
    def _registries(self):
        try:
            return self.__dict__["_parameters"], self.__dict__["_buffers"], \
                self.__dict__["_modules"]
        except KeyError:
            raise AttributeError(f"cannot assign to {type(self).__name__} before "
                                 "Module.__init__(): call super().__init__() first") from None

    def __setattr__(self, name, value):
        if hasattr(getattr(type(self), name, None), "__set__"):  # a property decides itself
            object.__setattr__(self, name, value)
            return
        if isinstance(value, (Parameter, Module)):
            params, buffers, modules = self._registries()
            home = params if isinstance(value, Parameter) else modules
            for registry in (self.__dict__, params, buffers, modules):
                if registry is not home:
                    registry.pop(name, None)
            self._non_persistent.discard(name)
            home[name] = value  # a name already there keeps its place in the order
            return
        params, buffers, modules = self.__dict__.get("_parameters"), \
            self.__dict__.get("_buffers"), self.__dict__.get("_modules")
        if params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as parameter '{name}' "
                                f"of {type(self).__name__}: expected nn.Parameter or None")
            params[name] = None
        elif buffers is not None and name in buffers:
            buffers[name] = _as_buffer(type(self).__name__, name, value)
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as sub-module '{name}' "
                                f"of {type(self).__name__}: expected nn.Module or None")
            modules[name] = None
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):  # called only when normal lookup fails
        for registry in ("_parameters", "_buffers", "_modules"):
            found = self.__dict__.get(registry)
            if found is not None and name in found:
                return found[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for registry in ("_parameters", "_buffers", "_modules"):
            found = self.__dict__.get(registry)
            if found is not None and name in found:
                del found[name]
                self._non_persistent.discard(name)
                return
        object.__delattr__(self, name)

    def register_parameter(self, name, param):
        """Add ``param`` (a Parameter, or None for an absent one such as a disabled bias)."""
        params, _, _ = self._registries()
        if param is None:
            self.__dict__.pop(name, None)
            params[name] = None
        elif isinstance(param, Parameter):
            setattr(self, name, param)
        else:
            raise TypeError(f"register_parameter: '{name}' must be an nn.Parameter or None, "
                            f"got {type(param).__name__}; wrap it: nn.Parameter(tensor)")

    def register_buffer(self, name, tensor, persistent=True):
        """Add state that is not learned but is saved (with ``persistent=True``) in
        `state_dict`, moved by `double()`, and swapped by `functional_call`:
        ``self.register_buffer("running_mean", autograd.zeros(n))``."""
        _, buffers, _ = self._registries()
        self.__dict__.pop(name, None)
        buffers[name] = _as_buffer(type(self).__name__, name, tensor)
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)

    def add_module(self, name, module):
        """Register ``module`` (or None) as a sub-module under ``name``."""
        _, _, modules = self._registries()
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: '{name}' must be an nn.Module or None, "
                            f"got {type(module).__name__}")
        if not isinstance(name, str) or not name or "." in name:
            raise KeyError(f"add_module: module name must be a non-empty string without '.', "
                           f"got {name!r}")
        self.__dict__.pop(name, None)
        modules[name] = module

    register_module = add_module

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """Call ``hook(module, args)`` before each forward; a non-None return replaces the
        positional arguments. With ``with_kwargs=True`` it is ``hook(module, args, kwargs)``
        returning None or ``(args, kwargs)``; ``prepend=True`` runs it before the others.
        Returns a handle whose ``remove()`` unregisters it (also usable in ``with``)."""
        return _HookHandle(self._forward_pre_hooks, (hook, with_kwargs, False), prepend)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        """Call ``hook(module, args, output)`` after each forward (``hook(module, args,
        kwargs, output)`` with ``with_kwargs=True``); a non-None return replaces the output.
        ``prepend=True`` runs it first; ``always_call`` is accepted (a forward that raises
        skips the hooks here). Returns a handle whose ``remove()`` unregisters it."""
        return _HookHandle(self._forward_hooks, (hook, with_kwargs, always_call), prepend)

    # ------------------------------------------------------------ walking the tree
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(name, module) for this module and every module below it: each once, or, with
        ``remove_duplicate=False``, once per path to it (a module used twice has two names).
        ``memo`` (PyTorch's) is a set of modules to skip, updated with those yielded."""
        seen, stack = set(), [(prefix, self)]
        skip = memo if memo is not None else set()
        while stack:
            name, module = stack.pop()
            if remove_duplicate and (id(module) in seen or module in skip):
                continue
            seen.add(id(module))
            if memo is not None and remove_duplicate:
                memo.add(module)
            yield name, module
            children = [(f"{name}.{n}" if name else n, m) for n, m in module._modules.items()
                        if m is not None]
            stack.extend(reversed(children))

    def modules(self):
        return (m for _, m in self.named_modules())

    def named_children(self):
        return ((n, m) for n, m in self._modules.items() if m is not None)

    def children(self):
        return (m for _, m in self.named_children())

    def _named_members(self, registry, prefix, recurse, remove_duplicate):
        seen = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) \
            if recurse else [(prefix, self)]
        for path, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield (f"{path}.{name}" if path else name), value

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, Parameter) pairs, each shared parameter once (unless
        ``remove_duplicate=False``), names starting with ``prefix``."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        """Every Parameter of this module and (by default) its sub-modules, each once."""
        return (p for _, p in self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, buffer) pairs, as `named_parameters`."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        return (b for _, b in self.named_buffers(recurse=recurse))

    def _get_member(self, target, registry, what):
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        found = getattr(module, registry)
        if found.get(name) is None:
            raise AttributeError(f"{type(module).__name__} has no {what} '{name}' (looking up "
                                 f"'{target}')")
        return found[name]

    def get_parameter(self, target):
        """The Parameter at dotted path ``target`` ('layer.0.weight')."""
        return self._get_member(target, "_parameters", "parameter")

    def get_buffer(self, target):
        """The buffer at dotted path ``target`` ('bn.running_mean')."""
        return self._get_member(target, "_buffers", "buffer")

    def get_submodule(self, target):
        """The sub-module at dotted path ``target`` ('' is this module)."""
        module = self
        for part in target.split(".") if target else []:
            child = module._modules.get(part)
            if child is None:
                raise AttributeError(f"{type(module).__name__} has no sub-module '{part}' "
                                     f"(looking up '{target}')")
            module = child
        return module

    def apply(self, fn):
        """Call ``fn(module)`` on every sub-module, then on this one (e.g. to initialize)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------ modes and gradients
    def train(self, mode=True):
        """Switch this module and all below it to training (or, with False, eval) mode."""
        if not isinstance(mode, bool):
            raise ValueError(f"train: training mode is expected to be boolean, got {mode!r}")
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self):
        """Evaluation mode: dropout is the identity, batch norm uses running statistics."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Turn gradient tracking on or off for every parameter (e.g. to freeze layers)."""
        for p in self.parameters():
            p.requires_grad = requires_grad
        return self

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's gradient: to None (default) or to zeros."""
        for p in self.parameters():
            p.grad = None if set_to_none or p.grad is None else Tensor(np.zeros_like(p.numpy()))

    # ------------------------------------------------------------ dtype
    def to(self, *args, dtype=None, device=None, non_blocking=False):
        """Cast every floating parameter and buffer (and gradient) to ``dtype``, in place;
        PyTorch's ``model.to(device)`` works too (the CPU is the only device: a no-op), as
        does ``model.to(tensor)`` (that tensor's dtype).

        >>> model.to(autograd.float64)[0].weight.dtype
        dtype('float64')
        """
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, autograd.device) or isinstance(arg, str) and is_device(arg):
                device = arg
            else:
                dtype = arg
        if device is not None:
            autograd.device(device)  # raises for anything but the CPU
        if dtype is None:
            return self
        dtype = as_dtype(dtype, "Module.to")
        for t in list(self.parameters()) + list(self.buffers()):
            if t.dtype.kind == "f":
                t.data = t.numpy().astype(dtype)  # a new array: counted as a change of t
                if t.grad is not None:
                    t.grad = Tensor(t.grad.numpy().astype(dtype))
        return self

    def double(self):
        """Cast to float64, e.g. to gradient-check a whole model."""
        return self.to(np.float64)

    def float(self):
        """Cast to float32."""
        return self.to(np.float32)

    def half(self):
        """Cast to float16 (numpy's half precision: slow, for storage and experiments)."""
        return self.to(np.float16)

    def type(self, dst_type):
        """Cast to ``dst_type`` (a dtype or its name)."""
        return self.to(dtype=dst_type)

    def cpu(self):
        """The CPU is the only device: returns the module itself."""
        return self

    def cuda(self, device=None):
        """Refused clearly: there is no GPU device (use ``cpu()`` or nothing)."""
        autograd.device("cuda" if device is None else f"cuda:{device}")
        return self

    # ------------------------------------------------------------ saving and loading
    def state_dict(self, *, destination=None, prefix="", keep_vars=False):
        """A snapshot of every parameter and persistent buffer, by dotted name (the names
        PyTorch uses for the same layers), each prefixed by ``prefix``. Values are detached
        copies, so training on does not change a saved state (with ``keep_vars=True``, the
        parameters and buffers themselves); ``autograd.save(model.state_dict(), path)``
        writes one. ``destination``: a dict to fill and return."""
        out = OrderedDict() if destination is None else destination
        for key, value in self._state_targets().items():
            out[prefix + key] = value if keep_vars else Tensor(np.array(value.numpy()))
        return out

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Copy values (Tensors or arrays) into the parameters and buffers of the same names.

        Shapes must match. With ``strict=True`` (the default) missing and unexpected keys
        are errors too; otherwise they are returned as ``(missing_keys, unexpected_keys)``.
        Values are copied into the existing arrays, so an optimizer holding the parameters
        keeps working.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"load_state_dict: expected a dict of name -> Tensor or array (as "
                            f"state_dict() returns), got {type(state_dict).__name__}")
        targets = self._state_targets()
        missing = [k for k in targets if k not in state_dict]
        unexpected = [k for k in state_dict if k not in targets]
        mismatched, not_numbers = [], []
        for key, target in targets.items():
            if key in state_dict:
                value = np.asarray(state_dict[key])
                if value.shape != target.shape:
                    mismatched.append(f"{key}: saved {value.shape}, model {target.shape}")
                if value.dtype.kind not in "biuf":  # object arrays (None as NaN), strings
                    not_numbers.append(f"{key} (dtype {value.dtype}; the model's is "
                                       f"{target.dtype})")
        problems = [f"shape mismatch for {m}" for m in mismatched]
        problems += [f"not an array of numbers: {k}" for k in not_numbers]
        if strict and missing:
            problems.append(f"missing key(s): {', '.join(missing)}")
        if strict and unexpected:
            problems.append(f"unexpected key(s): {', '.join(unexpected)}")
        if problems:
            hint = ("; pass strict=False to load only the keys that match"
                    if strict and (missing or unexpected) else "")
            raise StateDictError(f"load_state_dict into {type(self).__name__}: "
                                 + "; ".join(problems) + hint)
        for key, target in targets.items():
            if key in state_dict:
                with autograd.no_grad():  # counted: a graph that saved the tensor notices
                    target.copy_(np.asarray(state_dict[key]))
        return IncompatibleKeys(missing, unexpected)

    def _state_targets(self):
        """Every persistent tensor by each of its names (as PyTorch, a shared sub-module's
        entries appear under every path to it)."""
        targets = OrderedDict()
        for prefix, module in self.named_modules(remove_duplicate=False):
            dot = f"{prefix}." if prefix else ""
            for name, p in module._parameters.items():
                if p is not None:
                    targets[dot + name] = p
            for name, b in module._buffers.items():
                if b is not None and name not in module._non_persistent:
                    targets[dot + name] = b
        return targets

    # ------------------------------------------------------------ printing
    def extra_repr(self):
        """The text inside this module's parentheses in its repr (override in layers)."""
        return ""

    def __repr__(self):
        lines = [self.extra_repr()] if self.extra_repr() else []
        for name, module in self._modules.items():
            child = repr(module).replace("\n", "\n  ")
            lines.append(f"({name}): {child}")
        if not self._modules:
            return f"{type(self).__name__}({''.join(lines)})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


def _as_buffer(owner, name, value):
    if value is None or isinstance(value, Tensor):
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        return Tensor(value)
    raise TypeError(f"cannot assign {type(value).__name__} as buffer '{name}' of {owner}: "
                    "expected an autograd.Tensor, an ndarray or None")


class _HookHandle:
    _next_id = 0

    def __init__(self, hooks, hook, prepend=False):
        self._hooks, self.id = hooks, _HookHandle._next_id
        _HookHandle._next_id += 1
        hooks[self.id] = hook
        if prepend:  # dicts keep insertion order: rebuild with this one first
            rest = [(k, v) for k, v in hooks.items() if k != self.id]
            hooks.clear()
            hooks.update([(self.id, hook), *rest])

    def remove(self):
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
