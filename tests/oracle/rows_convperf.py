"""Oracle rows for the convperf branch: F.linear over several leading axes (flattened into one
matrix product) and F.dropout of float32 where deterministic (the mask is drawn in the input's
precision)."""
import numpy as np

from oracle import Row

ROWS = [
    Row("nn.functional.linear", lambda m, x, w, b: m.F.linear(x, w, b),
        [(2, 3, 2, 4), (5, 4), (5,)], id="4-d"),
    Row("nn.functional.linear", lambda m, x, w, b: m.F.linear(x.transpose(0, 1), w, b),
        [(3, 2, 4), (5, 4), (5,)], id="strided-3-d"),
    Row("nn.functional.dropout", lambda m, x: m.F.dropout(x, 0.0),
        [np.arange(6, dtype=np.float32).reshape(2, 3)], id="float32-p0"),
    Row("nn.functional.dropout", lambda m, x: m.F.dropout(x, 1.0),
        [np.arange(6, dtype=np.float32).reshape(2, 3)], id="float32-p1"),
]
