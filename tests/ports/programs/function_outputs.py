# A custom autograd Function with two outputs, the second (integer indices) marked
# non-differentiable, and a backward that may run once only (once_differentiable).
import torch
from torch.autograd.function import once_differentiable


class RowMax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        values, indices = x.max(dim=1)
        ctx.mark_non_differentiable(indices)
        ctx.save_for_backward(indices)
        ctx.width = x.shape[1]
        return values, indices

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_values, grad_indices):
        (indices,) = ctx.saved_tensors
        picked = torch.arange(ctx.width) == indices.unsqueeze(1)  # one-hot rows
        return picked.to(grad_values.dtype) * grad_values.unsqueeze(1)


x = torch.tensor([[3.0, 1.0, 2.0], [0.5, -1.0, 4.0]], dtype=torch.float64, requires_grad=True)
values, indices = RowMax.apply(x)
flags = (values.requires_grad, indices.requires_grad, indices.dtype == torch.int64)
(values * torch.tensor([1.0, 10.0], dtype=torch.float64)).sum().backward()
grad = x.grad.clone()

passes = torch.autograd.gradcheck(lambda t: RowMax.apply(t)[0], (x,))

# differentiating the backward again is refused (here already when create_graph asks for it)
try:
    (first,) = torch.autograd.grad(RowMax.apply(x)[0].sum(), x, create_graph=True)
    first.sum().backward()
    twice = None
except RuntimeError as error:
    twice = str(error)
