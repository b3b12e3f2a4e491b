"""Stores and their staff in the back office: read-mostly; Pagila's password hash never shows."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from pagila_site.pagila.admin_base import BrowseOnlyAdmin, PagilaModelAdmin
from rentals.models import Staff, Store


@admin.register(Store)
class StoreAdmin(BrowseOnlyAdmin):
    """The two stores, read-only."""

    list_display = ("store_id", "manager_staff", "address")
    list_select_related = ("manager_staff", "address")
    fields = ("manager_staff", "address", "last_update")


@admin.register(Staff)
class StaffAdmin(PagilaModelAdmin):
    """Staff members: only email and active can change; no password or picture field exists here."""

    list_display = ("staff_id", "first_name", "last_name", "username", "email", "store", "active")
    list_select_related = ("store",)
    search_fields = ("first_name", "last_name", "username", "email")
    fields = (
        "first_name",
        "last_name",
        "username",
        "email",
        "store",
        "address",
        "active",
        "last_update",
    )
    readonly_fields = ("first_name", "last_name", "username", "store", "address", "last_update")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
