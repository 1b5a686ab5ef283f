"""Oracle rows for the core arithmetic ops (see oracle.py for the format)."""
import numpy as np

from oracle import Row

ROWS = [
    Row("add", lambda m, x, y: x + y, [(2, 3), (3,)], id="broadcast"),
    Row("sum", lambda m, x: x.sum(dim=(0, -1), keepdim=True), [(2, 3, 4)], id="dims"),
    Row("matmul", lambda m, x, y: x @ y, [(2, 3), (3, 4)]),
    Row("gather", lambda m, x: x.gather(1, m.tensor(np.array([[0, 0], [2, 1]]))), [(2, 3)]),
]
