"""Resampling layers: `Upsample` and its fixed-mode forms, `PixelShuffle`, `PixelUnshuffle`."""
from .. import functional as F
from .module import Module

__all__ = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "PixelShuffle",
           "PixelUnshuffle"]


class Upsample(Module):
    """Resamples its input to ``size`` or by ``scale_factor`` with `F.interpolate` (same
    arguments).

    >>> nn.Upsample(scale_factor=2)(autograd.tensor([[[0.0, 1.0]]])).tolist()
    [[[0.0, 0.0, 1.0, 1.0]]]
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.size, self.mode = size, mode
        if isinstance(scale_factor, (tuple, list)):
            self.scale_factor = tuple(float(s) for s in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self):
        info = (f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None
                else f"size={self.size!r}")
        return f"{info}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """`Upsample` with mode='nearest' (for 4-d inputs).

    >>> nn.UpsamplingNearest2d(scale_factor=2)(autograd.zeros(1, 1, 2, 3)).shape
    (1, 1, 4, 6)
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """`Upsample` with mode='bilinear' and align_corners=True (for 4-d inputs).

    >>> nn.UpsamplingBilinear2d(size=3)(autograd.tensor([[[[0.0, 1.0]]]])).tolist()
    [[[[0.0, 0.5, 1.0], [0.0, 0.5, 1.0], [0.0, 0.5, 1.0]]]]
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


class PixelShuffle(Module):
    """(*, C r², H, W) -> (*, C, H r, W r), r = ``upscale_factor`` (see `F.pixel_shuffle`).

    >>> nn.PixelShuffle(2)(autograd.zeros(1, 8, 3, 3)).shape
    (1, 2, 6, 6)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input):
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """(*, C, H r, W r) -> (*, C r², H, W), the inverse of `PixelShuffle`.

    >>> nn.PixelUnshuffle(2)(autograd.zeros(1, 2, 6, 6)).shape
    (1, 8, 3, 3)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input):
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"
