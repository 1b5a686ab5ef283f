"""Utilities built on the core's public API (PyTorch's ``torch.utils`` places).

``autograd.utils.data``: datasets, the DataLoader, the digits, preprocessing and augmentation;
``autograd.utils.progress``: a progress bar for loops, when tqdm is installed.
"""
from . import data
from .progress import progress

__all__ = ["data", "progress"]
