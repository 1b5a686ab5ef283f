"""Optimizers, learning-rate schedules and training helpers, built on autograd's core."""
from .optimizer import *  # noqa: F401,F403
from .sgd import *  # noqa: F401,F403
from .adagrad import *  # noqa: F401,F403
from .adadelta import *  # noqa: F401,F403
from .rmsprop import *  # noqa: F401,F403
from .adam import *  # noqa: F401,F403
from .lars import *  # noqa: F401,F403
from . import lr_scheduler
from . import search
from .lr_finder import *  # noqa: F401,F403
from .early_stopping import *  # noqa: F401,F403
