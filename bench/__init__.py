"""runcoach benchmarks (issue 7): `python -m bench` measures every figure beside its ceiling.

See bench/README.md for what each figure means and how to rerun it.
"""
