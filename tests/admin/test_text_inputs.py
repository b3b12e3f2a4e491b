"""Short `text` columns get one-line inputs in the back office; the film description a textarea."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import TextField
from django.test import Client, RequestFactory

from pagila_site.pagila.admin_base import PagilaModelAdmin
from tests.baker_recipes import superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(django_user_model: type[User]) -> User:
    return superuser.make(username="boss")


def text_widgets(boss: User) -> dict[str, type[forms.Widget]]:
    """`model.field` -> the widget of every `text` column a Pagila admin lets staff edit."""
    request = RequestFactory().get("/admin/")
    request.user = boss
    widgets = {}
    for model, model_admin in admin.site._registry.items():
        if not (
            isinstance(model_admin, PagilaModelAdmin) and model_admin.has_change_permission(request)
        ):
            continue  # browse-only pages show values, not inputs
        for name, field in model_admin.get_form(request).base_fields.items():
            db_field = model._meta.get_field(name)
            if isinstance(db_field, TextField) and not db_field.choices:
                widgets[f"{model._meta.model_name}.{name}"] = type(field.widget)
    return widgets


def test_every_short_text_column_is_a_one_line_input(boss: User) -> None:
    widgets = text_widgets(boss)
    assert widgets.pop("film.description") is admin.widgets.AdminTextareaWidget
    short = {
        "film.title",
        "customer.first_name",
        "customer.last_name",
        "customer.email",
        "staff.email",
    }
    assert short <= set(widgets)
    assert {
        name for name, widget in widgets.items() if widget is not admin.widgets.AdminTextInputWidget
    } == set()


def test_the_film_page_shows_a_one_line_title_and_a_description_textarea(
    client: Client, boss: User
) -> None:
    client.force_login(boss)
    page = client.get("/admin/films/film/1/change/").content.decode()
    assert re.search(
        r'<input type="text" name="title" value="ACADEMY DINOSAUR" class="vTextField"', page
    )
    assert '<textarea name="description"' in page
    assert '<select name="rating"' in page  # a column with choices keeps its select


def test_the_customer_form_has_one_line_names_and_email(client: Client, boss: User) -> None:
    client.force_login(boss)
    page = client.get("/admin/rentals/customer/add/").content.decode()
    for name in ("first_name", "last_name", "email"):
        assert re.search(rf'<input type="text" name="{name}"[^>]* class="vTextField"', page), name
    assert "<textarea" not in page
