import pytest

import autograd


@pytest.fixture
def float64_default():
    """Switch the default float dtype to float64 for one test, then restore it."""
    previous = autograd.get_default_dtype()
    autograd.set_default_dtype("float64")
    yield
    autograd.set_default_dtype(previous)


@pytest.fixture
def seeded():
    """Reseed `autograd.random.generator()` with 0, so the test draws the same numbers."""
    autograd.manual_seed(0)
