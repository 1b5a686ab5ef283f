"""The README's Data example runs as written and trains what its comment says."""
import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def test_readme_data_example_trains_on_the_digits():
    text = README.read_text()
    section = text[text.index("## Data:"):text.index("## Notebooks")]
    (example,) = re.findall(r"```python\n(.*?)```", section, re.S)
    scope = {}
    exec(compile(example, str(README), "exec"), scope)
    assert scope["accuracy"] > 0.88
