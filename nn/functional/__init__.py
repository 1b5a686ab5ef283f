"""The functions behind the layers (``import nn.functional as F``), as in PyTorch."""
from . import activation, linear, conv, pooling, normalization, dropout, loss, tensors
from . import vision, distance  # resampling, distances
from . import sparse, rnn, attention  # sequence models

# the parts, bound before the star imports below rebind some names (F.linear is a function)
_PARTS = (activation, linear, conv, pooling, normalization, dropout, loss, tensors,
          vision, distance, sparse, rnn, attention)
from .activation import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .tensors import *  # noqa: F401,F403
from .vision import *  # noqa: F401,F403
from .distance import *  # noqa: F401,F403
from .sparse import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403

# each part lists its public names; the package exports their union
__all__ = [name for part in _PARTS for name in part.__all__]

# the course branch's parts (their own files): stochastic depth, vanilla dropout; the
# Jacobian penalty; fractional max pooling
from . import fractional_pooling, regularizers, stochastic  # noqa: E402
from .fractional_pooling import *  # noqa: F401,F403,E402
from .regularizers import *  # noqa: F401,F403,E402
from .stochastic import *  # noqa: F401,F403,E402

__all__ += stochastic.__all__ + regularizers.__all__ + fractional_pooling.__all__
