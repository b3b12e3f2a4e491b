"""The base classes every Pagila admin page uses, and the back office's titles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextInputWidget
from django.db.models import Field, Model, TextField
from django.forms import ModelForm
from django.http import HttpRequest

admin.site.site_header = "Pagila back office"
admin.site.site_title = "Pagila back office"
admin.site.index_title = "Store administration"


class PagilaModelAdmin(admin.ModelAdmin):
    """Admin over a Pagila table.

    An edit writes only the columns the form changed, so `last_update` (and film's `fulltext`)
    stay with Pagila's triggers. Rows are never deleted here: other Pagila tables reference them.
    Pagila stores short values (names, titles, emails, phone numbers) as `text`: they get one-line
    inputs; only the columns in `multiline_text_fields` keep a textarea.
    """

    multiline_text_fields: frozenset[str] = frozenset({"description"})

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if (
            isinstance(db_field, TextField)
            and not db_field.choices
            and db_field.name not in self.multiline_text_fields
        ):
            kwargs.setdefault("widget", AdminTextInputWidget)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        if not change:
            obj.save()
            return
        columns = {field.name for field in obj._meta.concrete_fields}
        changed = [name for name in form.changed_data if name in columns]
        if changed:
            obj.save(update_fields=changed)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class BrowseOnlyAdmin(PagilaModelAdmin):
    """Staff browse and search these rows; nothing is added or changed here."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
