"""What the transforms' tests share: the same random values as our tensor and torch's, and a
comparison of (nested) results to 1e-6 in float64."""
import numpy as np

import autograd


def pair(*shape, seed=0):
    """(ours, torch's): the same standard-normal values, float64."""
    import torch  # (the tests that call this have skipped already when torch is missing)
    a = np.random.default_rng(seed).standard_normal(shape)
    return autograd.tensor(a), torch.tensor(a)


def close(ours, theirs):
    """ours equals torch's result: tuples, lists and dicts item by item, tensors in shape and
    value."""
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            close(o, t)
    elif isinstance(theirs, dict):
        assert set(ours) == set(theirs)
        for k in theirs:
            close(ours[k], theirs[k])
    else:
        assert tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-9)
