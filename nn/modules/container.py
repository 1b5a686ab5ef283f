"""Containers: `Sequential` chains modules; `ModuleList` and `ModuleDict` hold them so that
their parameters are registered (a plain list or dict would hide them)."""
from collections import OrderedDict

from autograd import Tensor

from ..parameter import Parameter
from .module import Module

__all__ = ["Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"]


class _Indexed(Module):
    """Modules registered under the names '0', '1', ...: shared by Sequential and ModuleList."""

    _input_kind = None  # Sequential hands its input to its first layer, which checks it

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def _key(self, index):
        if not isinstance(index, int):
            raise TypeError(f"{type(self).__name__} indices must be integers or slices, got "
                            f"{type(index).__name__} {index!r}")
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"{type(self).__name__}: index {index} is out of range for "
                             f"{n} module(s)")
        return list(self._modules)[index % n]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._slice(index)
        return self._modules[self._key(index)]

    def _slice(self, index):
        return type(self)()._reset(list(self)[index])

    def __setitem__(self, index, module):
        self.add_module(self._key(index), module)

    def __delitem__(self, index):
        keys = list(self._modules)[index] if isinstance(index, slice) else [self._key(index)]
        for key in keys:
            del self._modules[key]
        self._reset(list(self))

    def _reset(self, modules):
        """Hold exactly ``modules``, renumbered so the names stay '0'..'n-1'."""
        self._modules.clear()
        for module in modules:
            self.append(module)
        return self

    def append(self, module):
        """Add ``module`` at the end."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        """Add each of ``modules`` at the end."""
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        """Put ``module`` before position ``index``."""
        kept = list(self)
        kept.insert(index, module)
        self._reset(kept)

    def pop(self, index=-1):
        """Remove and return the module at ``index``."""
        module = self[index]
        del self[index]
        return module

    def __add__(self, other):
        return type(self)()._reset([*self, *other])

    def __iadd__(self, other):
        return self.extend(other)


class Sequential(_Indexed):
    """Modules applied one after another: ``Sequential(a, b)(x) == b(a(x))``.

    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    >>> model[0].weight.shape
    (8, 4)

    Also accepts one ``OrderedDict`` of named modules, as in PyTorch.
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for module in modules:
                self.append(module)

    def _slice(self, index):  # keeps the names, so a slice's state_dict keys match PyTorch's
        return Sequential(OrderedDict(list(self._modules.items())[index]))

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x


class ModuleList(_Indexed):
    """A list of modules whose parameters belong to the owner.

    >>> blocks = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])   # e.g. self.blocks
    >>> len(list(blocks.parameters()))
    6
    """

    def __init__(self, modules=None):
        super().__init__()
        self.extend(modules or [])


class ModuleDict(Module):
    """A dict of modules whose parameters belong to the owner.

    >>> heads = nn.ModuleDict({"class": nn.Linear(8, 10), "box": nn.Linear(8, 4)})  # self.heads
    >>> heads["box"](autograd.zeros(2, 8)).shape
    (2, 4)
    """

    def __init__(self, modules=None):
        super().__init__()
        self.update(modules or {})

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __contains__(self, key):
        return key in self._modules

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()

    def pop(self, key):
        return self._modules.pop(key)

    def clear(self):
        self._modules.clear()

    def update(self, modules):
        for key, module in dict(modules).items():
            self[key] = module


def _as_parameter(value):
    """A Tensor that is not yet a Parameter becomes one (PyTorch's ParameterList/Dict rule)."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


def _parameter_line(name, value):
    if isinstance(value, Tensor):
        shape = "x".join(map(str, value.shape))
        return f"({name}): Parameter containing: [{value.dtype} of size {shape}]"
    return f"({name}): Object of type: {type(value).__name__}"


class ParameterList(Module):
    """A list of Parameters registered with the owner (a Tensor becomes a Parameter).

    >>> scales = nn.ParameterList([nn.Parameter(autograd.ones(2)) for _ in range(3)])
    >>> len(list(scales.parameters()))
    3
    """

    def __init__(self, values=None):
        super().__init__()
        self.extend(values or [])

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters.values())

    def _key(self, index):
        n = len(self)
        if not isinstance(index, int) or not -n <= index < n:
            raise IndexError(f"ParameterList: index {index!r} is out of range for {n} "
                             "parameter(s)")
        return str(index % n)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ParameterList(list(self)[index])
        return self._parameters[self._key(index)]

    def __setitem__(self, index, value):
        self.register_parameter(self._key(index), _as_parameter(value))

    def append(self, value):
        self.register_parameter(str(len(self)), _as_parameter(value))
        return self

    def extend(self, values):
        for value in values:
            self.append(value)
        return self

    def __iadd__(self, values):
        return self.extend(values)

    def extra_repr(self):
        return "\n  ".join(_parameter_line(k, v) for k, v in self._parameters.items())

    def __repr__(self):
        if not len(self):
            return "ParameterList()"
        return "ParameterList(\n  " + self.extra_repr() + "\n)"


class ParameterDict(Module):
    """A dict of Parameters registered with the owner (a Tensor becomes a Parameter).

    >>> gains = nn.ParameterDict({"a": nn.Parameter(autograd.ones(2))})
    >>> list(gains.keys()), gains["a"].shape
    (['a'], (2,))
    """

    def __init__(self, parameters=None):
        super().__init__()
        self.update(parameters or {})

    def __getitem__(self, key):
        return self._parameters[key]

    def __setitem__(self, key, value):
        self.register_parameter(key, _as_parameter(value))

    def __delitem__(self, key):
        del self._parameters[key]

    def __contains__(self, key):
        return key in self._parameters

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters)

    def keys(self):
        return self._parameters.keys()

    def values(self):
        return self._parameters.values()

    def items(self):
        return self._parameters.items()

    def get(self, key, default=None):
        return self._parameters.get(key, default)

    def pop(self, key):
        return self._parameters.pop(key)

    def clear(self):
        self._parameters.clear()

    def update(self, parameters):
        for key, value in dict(parameters).items():
            self[key] = value

    def __repr__(self):
        if not len(self):
            return "ParameterDict()"
        lines = "\n  ".join(_parameter_line(k, v) for k, v in self._parameters.items())
        return "ParameterDict(\n  " + lines + "\n)"
