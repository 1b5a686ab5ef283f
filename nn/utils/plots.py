"""Pictures for babysitting a training run (matplotlib, the ``plot`` extra, imported only
when drawing). Each function draws on ``ax`` (a new figure when None) and returns it."""
from .babysit import moving_average

__all__ = ["plot_loss", "plot_accuracy", "plot_activation_histograms", "plot_update_ratios",
           "plot_lr_finder"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("nn.utils plots need matplotlib: pip install 'backproplab[plot]' "
                          "(or pip install matplotlib)") from None
    return plt


def _axes(ax):
    return _pyplot().subplots(figsize=(6, 4))[1] if ax is None else ax


def plot_loss(history, name="loss", smooth=0.9, ax=None):
    """The per-step values ``history.steps[name]`` as faint points, their `moving_average`
    as a line, and, when logged, the per-epoch ``val_loss`` at the step where each epoch
    ended (the notes: losses are noisy, so plot the points and a moving average).

    >>> nn.utils.plot_loss(history)
    """
    ax = _axes(ax)
    values = history.steps[name]
    steps = range(1, len(values) + 1)
    ax.scatter(steps, values, s=4, alpha=0.3, label=f"{name} (each step)")
    ax.plot(steps, moving_average(values, smooth), lw=2, label=f"moving average ({smooth})")
    val = history.epochs.get("val_loss")
    if val:
        per_epoch = len(values) / len(val)
        ax.plot([per_epoch * (i + 1) for i in range(len(val))], val, "o-", label="val_loss")
    ax.set(xlabel="step", ylabel=name, title="loss curve")
    ax.legend()
    return ax


def plot_accuracy(history, train="train_acc", val="val_acc", ax=None):
    """Per-epoch training and validation accuracy: a widening gap means overfitting, no gap
    at a low accuracy means the model is too small (or trained too little).

    >>> nn.utils.plot_accuracy(history)
    """
    ax = _axes(ax)
    for name in (train, val):
        values = history.epochs[name]
        ax.plot(range(1, len(values) + 1), values, "o-", label=name)
    ax.set(xlabel="epoch", ylabel="accuracy", title="train vs validation")
    ax.legend()
    return ax


def plot_activation_histograms(stats, names=None, cols=4):
    """One histogram per module of an `activation_stats` result (``names`` picks and orders
    them; default: every module but the model itself), titled with mean, std and the dead or
    saturated fraction. Returns the figure.

    >>> nn.utils.plot_activation_histograms(nn.utils.activation_stats(model, x))
    """
    plt = _pyplot()
    names = [n for n in stats if n] if names is None else list(names)
    if not names:
        raise ValueError("plot_activation_histograms: nothing to draw; stats has no modules "
                         "besides the model itself")
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, min(cols, len(names)), squeeze=False,
                             figsize=(3 * min(cols, len(names)), 2.4 * rows))
    for ax in axes.ravel()[len(names):]:
        ax.axis("off")
    for ax, name in zip(axes.ravel(), names):
        s = stats[name]
        counts, edges = s["histogram"]
        ax.stairs(counts, edges, fill=True)
        title = f"{name} ({s['module']})\nmean {s['mean']:.2f} std {s['std']:.2f}"
        for flag in ("dead", "saturated"):
            if s[flag] is not None:
                title += f"\n{flag} {s[flag]:.0%}"
        ax.set_title(title, fontsize=8)
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig


def plot_update_ratios(records, ax=None):
    """Update-to-weight ratios from `update_stats`, per parameter on a log scale with the
    notes' 1e-3 guide line: ``records`` is one `update_stats` result (a bar per parameter) or
    a list of them, one per step (a line per parameter).

    >>> records = [nn.utils.update_stats(model, opt) for _ in ...]
    >>> nn.utils.plot_update_ratios(records)
    """
    ax = _axes(ax)
    if isinstance(records, dict):
        names = list(records)
        ax.bar(range(len(names)), [records[n]["update_ratio"] for n in names])
        ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=7)
    else:
        for name in records[0]:
            ax.plot([r[name]["update_ratio"] for r in records], label=name)
        ax.set_xlabel("step")
        ax.legend(fontsize=7)
    ax.axhline(1e-3, color="k", ls="--", lw=1)
    ax.set(yscale="log", ylabel="|update| / |weight|", title="update-to-weight ratio")
    return ax


def plot_lr_finder(result, ax=None):
    """The learning-rate range test (`optim.lr_finder`'s result): smoothed loss against the
    learning rate on a log axis, with the suggested learning rate marked.

    >>> nn.utils.plot_lr_finder(optim.lr_finder(model, loss_fn, batches))
    """
    ax = _axes(ax)
    ax.plot(result.lrs, result.losses)
    ax.axvline(result.suggestion, color="k", ls="--", lw=1,
               label=f"suggestion {result.suggestion:.2g}")
    ax.set(xscale="log", xlabel="learning rate", ylabel="smoothed loss",
           title="learning-rate range test")
    ax.legend()
    return ax
