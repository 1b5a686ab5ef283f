"""Neural-network layers, losses and initialization, built from autograd's differentiable ops.

Every layer is a composition of core ops (or a core rule with its own gradient check), so a
whole network can be backpropagated, drawn with `autograd.draw_graph` and gradient-checked.
Names and argument orders are PyTorch's: ``nn.Linear(in_features, out_features)``,
``nn.functional`` (imported as ``F``), ``nn.init``, ``nn.utils``.
"""
from . import functional, init, modules, utils
from .modules import *  # noqa: F401,F403  (each module file lists its public names in __all__)
from .parameter import Parameter

__all__ = ["Parameter", "functional", "init", "utils", *modules.__all__]
