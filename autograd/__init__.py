"""A reverse-mode (and forward-mode) automatic differentiation engine on numpy."""
from .creation import arange, eye, full, ones, ones_like, zeros, zeros_like
from .engine import Node, Op, primitive
from .errors import (AnomalyError, AutogradError, BackwardError, DtypeError, GradcheckError,
                     GraphFreedError, IndexingError, ShapeError, UnusedInputError)
from .grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .ops import (abs, absolute, add, amax, amin, argmax, argmin, astype, broadcast_to, clip, concatenate, cos, div, divide,
                  dot, equal, erf, exp, expand_dims, expm1, flatten, getitem, greater, greater_equal, less,
                  less_equal, log, log1p, log_softmax, logaddexp, logsumexp, matmul, max, maximum, mean, min,
                  minimum, mul, multiply, neg, negative, not_equal, outer, pad, power, prod, relu, reshape, sigmoid,
                  sign, sin, softmax, split, sqrt, squeeze, stack, std, sub, subtract, sum, sum_to,
                  swapaxes, tanh, transpose, true_divide, var, where)
from .random import get_rng_state, manual_seed, rand, randn, set_rng_state
from .serialization import CheckpointError, load, save
from .tensor import Tensor, get_default_dtype, set_default_dtype, tensor
from .function import Function, FunctionCtx
from .functional import grad, hessian, hvp, jacobian, jvp, vjp
from .gradcheck import gradcheck, gradgradcheck
from .viz import draw_graph
