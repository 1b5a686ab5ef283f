"""The numpy floor: each benchmark workload written by hand in numpy (forward, backward and
update), what a numpy-based engine can at best approach. bench.py checks at start-up that
each computes what this library computes.

Convolutions work in (C, N, H, W) layout with im2col, pooling with four strided slices, batch
norm from one mean and variance per forward, SGD in place.
"""
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


# ---------------------------------------------------------------- elementwise chain
def chain(x, n):
    """n elementwise ops (mul, add, tanh, sin, repeated): the forward of the chain workload,
    for any library whose tensors have tanh/sin methods, or for ndarrays."""
    for _ in range(n // 4):
        x = x * 0.9
        x = x + 0.1
        x = x.tanh() if hasattr(x, "tanh") else np.tanh(x)
        x = x.sin() if hasattr(x, "sin") else np.sin(x)
    return x


def chain_grad(x, n):
    """d sum(chain(x, n)) / dx by hand, keeping only what the backward needs: each tanh's
    output, which is also the next sin's input."""
    saved = []
    for _ in range(n // 4):
        x = np.tanh(x * 0.9 + 0.1)
        saved.append(x)
        x = np.sin(x)
    g = np.ones_like(x)
    for t in reversed(saved):
        g = g * np.cos(t)          # sin
        g = g * (1 - t * t) * 0.9  # tanh, then the add (identity) and the mul
    return g


# ---------------------------------------------------------------- losses and layers
def softmax_xent(z, y):
    """Mean cross-entropy of logits z (N, K) and labels y, and its gradient dL/dz."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=1, keepdims=True)
    n = len(y)
    loss = (np.log(s[:, 0]) - z[np.arange(n), y]).mean()
    dz = e / s
    dz[np.arange(n), y] -= 1
    dz /= n
    return loss, dz


def mlp_grads(params, x, y):
    """Loss and gradients of Linear-ReLU-...-Linear (params: w1, b1, w2, b2, ...)."""
    acts, h = [], x
    for w, b in zip(params[:-2:2], params[1:-2:2]):
        acts.append(h)
        h = np.maximum(h @ w.T + b, 0)
    acts.append(h)
    loss, d = softmax_xent(h @ params[-2].T + params[-1], y)
    grads = []
    for i in range(len(acts) - 1, -1, -1):
        w, a = params[2 * i], acts[i]
        grads[:0] = [d.T @ a, d.sum(0)]
        if i:
            d = d @ w
            d *= a > 0
    return loss, grads


def conv_cnhw(x, w, b=None):
    """3x3 convolution, padding 1, of x (C, N, H, W): the output (O, N, H, W) and the
    columns its backward needs."""
    c, n, hh, ww = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = sliding_window_view(xp, (3, 3), axis=(2, 3)).transpose(0, 4, 5, 1, 2, 3) \
        .reshape(c * 9, n * hh * ww)
    out = w.reshape(len(w), -1) @ cols
    if b is not None:
        out += b[:, None]
    return out.reshape(len(w), n, hh, ww), cols


def conv_cnhw_back(dout, w, cols, x_shape=None):
    """Gradients of the weight and the bias, and of the input when x_shape is given."""
    o = len(w)
    d = dout.reshape(o, -1)
    dw, db = (d @ cols.T).reshape(w.shape), d.sum(1)
    if x_shape is None:
        return dw, db, None
    c, n, hh, ww = x_shape
    dcols = (w.reshape(o, -1).T @ d).reshape(c, 3, 3, n, hh, ww)
    dxp = np.zeros((c, n, hh + 2, ww + 2), dtype=d.dtype)
    for i in range(3):
        for j in range(3):
            dxp[:, :, i:i + hh, j:j + ww] += dcols[:, i, j]
    return dw, db, dxp[:, :, 1:-1, 1:-1]


def batch_norm_cnhw(h, gamma, beta, running, momentum=0.1, eps=1e-5):
    """Training-mode batch norm of h (C, N, H, W), per channel; updates ``running`` (mean,
    var) in place from the same statistics. Returns the output and its backward."""
    axes = (1, 2, 3)
    mean = h.mean(axis=axes, keepdims=True)
    centered = h - mean
    var = np.mean(centered * centered, axis=axes, keepdims=True)
    inv_std = 1 / np.sqrt(var + eps)
    xhat = centered * inv_std
    count = h.size // len(h)
    running[0] *= 1 - momentum
    running[0] += momentum * mean.ravel()
    running[1] *= 1 - momentum
    running[1] += momentum * var.ravel() * (count / (count - 1))
    shape = (-1, 1, 1, 1)

    def back(dy):
        dgamma, dbeta = (dy * xhat).sum(axes), dy.sum(axes)
        dxhat = dy * gamma.reshape(shape)
        dx = inv_std * (dxhat - dbeta.reshape(shape) * gamma.reshape(shape) / count
                        - xhat * (dgamma * gamma).reshape(shape) / count)
        return dx, dgamma, dbeta

    return xhat * gamma.reshape(shape) + beta.reshape(shape), back


def relu_pool(h):
    """ReLU then 2x2 max pool of h (C, N, H, W): the pooled map and its backward. Ties only
    occur at 0 in practice, where ReLU's mask stops the gradient anyway."""
    r = np.maximum(h, 0)
    corners = [(i, j) for i in range(2) for j in range(2)]
    pooled = np.maximum(np.maximum(r[:, :, 0::2, 0::2], r[:, :, 0::2, 1::2]),
                        np.maximum(r[:, :, 1::2, 0::2], r[:, :, 1::2, 1::2]))

    def back(dp):
        dh = np.empty_like(h)
        for i, j in corners:
            kept = (r[:, :, i::2, j::2] == pooled) & (h[:, :, i::2, j::2] > 0)
            dh[:, :, i::2, j::2] = dp * kept
        return dh

    return pooled, back


def cnn_grads(params, x, y, running):
    """Loss and gradients of 2 x [conv3x3 (no bias) - BN - ReLU - maxpool 2] + linear;
    ``running``: the two BN layers' [mean, var], updated in place."""
    w1, g1, b1, w2, g2, b2, w3, b3 = params
    n = len(x)
    h1, cols1 = conv_cnhw(x.transpose(1, 0, 2, 3), w1)
    n1, bn1 = batch_norm_cnhw(h1, g1, b1, running[0])
    p1, pool1 = relu_pool(n1)
    h2, cols2 = conv_cnhw(p1, w2)
    n2, bn2 = batch_norm_cnhw(h2, g2, b2, running[1])
    p2, pool2 = relu_pool(n2)
    f = p2.transpose(1, 0, 2, 3).reshape(n, -1)
    loss, dz = softmax_xent(f @ w3.T + b3, y)
    df = (dz @ w3).reshape(n, *p2.shape[:1], *p2.shape[2:]).transpose(1, 0, 2, 3)
    dh2, dg2, db2 = bn2(pool2(df))
    dw2, _, dp1 = conv_cnhw_back(dh2, w2, cols2, p1.shape)
    dh1, dg1, db1 = bn1(pool1(dp1))
    dw1, _, _ = conv_cnhw_back(dh1, w1, cols1)
    return loss, [dw1, dg1, db1, dw2, dg2, db2, dz.T @ f, dz.sum(0)]


def conv_grads(x, w, b, g):
    """Conv2d 3x3 padding 1 of x (N, C, H, W) forward, then the gradients of x, w and b for
    the output gradient g (N, O, H, W)."""
    x_cnhw = x.transpose(1, 0, 2, 3)
    out, cols = conv_cnhw(x_cnhw, w, b)
    dw, db, dx = conv_cnhw_back(g.transpose(1, 0, 2, 3), w, cols, x_cnhw.shape)
    return out.transpose(1, 0, 2, 3), [dx.transpose(1, 0, 2, 3), dw, db]


def sgd(params, grads, buffers, lr, momentum):
    """PyTorch's SGD update, in place: b = momentum * b + g (b = g at first), p -= lr * b.
    Each g is this step's own temporary, so it is reused as the scratch for lr * b."""
    for p, b, g in zip(params, buffers, grads):
        if momentum:
            b *= momentum  # b starts at zeros, so the first step leaves b = g
            b += g
            np.multiply(b, lr, out=g)
        else:
            g *= lr
        p -= g


def adam(params, grads, exp_avgs, exp_avg_sqs, step, lr, betas=(0.9, 0.999), eps=1e-8):
    """PyTorch's Adam update, in place, written as plain numpy code would: the moments
    updated in place, the step's expression one temporary per operation (g², √v, the
    division), each of the parameter's size."""
    beta1, beta2 = betas
    c1, c2 = 1 - beta1 ** step, math.sqrt(1 - beta2 ** step)
    for p, g, m, v in zip(params, grads, exp_avgs, exp_avg_sqs):
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * (g * g)
        p -= (lr / c1) * m / (np.sqrt(v) / c2 + eps)
