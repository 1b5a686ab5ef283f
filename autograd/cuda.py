"""PyTorch's ``torch.cuda`` queries, answered for a machine without a GPU: this engine runs on
numpy, on the CPU, so ported code that checks for CUDA takes its CPU branch.

>>> device = "cuda" if autograd.cuda.is_available() else "cpu"
>>> device
'cpu'
"""


def is_available():
    """False: there is no CUDA device here."""
    return False


def device_count():
    """0: there is no CUDA device here."""
    return 0


def manual_seed(seed):
    """Ignored, as PyTorch ignores it without CUDA (seed with `autograd.manual_seed`)."""


manual_seed_all = manual_seed
