import os

import pytest

import autograd


def torch_required():
    """`make test-oracle` sets AUTOGRAD_REQUIRE_TORCH=1: there a PyTorch-parity test must run."""
    return os.environ.get("AUTOGRAD_REQUIRE_TORCH") == "1"


def pytest_sessionstart(session):
    if torch_required():
        try:
            import torch  # noqa: F401
        except ImportError as error:
            raise pytest.UsageError(
                f"AUTOGRAD_REQUIRE_TORCH=1 but torch does not import: {error}") from error


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under AUTOGRAD_REQUIRE_TORCH=1 (every extra installed) a test that skips for want of
    torch or of the cluster client fails instead."""
    report = (yield).get_result()
    if torch_required() and report.skipped and not hasattr(report, "wasxfail"):
        path, line, reason = report.longrepr
        if "torch" in reason or "distributed" in reason:
            report.outcome = "failed"
            report.longrepr = (f"{path}:{line}: AUTOGRAD_REQUIRE_TORCH=1, yet this "
                               f"test skipped ({reason}); install every extra: make test-oracle")


@pytest.fixture
def float64_default():
    """Switch the default float dtype to float64 for one test, then restore it."""
    previous = autograd.get_default_dtype()
    autograd.set_default_dtype("float64")
    yield
    autograd.set_default_dtype(previous)


@pytest.fixture(autouse=True)
def seeded():
    """Reseed `autograd.default_generator` with 0 before every test, so that it draws the same
    numbers whatever ran before it (`make test` runs tests in several processes, in no fixed
    order)."""
    autograd.manual_seed(0)
