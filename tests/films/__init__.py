"""Tests of the films app: selectors, API, filters and schema."""
