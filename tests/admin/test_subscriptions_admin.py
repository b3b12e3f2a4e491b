"""Streaming subscriptions: customer autocomplete, and an end before the start is a form error."""

from __future__ import annotations

import pytest
from django.test import Client

from rentals.models import StreamingSubscription
from tests.admin_pages import messages_of
from tests.baker_recipes import subscription

pytestmark = pytest.mark.django_db

ADD = "/admin/rentals/streamingsubscription/add/"


def test_customer_is_picked_by_autocomplete(admin_client: Client) -> None:
    page = admin_client.get(ADD).content.decode()
    assert "admin-autocomplete" in page
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "rentals",
            "model_name": "streamingsubscription",
            "field_name": "customer",
            "term": "smith",
        },
    )
    assert response.json()["results"] == [{"id": "1", "text": "MARY SMITH"}]


def test_subscription_is_created_with_valid_dates(admin_client: Client) -> None:
    response = admin_client.post(
        ADD,
        {
            "customer": 1,
            "plan_name": "Premium",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
        follow=True,
    )
    assert any("was added successfully" in m for m in messages_of(response))
    plan = StreamingSubscription.objects.get()
    assert (plan.customer_id, plan.plan_name, str(plan.end_date)) == (1, "Premium", "2026-12-31")


def test_open_ended_subscription_is_allowed(admin_client: Client) -> None:
    response = admin_client.post(
        ADD, {"customer": 1, "plan_name": "Basic", "start_date": "2026-01-01", "end_date": ""}
    )
    assert response.status_code == 302
    assert StreamingSubscription.objects.get().end_date is None


def test_end_before_start_is_a_form_error_and_writes_nothing(admin_client: Client) -> None:
    response = admin_client.post(
        ADD,
        {
            "customer": 1,
            "plan_name": "Premium",
            "start_date": "2026-06-01",
            "end_date": "2026-05-31",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "end_date": ["The end date cannot be before the start date."]
    }
    assert not StreamingSubscription.objects.exists()


def test_editing_to_an_end_before_the_start_is_refused(admin_client: Client) -> None:
    plan = subscription.make()
    response = admin_client.post(
        f"/admin/rentals/streamingsubscription/{plan.pk}/change/",
        {"customer": 1, "plan_name": "Basic", "start_date": "2026-01-01", "end_date": "2025-12-31"},
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    plan.refresh_from_db()
    assert plan.end_date is None
