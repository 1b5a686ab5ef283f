"""Utilities built on the core's public API (PyTorch's ``torch.utils`` places).

``autograd.utils.data``: datasets, the DataLoader, the digits, preprocessing and augmentation.
"""
from . import data

__all__ = ["data"]
