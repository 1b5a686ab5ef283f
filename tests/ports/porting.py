"""Run a PyTorch program on this library after the README's mechanical rename, or on torch.

`to_autograd` is the whole porting recipe, applied to the source text in this order:

1. ``torch.utils.data``  -> ``autograd.utils.data``
2. ``torch.autograd``    -> ``autograd``          (``torch.autograd.Function``, ``.grad``...)
3. ``torch.nn``          -> ``nn``,  ``torch.optim`` -> ``optim``
4. ``from torch import nn, optim, Tensor`` -> ``import nn, optim`` and
   ``from autograd import Tensor`` (nn and optim are top-level packages here; the names may
   be wrapped in parentheses over several lines)
5. ``import torch``      -> ``import autograd, nn, optim``
6. any other ``torch.``  -> ``autograd.``

The programs in ``programs/`` are written against PyTorch; `run` executes one as a script
(in a fresh namespace, ``__name__`` "__port__") and returns that namespace, whose variables
the tests read.
"""
import re
from pathlib import Path

PROGRAMS = Path(__file__).with_name("programs")

_RULES = [
    (r"\btorch\.utils\.data\b", "autograd.utils.data"),
    (r"\btorch\.autograd\b", "autograd"),
    (r"\btorch\.nn\b", "nn"),
    (r"\btorch\.optim\b", "optim"),
]


def _from_torch_import(match):
    indent = match.group(1)
    names = [n.strip() for n in match.group(2).strip("()").split(",") if n.strip()]
    packages = [n for n in names if n.split(" as ")[0] in ("nn", "optim")]
    rest = [n for n in names if n not in packages]
    lines = ([f"{indent}import {', '.join(packages)}"] if packages else []) + (
        [f"{indent}from autograd import {', '.join(rest)}"] if rest else [])
    return "\n".join(lines)


def to_autograd(source):
    """PyTorch source text -> this library's, by the rename above (nothing else changes)."""
    for pattern, replacement in _RULES:
        source = re.sub(pattern, replacement, source)
    source = re.sub(r"^([ \t]*)from torch import (\([\w\s,]+\)|[\w ,]+)$", _from_torch_import,
                    source, flags=re.MULTILINE)
    source = re.sub(r"^([ \t]*)import torch[ \t]*$", r"\1import autograd, nn, optim", source,
                    flags=re.MULTILINE)
    return re.sub(r"\btorch\.", "autograd.", source)


def source(name):
    """The PyTorch text of ``programs/<name>.py``."""
    return (PROGRAMS / f"{name}.py").read_text()


def run(name, engine="autograd"):
    """Execute program ``name`` on ``engine`` ("autograd": renamed; "torch": as written) and
    return its variables."""
    text = source(name)
    if engine == "autograd":
        text = to_autograd(text)
    namespace = {"__name__": "__port__"}
    exec(compile(text, f"<{engine}: programs/{name}.py>", "exec"), namespace)  # noqa: S102
    return namespace
