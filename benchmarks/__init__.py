"""Benchmarks with budgets.

`make bench` runs them and prints each budget beside the measured figure."""
