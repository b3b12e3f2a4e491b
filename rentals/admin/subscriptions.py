"""Streaming subscriptions in the back office: the one table this project owns."""

from __future__ import annotations

from django.contrib import admin

from rentals.forms import StreamingSubscriptionForm
from rentals.models import StreamingSubscription


@admin.register(StreamingSubscription)
class StreamingSubscriptionAdmin(admin.ModelAdmin):
    """Plans per customer, picked by autocomplete; the form refuses an end before the start."""

    form = StreamingSubscriptionForm
    list_display = ("id", "customer", "plan_name", "start_date", "end_date")
    list_select_related = ("customer",)
    list_filter = ("plan_name",)
    search_fields = ("plan_name", "customer__first_name", "customer__last_name", "customer__email")
    autocomplete_fields = ("customer",)
    ordering = ("-start_date", "-id")
