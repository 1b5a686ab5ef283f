"""Data for training, with PyTorch's names (``torch.utils.data`` -> ``autograd.utils.data``).

Loading: `Dataset`, `TensorDataset`, `Subset`, `random_split`, `DataLoader`, `default_collate`,
the samplers (`SequentialSampler`, `RandomSampler`, `SubsetRandomSampler`, `BatchSampler`),
and the bundled digits, `load_digits`. Text: the bundled sonnets, `load_sonnets`, a character
vocabulary, `CharVocab`, and next-token `windows`. Preprocessing fitted on training data:
`Standardize`, `PCA`, `ZCA`. Augmentation of (N, C, H, W) batches: `RandomCrop`,
`RandomHorizontalFlip`, `ColorJitter`, `Cutout`, `MixUp`, `Compose`.
"""
from .dataloader import (BatchSampler, DataLoader, RandomSampler, Sampler, SequentialSampler,
                         SubsetRandomSampler, default_collate)
from .dataset import Dataset, Subset, TensorDataset, random_split
from .digits import load_digits
from .preprocessing import PCA, ZCA, Standardize
from .text import CharVocab, load_sonnets, windows
from .transforms import ColorJitter, Compose, Cutout, MixUp, RandomCrop, RandomHorizontalFlip

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate",
           "load_digits", "random_split", "CharVocab", "load_sonnets", "windows",
           "PCA", "Standardize", "ZCA",
           "ColorJitter", "Compose", "Cutout", "MixUp", "RandomCrop", "RandomHorizontalFlip",
           "BatchSampler", "RandomSampler", "Sampler", "SequentialSampler",
           "SubsetRandomSampler"]
