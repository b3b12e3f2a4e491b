"""The rentals app's back office: one module per kind of page, registered on import."""

from rentals.admin import customers, rentals, stock, stores, subscriptions

__all__ = ["customers", "rentals", "stock", "stores", "subscriptions"]
