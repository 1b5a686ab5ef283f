# Derivatives of derivatives with torch.autograd.grad(create_graph=True): tanh's first four
# derivatives, a Hessian-vector product by double backward, and a gradient penalty trained
# through the gradient (as in WGAN-GP).
import torch

# tanh' = 1 - t^2, tanh'' = -2 t (1 - t^2), tanh''' = (6 t^2 - 2)(1 - t^2), ...
x = torch.linspace(-2, 2, 9, dtype=torch.float64, requires_grad=True)
derivatives = []
g = torch.tanh(x)
for _ in range(4):
    (g,) = torch.autograd.grad(g.sum(), x, create_graph=True)
    derivatives.append(g.detach())
t = torch.tanh(x).detach()
formulas = [1 - t ** 2, -2 * t * (1 - t ** 2), (6 * t ** 2 - 2) * (1 - t ** 2),
            -8 * t * (3 * t ** 2 - 2) * (1 - t ** 2)]

# Hessian-vector product of f(w) = sum(sin(A w)^2) without forming the Hessian
A = torch.arange(12, dtype=torch.float64).view(4, 3) / 10
w = torch.tensor([0.3, -0.2, 0.5], dtype=torch.float64, requires_grad=True)
v = torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)
f = torch.sin(A @ w).pow(2).sum()
(grad_w,) = torch.autograd.grad(f, w, create_graph=True)
(hvp,) = torch.autograd.grad(grad_w @ v, w)
u = A @ w.detach()
hessian = A.T @ torch.diag(2 * torch.cos(2 * u)) @ A  # by hand: d^2/du^2 sin(u)^2 = 2 cos 2u

# a gradient penalty: push |d critic / d input| toward 1, differentiating through the gradient
torch.manual_seed(0)
critic = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
with torch.no_grad():
    for i, p in enumerate(critic.parameters()):
        p.copy_(torch.linspace(-1, 1, p.numel()).view_as(p) * (0.5 + 0.25 * i))
points = torch.linspace(-1, 1, 20).view(10, 2).requires_grad_()
optimizer = torch.optim.Adam(critic.parameters(), lr=0.05)
penalties = []
for _ in range(30):
    (slopes,) = torch.autograd.grad(critic(points).sum(), points, create_graph=True)
    penalty = ((slopes.norm(2, dim=1) - 1) ** 2).mean()
    penalties.append(penalty.item())
    optimizer.zero_grad()
    penalty.backward()
    optimizer.step()
