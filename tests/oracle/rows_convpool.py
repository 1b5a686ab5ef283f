"""Oracle rows for convolution and pooling in 1, 2 and 3 dimensions (see oracle.py)."""
import numpy as np

from oracle import Row


def _pool_input(*shape, seed=0):
    """Distinct values in a random order: no ties, so the max's gradient is torch's."""
    return np.random.default_rng(seed).permutation(np.prod(shape)).reshape(shape) / 7.0 - 1.0


def _ties(*shape, seed=0):
    """Values from {0, 1, 2}: most windows tie (values and indices only)."""
    return np.random.default_rng(seed).integers(0, 3, shape).astype(float)


F = "nn.functional."
ROWS = [
    # ---- convolution
    Row(F + "conv1d", lambda m, x, w, b: m.F.conv1d(x, w, b), [(2, 3, 7), (4, 3, 3), (4,)]),
    Row(F + "conv1d", lambda m, x, w: m.F.conv1d(x, w, stride=2, padding=2, dilation=2,
                                                  groups=2), [(2, 4, 9), (6, 2, 3)], id="all"),
    Row(F + "conv1d", lambda m, x, w: m.F.conv1d(x, w, padding="same"), [(3, 6), (2, 3, 4)],
        id="same-even-unbatched"),
    Row(F + "conv2d", lambda m, x, w, b: m.F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2),
                                                     dilation=(1, 2), groups=3),
        [(2, 3, 6, 7), (6, 1, 3, 2), (6,)], id="all"),
    Row(F + "conv2d", lambda m, x, w: m.F.conv2d(x, w, padding="same", dilation=(2, 1)),
        [(1, 2, 5, 6), (3, 2, 2, 4)], id="same-even"),
    Row(F + "conv2d", lambda m, x, w: m.F.conv2d(x, w, padding="valid"),
        [(2, 4, 4), (3, 2, 2, 2)], id="valid-unbatched"),
    Row(F + "conv3d", lambda m, x, w, b: m.F.conv3d(x, w, b, stride=(1, 2, 1), padding=1,
                                                     groups=2),
        [(2, 4, 3, 5, 4), (2, 2, 2, 3, 2), (2,)]),
    Row(F + "conv3d", lambda m, x, w: m.F.conv3d(x, w, padding="same", dilation=(1, 2, 1)),
        [(1, 2, 4, 5, 3), (2, 2, 3, 2, 2)], id="same"),
    # stride 1 with 8+ channels a group: the gradients' flat formulation
    Row(F + "conv2d", lambda m, x, w, b: m.F.conv2d(x, w, b, padding=(1, 2), dilation=(2, 1),
                                                     groups=2),
        [(2, 16, 5, 4), (4, 8, 3, 2), (4,)], id="flat-groups"),
    Row(F + "conv1d", lambda m, x, w: m.F.conv1d(x, w, padding="same"), [(2, 8, 6), (3, 8, 4)],
        id="flat-same"),
    # ---- transposed convolution
    Row(F + "conv_transpose1d", lambda m, x, w, b: m.F.conv_transpose1d(
        x, w, b, stride=3, padding=1, output_padding=2, groups=2, dilation=2),
        [(2, 4, 5), (4, 3, 3), (6,)]),
    Row(F + "conv_transpose1d", lambda m, x, w: m.F.conv_transpose1d(x, w),
        [(2, 4), (2, 3, 2)], id="unbatched"),
    Row(F + "conv_transpose2d", lambda m, x, w, b: m.F.conv_transpose2d(
        x, w, b, stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=1,
        dilation=(1, 2)), [(2, 3, 3, 4), (3, 2, 3, 2), (2,)]),
    Row(F + "conv_transpose2d", lambda m, x, w: m.F.conv_transpose2d(
        x, w, stride=1, output_padding=1, dilation=2, groups=3),
        [(1, 3, 3, 3), (3, 2, 2, 2)], id="groups-dilation-output-padding"),
    Row(F + "conv_transpose2d", lambda m, x, w: m.F.conv_transpose2d(x, w, padding=1,
                                                                      dilation=(1, 2)),
        [(2, 3, 4, 3), (3, 8, 3, 2)], id="flat"),
    Row(F + "conv_transpose3d", lambda m, x, w, b: m.F.conv_transpose3d(
        x, w, b, stride=2, padding=(0, 1, 0), output_padding=(1, 0, 0)),
        [(1, 2, 2, 3, 2), (2, 3, 2, 3, 2), (3,)]),
    # ---- max pooling, values and indices
    Row(F + "max_pool1d", lambda m, x: m.F.max_pool1d(x, 3, 2, 1, ceil_mode=True,
                                                       return_indices=True),
        [_pool_input(2, 3, 8)], id="ceil-indices"),
    Row(F + "max_pool1d", lambda m, x: m.F.max_pool1d(x, 2, 2, 1, ceil_mode=True),
        [_pool_input(2, 5)], id="ceil-last-window-dropped-unbatched"),
    Row(F + "max_pool2d", lambda m, x: m.F.max_pool2d(x, (3, 2), (2, 1), (1, 1), dilation=(1, 2),
                                                       return_indices=True),
        [_pool_input(2, 2, 7, 6)], id="overlap-dilation-indices"),
    Row(F + "max_pool2d", lambda m, x: m.F.max_pool2d(x, 3, 2, 1, ceil_mode=True,
                                                       return_indices=True),
        [_pool_input(1, 2, 6, 8)], id="ceil-in-padding"),
    Row(F + "max_pool2d", lambda m, x: m.F.max_pool2d(x, 2, 1, return_indices=True),
        [_ties(2, 3, 5, 5)], id="ties-indices", grad=False),
    Row(F + "max_pool2d", lambda m, x: m.F.max_pool2d(x, 2), [_pool_input(3, 5, 4)],
        id="unbatched-chw"),
    Row(F + "max_pool3d", lambda m, x: m.F.max_pool3d(x, (2, 3, 2), (1, 2, 2), (1, 1, 0),
                                                       ceil_mode=True, return_indices=True),
        [_pool_input(1, 2, 4, 5, 5)]),
    # ---- average and Lp pooling
    Row(F + "avg_pool1d", lambda m, x: m.F.avg_pool1d(x, 3, 2, 1, ceil_mode=True),
        [(2, 3, 8)], id="ceil"),
    Row(F + "avg_pool1d", lambda m, x: m.F.avg_pool1d(x, 2, 2, 1, ceil_mode=True),
        [(1, 2, 5)], id="ceil-last-window-dropped"),
    Row(F + "avg_pool1d", lambda m, x: m.F.avg_pool1d(x, 4, 3, 2, True, False),
        [(2, 3, 9)], id="ceil-exclude-pad"),
    Row(F + "avg_pool2d", lambda m, x: m.F.avg_pool2d(x, 3, 2, 1, ceil_mode=True),
        [(1, 2, 6, 8)], id="ceil-include-pad"),
    Row(F + "avg_pool2d", lambda m, x: m.F.avg_pool2d(x, (3, 2), (2, 1), (1, 1), True, False),
        [(1, 2, 6, 7)], id="ceil-exclude-pad"),
    Row(F + "avg_pool2d", lambda m, x: m.F.avg_pool2d(x, 2, divisor_override=3),
        [(1, 2, 4, 5)], id="divisor-override"),
    Row(F + "avg_pool3d", lambda m, x: m.F.avg_pool3d(x, 2, (1, 2, 2), 1, True, False),
        [(1, 2, 3, 5, 4)]),
    Row(F + "lp_pool1d", lambda m, x: m.F.lp_pool1d(x, 2, 3, 2, ceil_mode=True),
        [(2, 3, 8)]),
    Row(F + "lp_pool2d", lambda m, x: m.F.lp_pool2d(x.abs() + 0.1, 3, (2, 3)),
        [(1, 2, 5, 6)]),
    Row(F + "lp_pool3d", lambda m, x: m.F.lp_pool3d(x, 2, 2), [(1, 2, 4, 4, 5)]),
    # ---- unpooling: pool with indices, then put back (gradients through both)
    Row(F + "max_unpool1d", lambda m, x: m.F.max_unpool1d(
        *m.F.max_pool1d(x, 2, return_indices=True), 2, output_size=(9,)), [_pool_input(2, 3, 9)]),
    Row(F + "max_unpool2d", lambda m, x: m.F.max_unpool2d(
        *m.F.max_pool2d(x, 3, 2, 1, return_indices=True), 3, 2, 1), [_pool_input(1, 2, 5, 7)]),
    Row(F + "max_unpool2d", lambda m, x: m.F.max_unpool2d(
        *m.F.max_pool2d(x, 2, return_indices=True), 2), [_pool_input(2, 4, 4)], id="unbatched"),
    Row(F + "max_unpool3d", lambda m, x: m.F.max_unpool3d(
        *m.F.max_pool3d(x, 2, return_indices=True), 2, output_size=(1, 2, 5, 4, 5)),
        [_pool_input(1, 2, 5, 4, 5)]),
    # ---- adaptive pooling
    Row(F + "adaptive_avg_pool1d", lambda m, x: m.F.adaptive_avg_pool1d(x, 3), [(2, 3, 7)]),
    Row(F + "adaptive_avg_pool2d", lambda m, x: m.F.adaptive_avg_pool2d(x, (3, None)),
        [(2, 3, 7, 5)]),
    Row(F + "adaptive_avg_pool2d", lambda m, x: m.F.adaptive_avg_pool2d(x, 4), [(2, 3, 5)],
        id="upsample-unbatched"),
    Row(F + "adaptive_avg_pool3d", lambda m, x: m.F.adaptive_avg_pool3d(x, (2, 3, 1)),
        [(1, 2, 5, 4, 3)]),
    Row(F + "adaptive_max_pool1d", lambda m, x: m.F.adaptive_max_pool1d(x, 3, True),
        [_pool_input(2, 3, 7)]),
    Row(F + "adaptive_max_pool2d", lambda m, x: m.F.adaptive_max_pool2d(x, (3, 2), True),
        [_pool_input(2, 3, 7, 5)]),
    Row(F + "adaptive_max_pool2d", lambda m, x: m.F.adaptive_max_pool2d(x, 4, True),
        [_pool_input(3, 3, 5)], id="upsample-unbatched"),
    Row(F + "adaptive_max_pool3d", lambda m, x: m.F.adaptive_max_pool3d(x, (2, 3, 2), True),
        [_pool_input(1, 2, 5, 4, 3)]),
    # ---- empty batches
    Row(F + "conv2d", lambda m, x, w: m.F.conv2d(x, w, padding=1), [(0, 2, 4, 4), (3, 2, 3, 3)],
        id="empty"),
    Row(F + "conv_transpose2d", lambda m, x, w: m.F.conv_transpose2d(x, w, stride=2),
        [(0, 3, 2, 2), (3, 2, 3, 3)], id="empty"),
    Row(F + "max_pool2d", lambda m, x: m.F.max_pool2d(x, 2, return_indices=True),
        [(0, 2, 4, 4)], id="empty"),
    Row(F + "avg_pool3d", lambda m, x: m.F.avg_pool3d(x, 2), [(0, 2, 4, 4, 2)], id="empty"),
    Row(F + "adaptive_max_pool2d", lambda m, x: m.F.adaptive_max_pool2d(x, 3, True),
        [(0, 2, 4, 4)], id="empty"),
    Row(F + "adaptive_avg_pool1d", lambda m, x: m.F.adaptive_avg_pool1d(x, 3), [(0, 2, 4)],
        id="empty"),
    Row(F + "max_unpool2d", lambda m, x: m.F.max_unpool2d(
        *m.F.max_pool2d(x, 2, return_indices=True), 2), [(0, 2, 4, 4)], id="empty"),
]
