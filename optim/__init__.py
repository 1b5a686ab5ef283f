"""Optimizers, learning-rate schedules and training helpers, built on autograd's core."""
from .optimizer import *  # noqa: F401,F403
from . import lr_scheduler
from .lr_finder import *  # noqa: F401,F403
from .early_stopping import *  # noqa: F401,F403
