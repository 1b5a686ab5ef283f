# "Learning PyTorch with Examples", part 3: y = a + b P3(c + d x), with the Legendre
# polynomial P3(t) = (5 t^3 - 3 t) / 2 as a custom autograd Function, its backward written
# by hand and checked against finite differences with gradcheck.
import math

import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


class WrongLegendre(LegendrePolynomial3):
    """The same forward with a slip in the derivative (the -1 forgotten)."""

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * 5 * input ** 2


dtype = torch.float
x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = torch.sin(x)

# the tutorial's starting point: close enough to the answer for P3 to converge
a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, dtype=dtype, requires_grad=True)

learning_rate = 5e-6
losses = []
for _ in range(2000):
    P3 = LegendrePolynomial3.apply
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    losses.append(loss.item())
    loss.backward()

    with torch.no_grad():
        for coefficient in (a, b, c, d):
            coefficient -= learning_rate * coefficient.grad
            coefficient.grad = None

coefficients = [a.item(), b.item(), c.item(), d.item()]

# the hand-written backward against central differences, in float64 as gradcheck wants
points = torch.linspace(-1.5, 1.5, 7, dtype=torch.double).requires_grad_()
right_passes = torch.autograd.gradcheck(LegendrePolynomial3.apply, (points,), eps=1e-6,
                                        atol=1e-4)
wrong_passes = torch.autograd.gradcheck(WrongLegendre.apply, (points,), eps=1e-6, atol=1e-4,
                                        raise_exception=False)
try:
    torch.autograd.gradcheck(WrongLegendre.apply, (points,), eps=1e-6, atol=1e-4)
    wrong_message = None
except RuntimeError as error:  # GradcheckError is a RuntimeError in both
    wrong_message = str(error)
