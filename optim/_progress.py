"""An optional tqdm progress bar: the loop runs the same with or without it."""


def progress(iterable, desc=None, total=None, enabled=True):
    """``iterable`` wrapped in a tqdm bar when ``enabled`` and tqdm is installed (the
    ``progress`` extra); otherwise ``iterable`` itself, silently.

    >>> for step in progress(range(100), desc="lr_finder"):
    ...     pass
    """
    if not enabled:
        return iterable
    try:
        from tqdm import tqdm  # plain text bar: tqdm.auto needs ipywidgets in notebooks
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, total=total, leave=False)
