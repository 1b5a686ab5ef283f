"""PyTorch's ``torch.backends`` flags that ported programs read or set: no GPU backend is
available here (``mps.is_available()`` and ``cudnn.is_available()`` are False); setting
``cudnn.deterministic`` or ``cudnn.benchmark`` is accepted and changes nothing.

>>> autograd.backends.mps.is_available()
False
"""
from types import SimpleNamespace


def _unavailable():
    return False


mps = SimpleNamespace(is_available=_unavailable, is_built=_unavailable)
cudnn = SimpleNamespace(is_available=_unavailable, enabled=False, deterministic=False,
                        benchmark=False)
