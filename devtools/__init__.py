"""Developer tools: fakes and helpers for tests and benchmarks (not shipped with the API)."""
