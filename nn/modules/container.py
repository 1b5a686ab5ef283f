"""Containers: `Sequential` chains modules; `ModuleList` and `ModuleDict` hold them so that
their parameters are registered (a plain list or dict would hide them)."""
from collections import OrderedDict

from .module import Module

__all__ = ["Sequential", "ModuleList", "ModuleDict"]


class _Indexed(Module):
    """Modules registered under the names '0', '1', ...: shared by Sequential and ModuleList."""

    _checks_input = False  # Sequential hands its input to its first layer, which checks it

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

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        kept = list(self)
        kept.insert(index, module)
        self._reset(kept)


class ModuleDict(Module):
    """A dict of modules whose parameters belong to the owner.

    >>> heads = nn.ModuleDict({"class": nn.Linear(8, 10), "box": nn.Linear(8, 4)})  # self.heads
    >>> heads["box"](autograd.zeros(2, 8)).shape
    (2, 4)
    """

    _checks_input = False  # no forward of its own

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

    def update(self, modules):
        for key, module in dict(modules).items():
            self[key] = module
