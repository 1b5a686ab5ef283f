"""Oracle rows for the functionals whose in-place updates now go through an op of their own
(branch vmapinplace): batch and instance norm's running statistics (`_running_statistic`)
and embedding's max_norm renormalization (read in the update)."""
import numpy as np

from oracle import Row

ROWS = []
F = "nn.functional."
_rm, _rv = np.array([0.1, -0.2, 0.3]), np.array([0.5, 1.5, 2.0])


def _running_stats(norm, momentum=0.1):
    def fn(m, x):
        mean, var = m.tensor(_rm), m.tensor(_rv)
        out = getattr(m.F, norm)(x, mean, var, training=True, momentum=momentum) \
            if norm == "batch_norm" else \
            m.F.instance_norm(x, mean, var, use_input_stats=True, momentum=momentum)
        return out, mean, var
    return fn


ROWS += [
    Row(F + "batch_norm", _running_stats("batch_norm", 0.3), ((4, 3, 5),),
        id="running-stats-3d"),
    Row(F + "batch_norm", _running_stats("batch_norm"), ((2, 3, 2, 2),),
        id="running-stats-4d"),
    Row(F + "instance_norm", _running_stats("instance_norm", 0.3), ((4, 3, 5),),
        id="running-stats"),
    Row(F + "instance_norm", _running_stats("instance_norm"), ((1, 3, 2, 3),),
        id="running-stats-one-sample"),
]


def _renormed(m, w):
    w = w.detach() * 3
    out = m.F.embedding(m.tensor(np.array([[0, 2], [2, 3]])), w, max_norm=1.0)
    return out, w


ROWS.append(Row(F + "embedding", _renormed, ((4, 3),), id="max-norm", grad=False))
