# The autograd idioms of PyTorch's tutorials and notes ("Autograd mechanics", "A gentle
# introduction to torch.autograd"): leaves and grad_fn, retain_grad, gradients accumulating
# until x.grad.zero_(), requires_grad_, torch.no_grad (block and decorator), detach, a
# vector-Jacobian product by y.backward(v), retain_graph, hooks, torch.autograd.grad and seeds.
import numpy as np
import torch

torch.manual_seed(0)
first = torch.rand(3)
torch.manual_seed(0)
seeded_again = bool((torch.rand(3) == first).all())

x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
facts = [x.is_leaf, y.is_leaf, x.grad_fn is None, y.grad_fn is not None, out.requires_grad]
y.retain_grad()
out.backward()
x_grad = x.grad.clone()  # d(out)/dx = 3 (x + 2) / 2 = 4.5
y_grad = y.grad.clone()

(x * x).sum().backward()  # gradients add up in .grad
accumulated = x.grad.clone()
x.grad.zero_()
zeroed = x.grad.clone()

a = torch.from_numpy(np.array([[0.5, -2.0], [3.0, 4.0]]))
a = (a * 3) / (a - 1)
before = a.requires_grad
a.requires_grad_(True)
after = a.requires_grad
b = (a * a).sum()
b_has_grad_fn = b.grad_fn is not None

with torch.no_grad():
    c = x * 2
no_grad_flag = c.requires_grad


@torch.no_grad()
def doubled(t):
    return t * 2


decorated_flag = doubled(x).requires_grad
with torch.no_grad():
    with torch.enable_grad():
        enabled_flag = (x * 2).requires_grad
torch.set_grad_enabled(False)
disabled_flag = (x * 2).requires_grad
torch.set_grad_enabled(True)
detached_flag = x.detach().requires_grad

v_in = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
v_out = v_in * 2
while v_out.norm() < 100:
    v_out = v_out * 2
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
v_out.backward(v)
vjp = v_in.grad

w = torch.tensor(2.0, requires_grad=True)
f = w ** 3
f.backward(retain_graph=True)
f.backward()
twice = w.grad.item()  # 2 * 3 w^2 = 24

h = torch.tensor([1.0, 2.0], requires_grad=True)
seen = []
handle = h.register_hook(lambda g: seen.append(g.clone()))
doubler = h.register_hook(lambda g: g * 2)
(h * 3).sum().backward()
hooked = h.grad.clone()
handle.remove()
doubler.remove()
h.grad = None
(h * 3).sum().backward()
unhooked = h.grad.clone()

s = torch.tensor([0.5, 1.5], requires_grad=True)
g, = torch.autograd.grad((s ** 3).sum(), s, create_graph=True)
gg, = torch.autograd.grad(g.sum(), s)
derivatives = (g.detach(), gg)
