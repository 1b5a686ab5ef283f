"""The root conftest's safety net for docstring examples: a zero's sign (and the padding numpy
adds for it) cannot fail an example on one machine and pass it on another; nothing else is
loosened."""
import doctest


def check(want, got):
    return doctest.OutputChecker().check_output(want, got, doctest.ELLIPSIS)


def test_signed_zeros_and_their_padding_compare_equal():
    assert check("Tensor([0., 1.])\n", "Tensor([-0.,  1.])\n")
    assert check("[[1.0, 0.0], [0.0, 1.0]]\n", "[[1.0, -0.0], [0.0, 1.0]]\n")


def test_other_differences_still_fail():
    assert not check("Tensor([0.01, 1.])\n", "Tensor([-0.01,  1.])\n")
    assert not check("0.5\n", "-0.5\n")
    assert not check("[1.0, 0.0]\n", "[1.0, 0.1]\n")
