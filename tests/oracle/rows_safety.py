"""Oracle rows for what the safety branch changed (see oracle.py for the format): leaky_relu
and prelu became one op each (their second derivatives are zeros, as PyTorch's), and
indices, masks and bounds given as tensors are version-checked parameters of their op."""
import numpy as np

from oracle import Row

ROWS = [
    Row("nn.functional.leaky_relu", lambda m, x: m.F.leaky_relu(x, 0.1), [(2, 3)],
        id="safety-one-op"),
    Row("nn.functional.leaky_relu", lambda m, x: m.F.leaky_relu(x), [()], id="safety-0-d"),
    Row("nn.functional.leaky_relu", lambda m, x: m.F.leaky_relu(x, 0.2),
        [np.array([-1.0, 0.0, 2.0])], id="safety-at-zero"),
    Row("nn.functional.prelu", lambda m, x, w: m.F.prelu(x, w), [(2, 3, 4), (3,)],
        id="safety-per-channel"),
    Row("nn.functional.prelu", lambda m, x, w: m.F.prelu(x, w), [(2, 3), (1,)], id="safety-shared"),
    Row("getitem", lambda m, x: x[m.tensor(np.array([0, 2, 0]))], [(3, 2)],
        id="safety-tensor-index"),
    Row("getitem", lambda m, x: x[m.tensor(np.array([True, False, True]))], [(3, 2)],
        id="safety-tensor-mask"),
    Row("where", lambda m, x, y: m.where(m.tensor(np.array([True, False, True])), x, y),
        [(2, 3), (3,)], id="safety-tensor-condition"),
    Row("masked_fill", lambda m, x: x.masked_fill(m.tensor(np.array([True, False])), 0.5),
        [(3, 2)], id="safety-tensor-mask"),
]
