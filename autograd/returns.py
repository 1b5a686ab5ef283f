"""The named pair PyTorch's selecting ops return (its ``torch.return_types``): ``max``/``min``
with a dim, ``sort``, ``topk``, ``kthvalue``, ``median``, ``mode``, ``cummax``... One kind of
object for all of them: ``.values`` and ``.indices`` (int64), and tuple unpacking.

>>> values, indices = autograd.tensor([3.0, 1.0, 2.0]).sort()
>>> indices.tolist()
[1, 2, 0]
"""
from collections import namedtuple

ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])
