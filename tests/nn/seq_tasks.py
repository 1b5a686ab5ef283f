"""A small task for sequence models (shared by test_rnn.py and test_attention.py): learn to
reverse random token sequences."""
import time

import numpy as np

import autograd
import nn.functional as F
import optim


def reversal_accuracy(model, vocab, length, steps, lr, seed=0):
    """Train ``model`` (ids (N, length) -> scores (N, length, vocab)) with Adam to output
    each sequence reversed; return (accuracy on fresh sequences, seconds taken)."""
    rng = np.random.default_rng(seed)
    opt = optim.Adam(model.parameters(), lr=lr)
    start = time.perf_counter()
    for _ in range(steps):
        ids = rng.integers(0, vocab, (64, length))
        loss = F.cross_entropy(model(autograd.tensor(ids)).reshape(-1, vocab),
                               autograd.tensor(ids[:, ::-1].reshape(-1).copy()))
        opt.zero_grad()
        loss.backward()
        opt.step()
    test = rng.integers(0, vocab, (500, length))
    with autograd.no_grad():
        guess = model(autograd.tensor(test)).numpy().argmax(-1)
    return (guess == test[:, ::-1]).mean(), time.perf_counter() - start
