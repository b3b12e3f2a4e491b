"""Benchmark scripts: `make bench` runs them against a live server on loopback."""
