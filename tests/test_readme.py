"""The README's tour runs as written and computes what its comments claim."""
import pathlib
import re

import numpy as np

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_readme_tour_runs():
    text = README.read_text()
    tour = re.search(r"## A tour in 20 lines\s+```python\n(.*?)```", text, re.S).group(1)
    assert len(tour.strip().splitlines()) <= 30
    scope = {}
    exec(compile(tour, str(README), "exec"), scope)
    x = scope["x"].numpy().astype(np.float64)
    np.testing.assert_allclose(scope["x"].grad.data, np.sin(x) + x * np.cos(x), rtol=1e-5)
    np.testing.assert_allclose(scope["h"].data, 6 * x, rtol=1e-5)
    np.testing.assert_allclose(scope["tangent"].data, np.exp(x), rtol=1e-5)


def test_readme_nn_examples_train_and_gradcheck():
    text = README.read_text()
    section = text[text.index("## nn:"):text.index("### Layers")]
    train, check = re.findall(r"```python\n(.*?)```", section, re.S)
    scope = {}
    exec(compile(train, str(README), "exec"), scope)
    assert scope["loss"].item() < 0.05
    exec(compile(check, str(README), "exec"), scope)  # asserts the gradient check itself
