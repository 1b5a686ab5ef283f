"""The layer classes; the function behind each lives in `nn.functional`."""
from . import module, container, activation, linear, conv, pooling, normalization, dropout, loss
from . import padding, vision, distance, flatten  # padding, resampling, distances, shapes
from . import sparse, rnn, attention, transformer  # sequence models

# the parts, bound before the star imports below rebind some names (F.linear is a function)
_PARTS = (module, container, activation, linear, conv, pooling, normalization, dropout, loss,
          padding, vision, distance, flatten, sparse, rnn, attention, transformer)
from .module import *  # noqa: F401,F403
from .container import *  # noqa: F401,F403
from .activation import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .padding import *  # noqa: F401,F403
from .vision import *  # noqa: F401,F403
from .distance import *  # noqa: F401,F403
from .flatten import *  # noqa: F401,F403
from .sparse import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .transformer import *  # noqa: F401,F403

# each part lists its public names; the package exports their union
__all__ = [name for part in _PARTS for name in part.__all__]

# the course branch's parts (their own files): stochastic depth, vanilla dropout; fractional
# max pooling
from . import fractional_pooling, stochastic  # noqa: E402
from .fractional_pooling import *  # noqa: F401,F403,E402
from .stochastic import *  # noqa: F401,F403,E402

__all__ += stochastic.__all__ + fractional_pooling.__all__
