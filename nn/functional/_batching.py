"""The batching rules (for `autograd.func.vmap`) of nn's fused ops, which declare them with
``batch=`` (the rule's contract: `autograd.extend.batching`).

Most of these ops already take a batch of images or rows on their axis 0, so a vmap over a
batched input merges its batch axis into that one; a batched weight (per-sample gradients)
makes the op a batched matmul, or a convolution with each sample a group of channels. The
norms' standardization shifts its axes.
"""
import numpy as np

from autograd.extend import batching


def linear(op, args, batched, params):
    """x @ W.T + b: x alone batched runs as is (leading axes are free); a batched weight or
    bias (per-sample gradients) becomes a batched matmul."""
    x, w, bias = args
    bx, bw, bb = batched
    if not bw and not bb:
        return op.call(x, w, bias) if bx else NotImplemented
    size = next(a.shape[0] for a, f in zip(args, batched) if f)
    x = x if bx else batching.expand(x, size)
    w = w if bw else batching.expand(w, size)
    lead = x.ndim - 2  # x's own leading axes
    out = x.reshape((size, -1, x.shape[-1])) @ w.permute(0, 2, 1)
    if bias is not None:
        out = out + (bias.reshape((size, 1, bias.shape[-1])) if bb else bias)
    return out.reshape((size,) + tuple(x.shape[1:1 + lead]) + (out.shape[-1],))


def merge(op, args, batched, params):
    """Ops whose input's axis 0 is already a free batch axis (im2col, max_pool): the vmap
    batch is merged into it and split off again."""
    if not batched[0] or any(batched[1:]):
        return NotImplemented
    x = args[0]
    size, n = x.shape[0], x.shape[1]
    out = op.call(x.reshape((size * n,) + tuple(x.shape[2:])), *args[1:], **params)
    return out.reshape((size, n) + tuple(out.shape[1:]))


def max_routing(op, args, batched, params):
    """Max pooling's gradient (tangent) maps `_route_max` and `_gather_max`: linear in their
    one tensor, whose image x and window maxima top (N, C, ...) are constant arrays. The
    batch merges into the images, x and top repeated once per sample to match."""
    if not batched[0]:
        return NotImplemented
    y = args[0]
    size, n = y.shape[0], y.shape[1]
    tiled = {k: np.tile(params[k], (size,) + (1,) * (params[k].ndim - 1)) for k in ("x", "top")}
    out = op.call(y.reshape((size * n,) + tuple(y.shape[2:])), **{**params, **tiled})
    return out.reshape((size, n) + tuple(out.shape[1:]))


def _fold(x, size):
    """(B, N, C, *s) -> (N, B * C, *s): B samples as B groups of channels."""
    x = x.permute((1, 0) + tuple(range(2, x.ndim)))
    return x.reshape((x.shape[0], size * x.shape[2]) + tuple(x.shape[3:]))


def _unfold(y, size):
    """(N, B * C, *s) -> (B, N, C, *s): the inverse of `_fold`."""
    y = y.reshape((y.shape[0], size, y.shape[1] // size) + tuple(y.shape[2:]))
    return y.permute((1, 0) + tuple(range(2, y.ndim)))


def _per_sample_kernels(w, size):
    """(B, O, ...) kernels as (B * O, ...): sample b's are group b's."""
    return w.reshape((size * w.shape[1],) + tuple(w.shape[2:]))


def conv(op, args, batched, params):
    """The convolution map (x, w): a batched input alone merges into the images; a batched
    weight (per-sample gradients) makes each sample a group of channels, groups × B."""
    (x, w), (bx, bw) = args, batched
    if not bw:
        return merge(op, args, batched, params)
    size = w.shape[0]
    x = x if bx else batching.expand(x, size)
    return _unfold(op.call(_fold(x, size), _per_sample_kernels(w, size),
                           **{**params, "groups": params["groups"] * size}), size)


def conv_input_grad(op, args, batched, params):
    """The convolution's input gradient (g, w), batched as `conv`."""
    (g, w), (bg, bw) = args, batched
    shape = tuple(params["shape"])
    if not bw:
        size, n = g.shape[0], g.shape[1]
        out = op.call(g.reshape((size * n,) + tuple(g.shape[2:])), w,
                      **{**params, "shape": (size * n,) + shape[1:]})
        return out.reshape((size, n) + tuple(out.shape[1:]))
    size = w.shape[0]
    g = g if bg else batching.expand(g, size)
    return _unfold(op.call(_fold(g, size), _per_sample_kernels(w, size),
                           **{**params, "shape": (shape[0], size * shape[1]) + shape[2:],
                              "groups": params["groups"] * size}), size)


def conv_weight_grad(op, args, batched, params):
    """The convolution's weight gradient (x, g): each sample a group of channels."""
    (x, g), (bx, bg) = args, batched
    size = (x if bx else g).shape[0]
    x = x if bx else batching.expand(x, size)
    g = g if bg else batching.expand(g, size)
    out = op.call(_fold(x, size), _fold(g, size),
                  **{**params, "groups": params["groups"] * size})
    return out.reshape((size, out.shape[0] // size) + tuple(out.shape[1:]))


def standardize(op, args, batched, params):
    """The norms' standardization (x, its statistics): both batched (the statistics are
    x's own), the axes shifted past the batch axis."""
    if not all(batched):
        return NotImplemented
    return op.call(*args, **{**params, "axes": batching.shift(params["axes"], args[0].ndim - 1)})


def running_statistic(op, args, batched, params):
    """A batch or instance norm's running statistic (running, the input's statistics): a
    buffer batched with the input has a row per sample, which the op updates as it is; a
    buffer shared by the samples of a batched input is refused, as PyTorch does (every
    sample would update it)."""
    running, stats = args
    if not batched[0]:
        raise RuntimeError(
            f"vmap: {params['fn']} got a batched tensor as input while the running_mean or "
            "running_var, which will be updated in place, were not batched (every sample "
            "would update them). Normalize with the running statistics in eval mode "
            "(module.eval(), or training=False); or with each sample's own statistics and "
            "no running ones: set `track_running_stats` to False on the module, or patch "
            "every batch norm of a model with autograd.func.replace_all_batch_norm_modules_"
            "(model); or give the buffers a batch axis of their own (mapped inputs)")
    if not batched[1]:
        stats = batching.expand(stats, running.shape[0])
    return op.call(running, stats, **params)
