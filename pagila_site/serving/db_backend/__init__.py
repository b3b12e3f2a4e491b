"""Django's PostgreSQL backend with an outage-aware connection pool (see base.py)."""
