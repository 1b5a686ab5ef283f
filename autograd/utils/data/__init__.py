"""Data for training, with PyTorch's names (``torch.utils.data`` -> ``autograd.utils.data``).

Loading: `Dataset`, `TensorDataset`, `Subset`, `random_split`, `DataLoader`, `default_collate`,
and the bundled digits, `load_digits`.
"""
from .dataloader import DataLoader, default_collate
from .dataset import Dataset, Subset, TensorDataset, random_split
from .digits import load_digits

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate",
           "load_digits", "random_split"]
