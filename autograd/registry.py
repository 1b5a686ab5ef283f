"""The op registry: every public op of the engine, by name, with the names it answers to.

Each op is declared once (in `ops.py`, or by `nn` for its fused rules) with one of the kinds
in `engine` (`elementwise`, `linear`, `bilinear`, `primitive`) or as a `composite` of other
ops. Declaring it records an `Entry` here; from these entries alone come the `autograd`
namespace (`names()`), the Tensor methods and operators (`install`), the numpy ufunc
dispatch table (`UFUNCS`), and the coverage test.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass
class Entry:
    """One public op: the function users call, and where else it answers.

    ``kind`` is the rule kind ('elementwise', 'linear', 'bilinear', 'general', 'composite' for
    ops built from others, 'none' for non-differentiable ones); ``method`` the Tensor method
    names (empty: no method); ``operators`` dunder names bound to it (``__add__``...) and
    ``reflected`` the swapped ones (``__radd__``); ``ufunc`` the numpy ufunc(s) that run it
    on a Tensor; ``aliases`` other names in the namespace (numpy's and PyTorch's
    spellings).
    """

    name: str
    fn: Callable
    kind: str
    namespace: str = "autograd"
    method: tuple = ()
    operators: tuple = ()
    reflected: tuple = ()
    ufunc: object = None
    aliases: tuple = ()


REGISTRY: dict = {}
UFUNCS: dict = {}  # numpy ufunc -> our function (for Tensor.__array_ufunc__)


def register(fn, kind, *, name=None, namespace="autograd", method=None, operators=(),
             reflected=(), ufunc=None, aliases=()):
    """Record ``fn`` as the public op ``name`` (default: its own name without underscores).
    ``method=True`` makes it a Tensor method of the same name."""
    name = name or fn.__name__.lstrip("_")
    if method is True:
        method = name
    method = (method,) if isinstance(method, str) else tuple(method or ())
    entry = Entry(name, fn, kind, namespace, method, tuple(operators), tuple(reflected), ufunc,
                  tuple(aliases))
    key = name if namespace == "autograd" else f"{namespace}.{name}"
    if key in REGISTRY:
        raise ValueError(f"op {key!r} is registered twice")
    REGISTRY[key] = entry
    for u in ufunc if isinstance(ufunc, tuple) else () if ufunc is None else (ufunc,):
        UFUNCS[u] = fn
    if _installed is not None:  # declared after `import autograd` (user code): names now
        _install(entry, *_installed)
    return entry


def registered(kind="composite", **names):
    """Decorator form of `register`, for ops written as functions of other ops (``kind``
    'composite') or wrapping a private primitive (the primitive's kind)."""

    def wrap(fn):
        register(fn, kind, **names)
        return fn

    return wrap


def entries(namespace="autograd"):
    return [e for e in REGISTRY.values() if e.namespace == namespace]


def names(namespace="autograd"):
    """name -> function for every op and alias of a namespace (the package's exports)."""
    out = {}
    for e in entries(namespace):
        out[e.name] = e.fn
        for alias in e.aliases:
            out[alias] = e.fn
    return out


_installed = None  # (Tensor class, autograd module) once `install` has run


def install(cls, module):
    """Bind every entry's method and operators onto ``cls`` (the Tensor class) and its names
    into ``module`` (the `autograd` package); entries registered later are bound as they
    come, so an op declared in user code is reachable like a built-in one."""
    global _installed
    _installed = cls, module
    for e in REGISTRY.values():
        _install(e, cls, module)


def _install(e, cls, module):
    for name in e.method:
        setattr(cls, name, e.fn)
    for dunder in e.operators:
        setattr(cls, dunder, e.fn)
    for dunder in e.reflected:
        setattr(cls, dunder, _reflected(e.fn))
    if e.namespace == "autograd":
        for name in (e.name,) + e.aliases:
            setattr(module, name, e.fn)
            if name not in module.__all__:
                module.__all__.append(name)


def _reflected(fn):
    def reflected(self, other):
        return fn(other, self)

    reflected.__name__ = f"r{fn.__name__}"
    return reflected


KIND_ORDER = ("elementwise", "bilinear", "linear", "general", "composite", "inplace", "none")
KIND_TEXT = {
    "elementwise": "elementwise: one local derivative",
    "bilinear": "bilinear: one rule per operand",
    "linear": "linear: forward rule is the op",
    "general": "general: explicit rules",
    "composite": "built from other ops",
    "inplace": "in place (version counted)",
    "none": "not differentiable",
}


def markdown_table(namespace="autograd"):
    """The op table of docs/ops.md, generated from the registry:
    ``python -c "import autograd; print(autograd.registry.markdown_table())"``."""
    rows = ["| op | kind | Tensor method / operator | numpy ufunc | also named |",
            "| --- | --- | --- | --- | --- |"]
    for e in sorted(entries(namespace), key=lambda e: (KIND_ORDER.index(e.kind), e.name)):
        methods = [f"`.{m}()`" for m in e.method] + [f"`{d}`" for d in e.operators]
        ufuncs = e.ufunc if isinstance(e.ufunc, tuple) else () if e.ufunc is None else (e.ufunc,)
        rows.append(f"| `{e.name}` | {KIND_TEXT[e.kind]} | {', '.join(methods)} | "
                    f"{', '.join(f'`np.{u.__name__}`' for u in ufuncs)} | "
                    f"{', '.join(f'`{a}`' for a in e.aliases)} |")
    return "\n".join(rows)

