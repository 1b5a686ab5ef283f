"""Optimizers, learning-rate schedules and training helpers, built on autograd's core."""
from . import optimizer, sgd, adagrad, adadelta, rmsprop, adam, lars, lr_finder, early_stopping

# the parts, bound before the star imports below rebind some names
_PARTS = (optimizer, sgd, adagrad, adadelta, rmsprop, adam, lars, lr_finder, early_stopping)
from .optimizer import *  # noqa: F401,F403
from .sgd import *  # noqa: F401,F403
from .adagrad import *  # noqa: F401,F403
from .adadelta import *  # noqa: F401,F403
from .rmsprop import *  # noqa: F401,F403
from .adam import *  # noqa: F401,F403
from .lars import *  # noqa: F401,F403
from . import lr_scheduler
from . import search
from . import swa_utils
from .lr_finder import *  # noqa: F401,F403
from .early_stopping import *  # noqa: F401,F403

# each part lists its public names; the package exports their union and three submodules
__all__ = ["lr_scheduler", "search", "swa_utils",
           *(name for part in _PARTS for name in part.__all__)]
