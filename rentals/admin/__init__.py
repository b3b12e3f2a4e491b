"""The rentals app's back office: one module per kind of page, registered on import."""

from rentals.admin import customers, payments, rentals, stock, stores, subscriptions

__all__ = ["customers", "payments", "rentals", "stock", "stores", "subscriptions"]
