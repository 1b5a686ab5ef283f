"""Applications built on the three packages (never imported by them): `python -m examples.demo`."""
