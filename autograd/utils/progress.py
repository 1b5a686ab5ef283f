"""Progress bars for loops over batches, epochs or trials, when tqdm is installed."""

__all__ = ["progress"]


def progress(iterable, desc=None, total=None, enabled=True, **tqdm_kwargs):
    """``iterable`` with a tqdm progress bar when tqdm is installed (the ``progress`` extra:
    ``pip install 'backproplab[progress]'``) and ``enabled``; otherwise ``iterable`` itself,
    so a loop runs the same with or without it. In Jupyter the bar is the notebook widget
    (``tqdm.auto``; without ipywidgets, tqdm falls back to the text bar).

    >>> for x, y in autograd.utils.progress(loader, desc='epoch 1', enabled=False):
    ...     pass
    """
    if not enabled:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, total=total, **tqdm_kwargs)
