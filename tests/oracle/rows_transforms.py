"""Oracle rows for what the transforms branch changed in existing ops: matmul's reverse rule
for rows of one element (vmap's per-sample x @ W, an outer product computed by broadcasting),
log_softmax and masked_fill; see oracle.py for the format."""
import numpy as np

from oracle import Row

ROWS = [
    Row("matmul", lambda m, x, y: x @ y, [(5, 1, 3), (5, 3, 4)], id="stacked-row"),
    Row("matmul", lambda m, x, y: x @ y, [(1, 3), (2, 3, 4)], id="row-broadcast"),
    Row("matmul", lambda m, x, y: x @ y, [(3,), (2, 3, 4)], id="vector-stacked"),
    Row("matmul", lambda m, x, y: x @ y, [(2, 1, 1, 3), (4, 3, 2)], id="row-batch-broadcast"),
    Row("log_softmax", lambda m, x: m.log_softmax(x, -1), [(3, 4)], id="transforms"),
    Row("masked_fill", lambda m, x, b: x.masked_fill(b, 0.5),
        [(2, 3), np.array([[True, False, True], [False, False, True]])], id="transforms"),
]
