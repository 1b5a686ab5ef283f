"""A Jacobian penalty: the squared Frobenius norm of a network's input-output Jacobian, by
double backward (contractive auto-encoders, Rifai et al. 2011; Jacobian regularization,
Hoffman et al. 2019), differentiable in the weights."""
import autograd
from autograd import ShapeError, Tensor

__all__ = ["jacobian_penalty"]


def jacobian_penalty(outputs, inputs):
    """``sum_i ||d outputs[i] / d inputs[i]||_F**2 / N``: the squared Frobenius norm of each
    sample's Jacobian, averaged over the batch (axis 0 of both). ``outputs`` must come from
    ``inputs`` (which require grad) sample by sample, so that sample i's outputs depend on
    sample i's inputs only (a per-sample network; not batch norm in train mode). One
    backward per output feature, each with ``create_graph=True``: the penalty is itself
    differentiable, so ``loss + lam * jacobian_penalty(out, x)`` trains.

    >>> x = autograd.randn(5, 3, requires_grad=True)
    >>> w = autograd.tensor([[1.0, 2.0, 0.0], [0.0, 0.0, 2.0]])
    >>> F.jacobian_penalty(x @ w.T, x)          # a linear map: ||W||_F**2 = 1 + 4 + 4
    Tensor(9.)
    """
    if not isinstance(outputs, Tensor) or not isinstance(inputs, Tensor):
        raise TypeError(f"jacobian_penalty: expected tensors (outputs, inputs), got "
                        f"{type(outputs).__name__}, {type(inputs).__name__}")
    if not inputs.requires_grad:
        raise ValueError("jacobian_penalty: inputs must require grad (x.requires_grad_() "
                         "before computing outputs from it)")
    if outputs.ndim < 1 or inputs.ndim < 1 or outputs.shape[0] != inputs.shape[0]:
        raise ShapeError(f"jacobian_penalty: outputs and inputs need the same batch size on "
                         f"axis 0, got shapes {tuple(outputs.shape)} and {tuple(inputs.shape)}")
    flat = outputs.reshape(outputs.shape[0], -1)
    total = autograd.zeros((), dtype=inputs.dtype)
    for j in range(flat.shape[1]):
        (g,) = autograd.grad(flat[:, j].sum(), inputs, create_graph=True, retain_graph=True,
                             allow_unused=True)
        if g is not None:
            total = total + (g * g).sum()
    return total / inputs.shape[0]
