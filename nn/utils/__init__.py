"""Helpers around modules: running with substituted parameters, weight normalization,
batch-norm folding, gradient clipping,
babysitting a training run (activation and update statistics, history, plots)."""
from .stateless import *  # noqa: F401,F403
from .weight_norm import *  # noqa: F401,F403
from .fusion import *  # noqa: F401,F403
from .clip_grad import *  # noqa: F401,F403
from .babysit import *  # noqa: F401,F403
from .plots import *  # noqa: F401,F403
