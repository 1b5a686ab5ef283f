"""Oracle rows for the course branch: renorm (max-norm constraints), batch norm of volumes and
the stochastic-depth identity in eval."""
import numpy as np

from oracle import Row

_NORMS = np.array([[0.1, -0.2, 0.05, 0.1], [1.0, -2.0, 0.5, 1.2], [0.3, 0.9, -1.4, 0.7]])
_SAMPLES = np.array([[[0.3, 0.8]], [[0.95, 0.1]]])
ROWS = [
    Row("renorm", lambda m, x: m.renorm(x, 2, 0, 1.0), [_NORMS]),
    Row("renorm", lambda m, x: x.renorm(1, -1, 2.0), [_NORMS.T.copy()], id="p1-neg-dim"),
    Row("renorm", lambda m, x: x.renorm(float("inf"), 1, 0.5), [_NORMS.T.copy()], id="inf"),
    Row("renorm", lambda m, x: m.renorm(x, 2, 0, 1.0), [(0, 3)], id="empty", grad=False),
    Row("renorm", lambda m, x: m.renorm(x, 3, 2, 10.0), [(2, 3, 4)], id="all-below"),
    Row("renorm_", lambda m, x: (x * 1).renorm_(2, 0, 1.0), [_NORMS]),
    # batch norm of volumes: train-mode forward and gradients; dropout3d where deterministic
    Row("nn.BatchNorm3d", lambda m, x: m.nn.BatchNorm3d(4).double()(x), [(3, 4, 2, 3, 2)]),
    Row("nn.BatchNorm3d", lambda m, x: m.nn.BatchNorm3d(2, affine=False).double()(x),
        [(2, 2, 1, 2, 3)], id="no-affine"),
    Row("nn.functional.dropout3d", lambda m, x: m.F.dropout3d(x, 0.5, training=False),
        [(2, 3, 2, 2, 2)], id="eval"),
    Row("nn.functional.dropout3d", lambda m, x: m.F.dropout3d(x, 0.0), [(3, 2, 2, 2)],
        id="p0-unbatched"),
    # fractional max pooling with fixed samples (the windows are then deterministic)
    Row("nn.functional.fractional_max_pool2d",
        lambda m, x: m.F.fractional_max_pool2d(x, 2, output_size=(3, 4),
                                               _random_samples=m.tensor(_SAMPLES)),
        [(2, 1, 6, 7)]),
    Row("nn.functional.fractional_max_pool2d",
        lambda m, x: m.F.fractional_max_pool2d(x, (3, 2), output_ratio=(0.5, 0.5),
                                               _random_samples=m.tensor(_SAMPLES[:1, :1])),
        [(1, 1, 8, 8)], id="ratio"),
]
