"""Helpers around modules: running with substituted parameters, weight normalization,
batch-norm folding, gradient clipping."""
from .stateless import *  # noqa: F401,F403
from .weight_norm import *  # noqa: F401,F403
from .fusion import *  # noqa: F401,F403
from .clip_grad import *  # noqa: F401,F403
