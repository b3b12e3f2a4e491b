"""The serving stack with one of its overrides of Django taken out, for bench/overrides.py."""
