"""Benchmarks and load scripts (run as scripts; see each module's docstring)."""
