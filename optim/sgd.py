"""`SGD`: stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""
import autograd

from .optimizer import Optimizer, active, average, descend, l2_decay

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent, with PyTorch's update rule (g = grad + weight_decay · p):

    - without momentum: ``p ← p − lr · g``;
    - with momentum μ: ``b ← μ b + (1 − dampening) g`` (``b = g`` on the first step), then
      ``p ← p − lr · b``, or with ``nesterov=True`` ``p ← p − lr · (g + μ b)``.

    The buffer holds the sum of past gradients, not the course notes' velocity
    ``v = μ v − lr g``: the two agree while ``lr`` is constant (``v = −lr · b``); PyTorch's
    form keeps the momentum when a schedule changes ``lr``.

    >>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, differentiable=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      differentiable=differentiable))

    def _check(self, group):
        self._check_at_least_zero(group, "lr", "momentum", "weight_decay")
        momentum, dampening = (self._number(key, group[key]) for key in ("momentum", "dampening"))
        if group["nesterov"] and (momentum <= 0 or dampening != 0):
            raise ValueError(f"SGD: Nesterov momentum needs momentum > 0 and dampening = 0, "
                             f"got momentum={group['momentum']}, "
                             f"dampening={group['dampening']}")

    def _makes_temporaries(self, group):
        # only weight decay's and Nesterov's g + λp, g + μb: momentum averages in place and
        # the update adds in blocks already
        return active(group["weight_decay"]) or bool(group["nesterov"])

    def _update(self, p, grad, state, group):
        momentum = group["momentum"]
        grad = l2_decay(grad, p, group)
        if active(momentum):
            if state.get("momentum_buffer") is None:
                # its own copy (as PyTorch): on the plain step grad is p.grad's own array,
                # which a later backward may add to in place
                state["momentum_buffer"] = buf = autograd.clone(grad)
            else:
                buf = average(state, "momentum_buffer", momentum, grad, 1 - group["dampening"])
            grad = grad + momentum * buf if group["nesterov"] else buf
        return descend(p, group["lr"], grad)
