"""PyTorch's dtype and device names. The dtypes are numpy's own dtype objects, so they work
wherever numpy or autograd takes a dtype (``tensor(..., dtype=autograd.float32)``,
``x.to(autograd.float64)``, ``x.astype(autograd.long)``)."""
import numpy as np

from .errors import AutogradError, DtypeError

float16 = half = np.dtype(np.float16)
float32 = float = np.dtype(np.float32)  # noqa: A001  (PyTorch's spelling)
float64 = double = np.dtype(np.float64)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
int16 = short = np.dtype(np.int16)
int32 = int = np.dtype(np.int32)  # noqa: A001
int64 = long = np.dtype(np.int64)
bool = np.dtype(np.bool_)  # noqa: A001

DTYPES = ("float16", "half", "float32", "float", "float64", "double", "int8", "uint8", "int16",
          "short", "int32", "int", "int64", "long", "bool")


def as_dtype(spec, caller):
    """``spec`` (a dtype, its name, a numpy type) as a numpy dtype; a `DtypeError` naming
    ``caller`` and the dtypes for anything else."""
    try:
        return np.dtype(spec)
    except TypeError:
        raise DtypeError(f"{caller}: unknown dtype {spec!r}; use one of {', '.join(DTYPES)} "
                         "(autograd.float32...) or a numpy dtype") from None


# PyTorch's device types: refused clearly (not taken for a dtype name) by `device`
_DEVICE_TYPES = ("cpu", "cuda", "mps", "xpu", "xla", "meta", "hip", "ipu", "mtia", "vulkan")


def is_device(text):
    """Whether the string names a device (``"cpu"``, ``"cuda:0"``...), not a dtype."""
    return text.split(":")[0] in _DEVICE_TYPES


class DeviceError(AutogradError, RuntimeError):
    """A device other than the CPU was asked for: this engine runs on numpy, on the CPU."""


class device:  # noqa: N801  (PyTorch's spelling)
    """PyTorch's device, for code that moves tensors: only the CPU exists here.

    >>> x.to(autograd.device("cpu")) is x     # a no-op, as on a machine without a GPU
    True
    """

    __slots__ = ("type",)

    def __init__(self, type="cpu"):  # noqa: A002
        text = str(type)
        if text.split(":")[0] != "cpu":
            raise DeviceError(f"device: {text!r} is not available; this engine runs on numpy, "
                              "on the CPU only. Use 'cpu' (e.g. device = autograd.device('cpu'))")
        self.type = "cpu"

    def __eq__(self, other):
        return str(other) == "cpu"

    def __hash__(self):
        return hash("cpu")

    def __repr__(self):
        return "device(type='cpu')"

    def __str__(self):
        return "cpu"
