"""A short tour of the engine: ``python -m autograd.demo [outdir]`` (default ``demo-output/``).

It backpropagates through the course notes' worked example and a tiny two-layer net, checks
the gradients against finite differences, and draws both graphs as pictures.
"""
import math
import os
import sys

import numpy as np

import autograd
from autograd import viz


def worked_example():
    """L = -log(sigmoid(w * x)) at w = x = 3, whose gradient is easy to work out by hand."""
    w = autograd.tensor(3.0, requires_grad=True, dtype="float64")
    x = autograd.tensor(3.0, requires_grad=True, dtype="float64")
    L = -autograd.log(autograd.sigmoid(w * x))
    L.backward()
    by_hand = -3 * (1 - 1 / (1 + math.exp(-9)))  # dL/dw = -x (1 - sigmoid(w x))
    print("1. The worked example: L = -log(sigmoid(w * x)) at w = 3, x = 3")
    print(f"   L = {L.item():.6g}")
    print(f"   dL/dw from backward: {w.grad.item():.5g}")
    print(f"   dL/dw by hand, -x (1 - sigmoid(w x)): {by_hand:.5g}")
    return autograd.draw_graph(L, names={"w": w, "x": x, "L": L})


def two_layer_net():
    """A 2 -> 3 -> 1 tanh net fitting XOR's four points by squared error, in float64."""
    rng = np.random.default_rng(0)
    X = autograd.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float64")
    y = autograd.tensor([[0], [1], [1], [0]], dtype="float64")
    params = [autograd.tensor(0.5 * rng.normal(size=shape), requires_grad=True)
              for shape in [(2, 3), (3,), (3, 1), (1,)]]

    def loss(W1, b1, W2, b2):
        h = autograd.tanh(X @ W1 + b1)
        return ((h @ W2 + b2 - y) ** 2).mean()

    out = loss(*params)
    # drawn before backward, which frees the arrays behind the constants' labels (X, y)
    names = dict(zip(["W1", "b1", "W2", "b2", "X", "y", "loss"], params + [X, y, out]))
    graph = autograd.draw_graph(out, names=names)
    out.backward()
    print("\n2. A tiny two-layer net (2 -> 3 -> 1, tanh) on XOR's four points")
    print(f"   loss = {out.item():.4f}")
    for name, p in zip(["W1", "b1", "W2", "b2"], params):
        print(f"   d loss/d {name}: shape {p.grad.shape}, "
              f"norm {np.linalg.norm(p.grad.data):.4f}")
    # central differences in float64 agree with backward, or gradcheck raises and says where
    autograd.gradcheck(loss, params)
    print("   gradcheck (float64, central differences): backward agrees")
    return graph


def main(outdir="demo-output"):
    """Run the tour, writing the pictures to ``outdir``; return the paths written."""
    print("autograd demo: reverse-mode autodiff you can look at\n")
    graphs = {"worked_example": worked_example(), "two_layer_net": two_layer_net()}
    print("\n3. Pictures of the graphs (ovals are ops, boxes tensors; blue boxes are "
          "parameters, green the output)")
    os.makedirs(outdir, exist_ok=True)
    written = []
    try:
        for name, graph in graphs.items():
            for fmt in ("svg", "png"):
                written.append(viz.render(graph, os.path.join(outdir, name), format=fmt))
    except viz.GraphvizNotFoundError:
        print("   Graphviz's `dot` is not installed, so no picture was written.")
        print(f"   {viz.INSTALL_GRAPHVIZ}.")
        return written
    for path in written:
        print(f"   wrote {path}")
    print("   In Jupyter, autograd.draw_graph(L) shows the picture inline.")
    return written


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo-output")
