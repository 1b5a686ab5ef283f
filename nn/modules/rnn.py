"""Recurrent layers (RNN, LSTM, GRU) and their single-step cells, with PyTorch's names,
parameter names, shapes, gate order and initialization, so that a PyTorch ``state_dict``
loads unchanged.

Each layer and direction computes the input projections of all steps in one matmul, then
runs the time loop as one fused op (`nn.functional.rnn._recurrent`).
"""
import math
import numbers
import warnings

import numpy as np

from autograd import ShapeError, concatenate, get_default_dtype, reshape, stack, swapaxes
from autograd import zeros as _zeros

from .. import functional as F
from .. import init
from ..functional._checks import _check_fraction, _check_size, _float_input
from ..functional.rnn import _CELLS, _recurrent
from ..parameter import Parameter
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


def _uniform_all(module):
    """PyTorch's initialization of recurrent layers: every parameter from
    U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
    bound = 1 / math.sqrt(module.hidden_size) if module.hidden_size > 0 else 0
    for p in module.parameters():
        init.uniform_(p, -bound, bound)


class RNNBase(Module):
    """The multi-layer, optionally bidirectional recurrence behind `RNN`, `LSTM` and `GRU`.

    Parameters per layer ``k`` and direction (suffix ``_reverse`` for the backward one):
    ``weight_ih_l{k}`` (gates * hidden_size, input size of the layer), ``weight_hh_l{k}``
    (gates * hidden_size, hidden_size), ``bias_ih_l{k}``, ``bias_hh_l{k}``. The input may
    be a `nn.utils.rnn.PackedSequence` (the output then is one too).

    >>> [name for name, _ in nn.GRU(3, 4, bidirectional=True).named_parameters()][:5]
    ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l0_reverse']
    """

    _input_kind = None  # forward checks it: it may be a PackedSequence

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, *,
                 dtype=None):
        super().__init__()
        name = type(self).__name__
        _check_size(name, "input_size", input_size)
        _check_size(name, "hidden_size", hidden_size)
        if isinstance(num_layers, bool) or not isinstance(num_layers, numbers.Integral) \
                or num_layers < 1:
            raise ValueError(f"{name}: num_layers must be a positive int, got {num_layers!r}")
        _check_fraction(name, "dropout", dropout, "the probability of dropping an output of "
                        "each layer but the last, in training")
        if proj_size:
            raise NotImplementedError(f"{name}: proj_size is not supported (only 0)")
        if dropout > 0 and num_layers == 1:
            warnings.warn(f"{name}: dropout option adds dropout after all but last recurrent "
                          f"layer, so non-zero dropout expects num_layers greater than 1, but "
                          f"got dropout={dropout} and num_layers={num_layers}", stacklevel=2)
        self.mode = mode
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first = bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, 0
        gates = _CELLS[mode].gates * hidden_size
        dtype = dtype or get_default_dtype()
        directions = 2 if bidirectional else 1
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size * directions
            for suffix in ("", "_reverse")[:directions]:
                shapes = [("weight_ih", (gates, width)), ("weight_hh", (gates, hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gates,)), ("bias_hh", (gates,))]
                for what, shape in shapes:
                    setattr(self, f"{what}_l{layer}{suffix}",
                            Parameter(np.empty(shape, dtype=dtype)))
        self.reset_parameters()

    def reset_parameters(self):
        _uniform_all(self)

    def _weights(self, layer, reverse):
        suffix = f"_l{layer}" + ("_reverse" if reverse else "")
        return [getattr(self, f"{w}{suffix}") if self.bias or w.startswith("weight") else None
                for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]

    def _initial(self, hx, batched, batch, dtype):
        """The initial states as (layers * directions, batch, hidden) tensors."""
        want = (self.num_layers * (2 if self.bidirectional else 1), batch, self.hidden_size)
        states = 2 if self.mode == "LSTM" else 1
        if hx is None:
            return [_zeros(want, dtype=dtype)] * states
        if self.mode == "LSTM" and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
            raise TypeError("LSTM: hx must be a pair (h_0, c_0)")
        hx = list(hx) if self.mode == "LSTM" else [hx]
        expected = want if batched else (want[0], want[2])
        for h, what in zip(hx, ("h_0", "c_0")):
            if tuple(np.shape(h)) != expected:
                raise ShapeError(f"{type(self).__name__}: {what} has shape {np.shape(h)}; for "
                                 f"this input it must be {expected} (num_layers * "
                                 "num_directions, batch, hidden_size), without the batch "
                                 "axis for an unbatched input")
        return hx if batched else [reshape(h, (want[0], 1, want[2])) for h in hx]

    def forward(self, input, hx=None):
        packed = input if hasattr(input, "batch_sizes") else None  # a PackedSequence
        name, lengths = type(self).__name__, None
        if packed is not None:  # run each sequence for its own length, then pack again
            lengths = packed._lengths()
            input = packed._replace(data=_float_input(name, packed.data,
                                                      self._own_float_dtype()))._padded()
        else:
            input = _float_input(name, input, self._own_float_dtype())
        if input.ndim not in (2, 3) or input.shape[-1] != self.input_size:
            raise ShapeError(f"{name}: expected an input of shape (L, N, {self.input_size}) "
                             f"({'(N, L, ...)' if self.batch_first else ''} with batch_first), "
                             f"or (L, {self.input_size}) unbatched; got {input.shape}")
        batched = input.ndim == 3
        if not batched:
            input = reshape(input, (input.shape[0], 1, input.shape[1]))
        elif self.batch_first and packed is None:
            input = swapaxes(input, 0, 1)
        steps, batch = input.shape[:2]
        states = self._initial(hx, batched, batch, input.dtype)
        lstm = self.mode == "LSTM"
        directions = 2 if self.bidirectional else 1
        h_n, c_n, x = [], [], input
        for layer in range(self.num_layers):
            if layer and self.dropout and self.training:
                x = F.dropout(x, self.dropout, True)
            outs = []
            for d in range(directions):
                k = layer * directions + d
                w_ih, w_hh, b_ih, b_hh = self._weights(layer, d == 1)
                xw = F.linear(reshape(x, (steps * batch, x.shape[-1])), w_ih, b_ih)
                ans = _recurrent(reshape(xw, (steps, batch, -1)), states[0][k],
                                 states[1][k] if lstm else None, w_hh, b_hh,
                                 mode=self.mode, reverse=d == 1, lengths=lengths)
                last = 0 if d == 1 else steps - 1
                outs.append(ans[:, 0])
                h_n.append(outs[-1][last])  # (from the smaller tensor: a cheaper gradient)
                if lstm:
                    c_n.append(ans[last, 1])
            x = outs[0] if directions == 1 else concatenate(outs, axis=2)
        finals = [stack(h_n)] + ([stack(c_n)] if lstm else [])
        if packed is not None:
            x = packed._replace(data=x[packed._rows()])
        elif not batched:
            x = reshape(x, (steps, x.shape[-1]))
            finals = [reshape(h, (h.shape[0], h.shape[2])) for h in finals]
        elif self.batch_first:
            x = swapaxes(x, 0, 1)
        return (x, tuple(finals)) if lstm else (x, finals[0])

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.mode == "RNN_RELU":
            s += ", nonlinearity='relu'"
        for key, default in (("bias", True), ("batch_first", False), ("dropout", 0.0),
                             ("bidirectional", False)):
            if getattr(self, key) != default:
                s += f", {key}={getattr(self, key)}"
        return s


class RNN(RNNBase):
    """Elman RNN: ``h_t = tanh(x_t @ W_ih.T + b_ih + h_{t-1} @ W_hh.T + b_hh)`` (or ReLU with
    ``nonlinearity='relu'``), over ``num_layers`` stacked layers.

    Input (L, N, input_size), or (N, L, input_size) with ``batch_first``, or (L, input_size)
    unbatched; optional ``h_0`` (num_layers * num_directions, N, hidden_size). Returns
    ``(output, h_n)``: output (L, N, num_directions * hidden_size), the last layer's state
    at every step; h_n every layer's final state.

    >>> rnn = nn.RNN(3, 5, num_layers=2)
    >>> out, h_n = rnn(autograd.randn(7, 4, 3))
    >>> out.shape, h_n.shape
    ((7, 4, 5), (2, 4, 5))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, *, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: unknown nonlinearity {nonlinearity!r}; use 'tanh' or "
                             "'relu'")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         dtype=dtype)


class LSTM(RNNBase):
    """Long short-term memory, PyTorch's formulation and gate order (i, f, g, o):
    ``c_t = f * c_{t-1} + i * g``, ``h_t = o * tanh(c_t)``.

    Shapes as `RNN`; the state is a pair ``(h_0, c_0)`` and it returns
    ``(output, (h_n, c_n))``.

    >>> lstm = nn.LSTM(3, 5, batch_first=True, bidirectional=True)
    >>> out, (h_n, c_n) = lstm(autograd.randn(4, 7, 3))
    >>> out.shape, c_n.shape
    ((4, 7, 10), (2, 4, 5))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, *, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, dtype=dtype)


class GRU(RNNBase):
    """Gated recurrent unit, PyTorch's formulation and gate order (r, z, n):
    ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``, ``h' = (1 - z) * n + z * h``.

    Shapes as `RNN`.

    >>> out, h_n = nn.GRU(3, 5)(autograd.randn(7, 3))      # unbatched
    >>> out.shape, h_n.shape
    ((7, 5), (1, 5))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, dtype=dtype)


class RNNCellBase(Module):
    """One step of a recurrence: parameters ``weight_ih``, ``weight_hh``, ``bias_ih``,
    ``bias_hh`` as PyTorch's cells.

    >>> nn.LSTMCell(3, 4).weight_hh.shape          # gates i, f, g, o stacked
    (16, 4)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, input_size, hidden_size, bias, gates, *, dtype=None):
        super().__init__()
        name = type(self).__name__
        _check_size(name, "input_size", input_size)
        _check_size(name, "hidden_size", hidden_size)
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        dtype = dtype or get_default_dtype()
        self.weight_ih = Parameter(np.empty((gates * hidden_size, input_size), dtype=dtype))
        self.weight_hh = Parameter(np.empty((gates * hidden_size, hidden_size), dtype=dtype))
        for what in ("bias_ih", "bias_hh"):
            self.register_parameter(what, Parameter(np.empty(gates * hidden_size, dtype=dtype))
                                    if bias else None)
        self.reset_parameters()

    def reset_parameters(self):
        _uniform_all(self)

    def _zeros(self, input):
        shape = input.shape[:-1] + (self.hidden_size,)
        return _zeros(shape, dtype=input.dtype)

    def _params(self):
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}, bias={self.bias}"


class RNNCell(RNNCellBase):
    """One tanh (or ReLU) RNN step: ``h' = tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)``.
    Input (N, input_size) or (input_size,); ``hx`` defaults to zeros.

    >>> nn.RNNCell(3, 4)(autograd.randn(2, 3)).shape
    (2, 4)
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", *, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: unknown nonlinearity {nonlinearity!r}; use 'tanh' or "
                             "'relu'")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, 1, dtype=dtype)

    def forward(self, input, hx=None):
        fn = F.rnn_tanh_cell if self.nonlinearity == "tanh" else F.rnn_relu_cell
        return fn(input, self._zeros(input) if hx is None else hx, *self._params())


class LSTMCell(RNNCellBase):
    """One LSTM step; ``hx = (h, c)`` (default zeros); returns ``(h', c')``.

    >>> h, c = nn.LSTMCell(3, 4)(autograd.randn(2, 3))
    >>> h.shape, c.shape
    ((2, 4), (2, 4))
    """

    def __init__(self, input_size, hidden_size, bias=True, *, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, dtype=dtype)

    def forward(self, input, hx=None):
        if hx is None:
            hx = (self._zeros(input), self._zeros(input))
        return F.lstm_cell(input, hx, *self._params())


class GRUCell(RNNCellBase):
    """One GRU step; ``hx`` defaults to zeros.

    >>> nn.GRUCell(3, 4)(autograd.randn(3)).shape
    (4,)
    """

    def __init__(self, input_size, hidden_size, bias=True, *, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, dtype=dtype)

    def forward(self, input, hx=None):
        return F.gru_cell(input, self._zeros(input) if hx is None else hx, *self._params())
