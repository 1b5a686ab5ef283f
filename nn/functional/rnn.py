"""Recurrent cells: the vanilla (tanh or ReLU) RNN, LSTM and GRU steps, with PyTorch's gate
order and formulas, and the recurrence that runs them over a sequence.

A recurrence is one fused op, `_recurrent`: given the input projections of every step
(``xw = x @ W_ih.T + b_ih``, one matmul for the whole sequence, done by the caller), it runs
the time loop on raw arrays and returns, per step, the new state and the gate values the
backward needs. Its reverse rule walks the steps backwards in a loop (no recursion), each
step's gate gradients computed once for all inputs, and forms the recurrent weight's
gradient as one matmul over all steps. A cell call (`lstm_cell`...) is the same op over one
step. The rules are written with autograd ops, so they run on arrays in a plain backward
and are recorded under ``create_graph=True`` (second derivatives, ``gradgradcheck``).

Why one op per sequence and not one per step: this engine has no multi-output nodes, so
feeding per-step nodes from one input projection needs per-step slices, and each slice's
gradient is a full (steps, batch, gates) array (O(steps²) memory traffic: measured 59 ms per
layer of a 32-step, 256-unit LSTM, more than PyTorch's whole training step); per-step nodes
also add a (gates, hidden) weight gradient per step instead of one matmul.
"""
import numpy as np

from autograd import ShapeError, concatenate, reshape, stack
from autograd import tanh as _tanh
from autograd.extend import joint, raw, registered

from ._checks import _check_dtype, _check_floating
from .linear import linear

__all__ = ["rnn_tanh_cell", "rnn_relu_cell", "lstm_cell", "gru_cell"]


def _sigmoid(x):
    """The logistic function on an array, via one tanh (stable for any x)."""
    return 0.5 * np.tanh(0.5 * x) + 0.5


def _split(x, parts):
    """x's last axis cut into ``parts`` equal pieces (the gates)."""
    n = x.shape[-1] // parts
    return [x[..., k * n:(k + 1) * n] for k in range(parts)]


# Each cell: ``step`` (numpy, forward), ``back`` (reverse) and ``push`` (forward mode), the
# last two written with autograd ops. A step's record P holds K (batch, hidden) arrays:
# the new hidden state first (then, for the LSTM, the cell state) and the gate values.
# ``px`` is the input's projection for the step, ``ph`` the hidden state's (h @ W_hh.T +
# b_hh); they are summed before the gates except in the GRU's n gate.
class _Tanh:
    gates, K = 1, 1

    @staticmethod
    def step(px, ph, h, c):
        return [np.tanh(px + ph)]

    @staticmethod
    def slope(h):
        return (1 + h) * (1 - h)

    @classmethod
    def back(cls, gs, P, h, c):
        d = gs[0] * cls.slope(P[0])
        return d, d, None, None

    @classmethod
    def push(cls, tx, th, tw, tc, P, h, c):
        return [(tx + tw) * cls.slope(P[0])]


class _Relu(_Tanh):
    @staticmethod
    def step(px, ph, h, c):
        return [np.maximum(px + ph, 0)]

    @staticmethod
    def slope(h):
        return raw(h) > 0


class _Lstm:
    gates, K = 4, 6  # records h, c, i, f, g, o

    @staticmethod
    def step(px, ph, h, c):
        i, f, g, o = _split(px + ph, 4)
        i, f, g, o = _sigmoid(i), _sigmoid(f), np.tanh(g), _sigmoid(o)
        c = f * c + i * g
        return [o * np.tanh(c), c, i, f, g, o]

    @staticmethod
    def back(gs, P, h, c):
        gh, gc, gi, gf, gg, go = gs
        _, c_new, i, f, g, o = P
        tc = _tanh(c_new)
        dc = gc + gh * o * (1 - tc * tc)
        do = go + gh * tc
        di, df, dg = gi + dc * g, gf + dc * c, gg + dc * i
        d = concatenate([di * i * (1 - i), df * f * (1 - f), dg * (1 + g) * (1 - g),
                         do * o * (1 - o)], axis=-1)
        return d, d, None, dc * f

    @staticmethod
    def push(tx, th, tw, tc, P, h, c):
        _, c_new, i, f, g, o = P
        ai, af, ag, ao = _split(tx + tw, 4)
        ti, tf, tg, to = ai * i * (1 - i), af * f * (1 - f), ag * (1 + g) * (1 - g), \
            ao * o * (1 - o)
        tcn = tf * c + f * tc + ti * g + i * tg
        t = _tanh(c_new)
        return [to * t + o * (1 - t * t) * tcn, tcn, ti, tf, tg, to]


class _Gru:
    gates, K = 3, 5  # records h, r, z, n and W_hn h + b_hn

    @staticmethod
    def step(px, ph, h, c):
        xr, xz, xn = _split(px, 3)
        hr, hz, hn = _split(ph, 3)
        r, z = _sigmoid(xr + hr), _sigmoid(xz + hz)
        n = np.tanh(xn + r * hn)
        return [n + z * (h - n), r, z, n, hn]

    @staticmethod
    def back(gs, P, h, c):
        gh, gr, gz, gn, ghn = gs
        _, r, z, n, hn = P
        dn = (gn + gh * (1 - z)) * (1 + n) * (1 - n)
        dz = (gz + gh * (h - n)) * z * (1 - z)
        dr = (gr + dn * hn) * r * (1 - r)
        return (concatenate([dr, dz, dn], axis=-1),
                concatenate([dr, dz, ghn + dn * r], axis=-1), gh * z, None)

    @staticmethod
    def push(tx, th, tw, tc, P, h, c):
        _, r, z, n, hn = P
        xr, xz, xn = _split(tx, 3)
        wr, wz, wn = _split(tw, 3)
        tr, tz = (xr + wr) * r * (1 - r), (xz + wz) * z * (1 - z)
        tn = (xn + tr * hn + r * wn) * (1 + n) * (1 - n)
        return [tn + tz * (h - n) + z * (th - tn), tr, tz, tn, wn]


_CELLS = {"RNN_TANH": _Tanh, "RNN_RELU": _Relu, "LSTM": _Lstm, "GRU": _Gru}


def _order(steps, reverse):
    return range(steps - 1, -1, -1) if reverse else range(steps)


def _previous(ans, h0, c0, t, steps, reverse):
    """The (h, c) a step started from: the initial state, or the step before's record."""
    first = t == (steps - 1 if reverse else 0)
    if first:
        return h0, c0
    prev = t + 1 if reverse else t - 1
    return ans[prev, 0], (ans[prev, 1] if c0 is not None else None)


def _recurrent_vjp(g, ans, xw, h0, c0, w_hh, b_hh, *, mode, reverse, wanted, lengths=None):
    """Every input's gradient from one backward walk over the steps."""
    cell, steps = _CELLS[mode], ans.shape[0]
    dh = dc = None
    dxs, dhws = [None] * steps, [None] * steps
    for t in _order(steps, not reverse):  # backwards in the recurrence's own time
        h, c = _previous(ans, h0, c0, t, steps, reverse)
        gs = [g[t, k] for k in range(cell.K)]
        if dh is not None:
            gs[0] = gs[0] + dh
        if dc is not None:
            gs[1] = gs[1] + dc
        running = _running(lengths, t)
        if running is not None:  # a finished sequence's state passes through unchanged
            held = [gs[0] * ~running, gs[1] * ~running if c0 is not None else None]
            gs = [gk * running for gk in gs]
        dxs[t], dhws[t], dh_direct, dc = cell.back(gs, ans[t], h, c)
        last = t == (steps - 1 if reverse else 0)
        if not last or wanted[1]:
            dh = dhws[t] @ w_hh
            if dh_direct is not None:
                dh = dh + dh_direct
            if running is not None:
                dh = dh + held[0]
        if running is not None and c0 is not None:
            dc = dc + held[1]
    grads = [None] * 5
    shared = dxs[0] is dhws[0]  # the same gradient (all but the GRU): stacked once
    if wanted[0] or shared and (wanted[3] or wanted[4]):
        grads[0] = stack(dxs)
    grads[1], grads[2] = (dh if wanted[1] else None), (dc if wanted[2] else None)
    if wanted[3] or wanted[4]:
        dhw = grads[0] if shared else stack(dhws)  # (steps, batch, gates * hidden)
        grads[4] = dhw if wanted[4] else None  # the engine sums it to b_hh's shape
        grads[0] = grads[0] if wanted[0] else None
        if wanted[3]:
            hs = ans[:, 0]
            start = reshape(h0, (1,) + h0.shape)
            before = concatenate([hs[1:], start] if reverse else [start, hs[:-1]])
            grads[3] = reshape(dhw, (-1, dhw.shape[-1])).T @ \
                reshape(before, (-1, before.shape[-1]))
    return grads


def _recurrent_jvp(tangents, ans, xw, h0, c0, w_hh, b_hh, *, mode, reverse, lengths=None):
    """The tangent of every step's record, stepping forward through time."""
    cell, steps = _CELLS[mode], ans.shape[0]
    t_xw, th, tc, t_w, t_b = tangents
    th = np.zeros(h0.shape, h0.dtype) if th is None else th
    if c0 is not None and tc is None:
        tc = np.zeros(c0.shape, c0.dtype)
    out = [None] * steps
    for t in _order(steps, reverse):
        h, c = _previous(ans, h0, c0, t, steps, reverse)
        tw = th @ w_hh.T
        if t_w is not None:
            tw = tw + h @ t_w.T
        if t_b is not None:
            tw = tw + t_b
        tx = tw * 0 if t_xw is None else t_xw[t]
        if cell is not _Gru:  # GRU keeps the input's and the state's projections apart
            tx, tw = tx + tw, tw * 0
        tp = cell.push(tx, th, tw, tc, ans[t], h, c)
        running = _running(lengths, t)
        if running is not None:
            tp[0] = tp[0] * running + th * ~running
            if c0 is not None:
                tp[1] = tp[1] * running + tc * ~running
        out[t] = stack(tp)
        th, tc = tp[0], (tp[1] if c0 is not None else None)
    return stack(out)


def _running(lengths, t):
    """Which sequences are still running at step t, as an (N, 1) mask (None: all are)."""
    return None if lengths is None else (t < lengths)[:, None]


@joint(_recurrent_vjp, _recurrent_jvp, saves="ans h0 c0 w_hh")
def _recurrent(xw, h0, c0, w_hh, b_hh, *, mode, reverse, lengths=None):
    """Records (steps, K, batch, hidden): per step, the cell's new state and gate values.
    ``lengths`` (per sequence; None: all run every step): a sequence past its length keeps
    its state (and the reverse direction starts at its last real step)."""
    cell, steps = _CELLS[mode], xw.shape[0]
    ans = np.empty((steps, cell.K) + h0.shape, dtype=xw.dtype)
    h, c, w_t = h0, c0, np.ascontiguousarray(w_hh.T)  # ~1.15x faster matmuls than a .T view
    for t in _order(steps, reverse):
        ph = h @ w_t
        if b_hh is not None:
            ph += b_hh
        record = cell.step(xw[t], ph, h, c)
        running = _running(lengths, t)
        if running is not None:
            record[0] = np.where(running, record[0], h)
            if c0 is not None:
                record[1] = np.where(running, record[1], c)
        for k, value in enumerate(record):
            ans[t, k] = value
        h, c = record[0], (record[1] if c0 is not None else None)
    return ans


def _check_cell(fn, input, hx, w_ih, w_hh, b_ih, b_hh, gates):
    """Shapes and dtypes of a cell call; returns (batched input, hidden states, batched?)."""
    dtype = _check_floating(fn, input)
    for p in (w_ih, w_hh, b_ih, b_hh):
        if p is not None:
            _check_dtype(fn, dtype, np.asarray(p).dtype)
    hidden = np.shape(w_hh)[-1]
    if np.ndim(w_ih) != 2 or np.ndim(w_hh) != 2 or np.shape(w_hh)[0] != gates * hidden \
            or np.shape(w_ih)[0] != gates * hidden:
        raise ShapeError(f"{fn}: expected w_ih ({gates} * hidden, input_size) and w_hh "
                         f"({gates} * hidden, hidden), got shapes {np.shape(w_ih)} and "
                         f"{np.shape(w_hh)}")
    if np.ndim(input) not in (1, 2) or np.shape(input)[-1] != np.shape(w_ih)[1]:
        raise ShapeError(f"{fn}: expected an input of shape (batch, {np.shape(w_ih)[1]}) or "
                         f"({np.shape(w_ih)[1]},), got {np.shape(input)}")
    batched = np.ndim(input) == 2
    want = (np.shape(input)[0], hidden) if batched else (hidden,)
    for h in hx:
        if np.shape(h) != want:
            raise ShapeError(f"{fn}: the hidden state has shape {np.shape(h)}; for an input "
                             f"of shape {np.shape(input)} it must be {want}")
    if not batched:
        input, hx = reshape(input, (1, -1)), [reshape(h, (1, -1)) for h in hx]
    return input, hx, batched


def _cell(fn, mode, input, hx, w_ih, w_hh, b_ih, b_hh):
    """One step of a recurrence: the input's projection, then the fused step op."""
    states = list(hx) if mode == "LSTM" else [hx]
    x, states, batched = _check_cell(fn, input, states, w_ih, w_hh, b_ih, b_hh,
                                     _CELLS[mode].gates)
    xw = linear(x, w_ih, b_ih)
    ans = _recurrent(reshape(xw, (1,) + xw.shape), states[0],
                     states[1] if mode == "LSTM" else None, w_hh, b_hh,
                     mode=mode, reverse=False)
    out = [ans[0, k] if batched else ans[0, k, 0] for k in range(2 if mode == "LSTM" else 1)]
    return tuple(out) if mode == "LSTM" else out[0]


@registered("general", namespace="nn.functional")
def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of a tanh RNN (PyTorch's ``torch.rnn_tanh_cell``):
    ``h' = tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)``.

    >>> h = F.rnn_tanh_cell(autograd.ones(2, 3), autograd.zeros(2, 4),
    ...                     autograd.zeros(4, 3), autograd.zeros(4, 4))
    >>> h.shape
    (2, 4)
    """
    return _cell("rnn_tanh_cell", "RNN_TANH", input, hx, w_ih, w_hh, b_ih, b_hh)


@registered("general", namespace="nn.functional")
def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of a ReLU RNN: ``h' = relu(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)``.

    >>> F.rnn_relu_cell(autograd.ones(1, 2), autograd.zeros(1, 1), autograd.ones(1, 2),
    ...                 autograd.ones(1, 1), autograd.tensor([-3.0])).tolist()
    [[0.0]]
    """
    return _cell("rnn_relu_cell", "RNN_RELU", input, hx, w_ih, w_hh, b_ih, b_hh)


@registered("general", namespace="nn.functional")
def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One LSTM step (PyTorch's ``torch.lstm_cell``), ``hx = (h, c)``; returns ``(h', c')``.
    Gates in PyTorch's order i, f, g, o (the rows of w_ih and w_hh):
    ``c' = f * c + i * g``, ``h' = o * tanh(c')``.

    >>> h, c = F.lstm_cell(autograd.ones(2, 3), (autograd.zeros(2, 4), autograd.zeros(2, 4)),
    ...                    autograd.zeros(16, 3), autograd.zeros(16, 4))
    >>> c.tolist()[0]                      # f * 0 + 0.5 * tanh(0)
    [0.0, 0.0, 0.0, 0.0]
    """
    if not isinstance(hx, (tuple, list)) or len(hx) != 2:
        raise TypeError("lstm_cell: hx must be a pair (h, c) of hidden and cell states")
    return _cell("lstm_cell", "LSTM", input, hx, w_ih, w_hh, b_ih, b_hh)


@registered("general", namespace="nn.functional")
def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One GRU step (PyTorch's ``torch.gru_cell``), gates in PyTorch's order r, z, n:
    ``r = σ(W_ir x + b_ir + W_hr h + b_hr)``, ``z`` likewise,
    ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``, ``h' = (1 - z) * n + z * h``.

    >>> F.gru_cell(autograd.ones(3), autograd.ones(2), autograd.zeros(6, 3),
    ...            autograd.zeros(6, 2)).tolist()          # z = 0.5: (0 + 1) / 2
    [0.5, 0.5]
    """
    return _cell("gru_cell", "GRU", input, hx, w_ih, w_hh, b_ih, b_hh)
