"""Helpers around modules: running with substituted parameters, weight normalization,
batch-norm folding, gradient clipping,
babysitting a training run (activation and update statistics, history, plots)."""
from . import stateless, weight_norm, fusion, clip_grad, babysit, plots
from . import rnn  # noqa: F401  (nn.utils.rnn.pad_sequence, as in PyTorch: not star-exported)

# the parts, bound before the star imports below rebind some names (F.linear is a function)
_PARTS = (stateless, weight_norm, fusion, clip_grad, babysit, plots)
from .stateless import *  # noqa: F401,F403
from .weight_norm import *  # noqa: F401,F403
from .fusion import *  # noqa: F401,F403
from .clip_grad import *  # noqa: F401,F403
from .babysit import *  # noqa: F401,F403
from .plots import *  # noqa: F401,F403

# each part lists its public names; the package exports their union
__all__ = [name for part in _PARTS for name in part.__all__]
